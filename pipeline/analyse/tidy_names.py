"""Finder set 3's tidying of names spans (pipeline.analyse.tidy)."""

from __future__ import annotations

from pipeline.analyse.finders import Found
from pipeline.ingest.articles import Article


def tidy_names(found: list[Found], article: Article) -> list[Found]:
    """The spans with names tidied (not yet written: the spans as they are)."""
    return found
