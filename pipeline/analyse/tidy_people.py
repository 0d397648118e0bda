"""Finder set 3's tidying of people spans (pipeline.analyse.tidy)."""

from __future__ import annotations

from pipeline.analyse.finders import Found
from pipeline.ingest.articles import Article


def tidy_people(found: list[Found], article: Article) -> list[Found]:
    """The spans with people tidied (not yet written: the spans as they are)."""
    return found
