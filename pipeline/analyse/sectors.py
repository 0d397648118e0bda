"""Sector words in Kazakh, Russian, English and Chinese, for the spec's sector vocabulary.

``sectors_in(text)`` lists the sectors a passage names, in the vocabulary's
order. Word stems are matched at the start of a word, case-insensitively.

Two readings keep a word to what it says (``data/sectors.json``):

- ``not_words``: a word that only begins like a sector stem says something else
  (Kazakh "болатын", "which is", begins like "болат", steel) and names no sector;
- where two sector words overlap, the one that starts first (the longer, on a
  tie) is read: "wind power station" names renewable energy, not energy too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.core import vocab

_WORDS: dict[str, list[str]] = vocab.table("sectors", "words")  # data/sectors.json
_NOT_WORDS: tuple[str, ...] = vocab.words("sectors", "not_words")


def _alternative(w: str) -> str:
    return re.escape(w) if re.search(r"[\u4e00-\u9fff]", w) else rf"(?<!\w){re.escape(w)}"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(sector, re.compile("|".join(_alternative(w) for w in words), re.IGNORECASE))
            for sector, words in _WORDS.items()]


@lru_cache(maxsize=1)
def _not_words() -> re.Pattern[str] | None:
    if not _NOT_WORDS:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}" for w in _NOT_WORDS), re.IGNORECASE)


def sector_words(text: str) -> list[tuple[int, int, str]]:
    """Each sector word the text names, as (start, end, sector) in reading order: a word inside a
    ``not_words`` word is none; of overlapping words, the first (the longer, on a tie) is read."""
    not_words = _not_words()
    blocked = [(m.start(), m.end()) for m in not_words.finditer(text)] if not_words else []
    found = []
    for sector, pat in _patterns():
        for m in pat.finditer(text):
            if any(s <= m.start() < e for s, e in blocked):
                continue
            found.append((m.start(), m.end(), sector))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str]] = []
    for start, end, sector in found:
        if out and start < out[-1][1]:
            continue
        out.append((start, end, sector))
    return out


def sectors_in(text: str) -> list[str]:
    """The sectors whose words occur in ``text``, in vocabulary order."""
    named = {s for _, _, s in sector_words(text)}
    return [s for s in _WORDS if s in named]


def sectors_ranked(text: str) -> list[str]:
    """The sectors whose words occur in ``text``, the most often named first (ties: the first named)."""
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    for start, _, s in sector_words(text):
        count[s] = count.get(s, 0) + 1
        first.setdefault(s, start)
    return sorted(count, key=lambda s: (-count[s], first[s]))
