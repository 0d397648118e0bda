"""The versioned word lists (``data/lexicon.json``) and one word-boundary rule for stems.

A stem matches at the start of a word ("подпис" matches "подписали"), case-insensitively;
Han words match anywhere. The version of all the data files goes into every record's provenance.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from pipeline.core.vocab import data_version

_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("pipeline").joinpath("data/lexicon.json").read_text("utf-8"))
    return data


def version() -> str:
    """The version of the words: one hash over every ``data/*.json`` (``vocab.data_version``), which each
    record's provenance carries as ``analysis.lexicon_version``."""
    return data_version()


@lru_cache(maxsize=4096)
def stem_pattern(stem: str) -> re.Pattern[str]:
    """A stem at the start of a word; a stem ending in a space is a whole word."""
    if _HAN.search(stem):
        return re.compile(re.escape(stem))
    core = re.escape(stem.strip()).replace(r"\ ", r"\s+")
    tail = r"(?![\w])" if stem.endswith(" ") else ""
    return re.compile(rf"(?<![\w]){core}{tail}", re.IGNORECASE)


def find_stem(stems: list[str], text: str) -> re.Match[str] | None:
    """The earliest match of any of ``stems`` in ``text``."""
    best: re.Match[str] | None = None
    for s in stems:
        m = stem_pattern(s).search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def has_stem(stems: list[str], text: str) -> bool:
    return find_stem(stems, text) is not None


def first_key(table: dict[str, list[str]], text: str) -> str | None:
    """The key of ``table`` whose stem occurs earliest in ``text`` (ties: the table's order)."""
    best: tuple[int, int, str] | None = None
    for order, (key, stems) in enumerate(table.items()):
        m = find_stem(stems, text)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, key)
    return best[2] if best else None
