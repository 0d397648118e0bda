"""Sector words in Kazakh, Russian, English and Chinese, for the spec's sector vocabulary.

``sectors_in(text)`` lists the sectors a passage names, in the vocabulary's
order. Word stems are matched at the start of a word, case-insensitively.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.core import vocab

_WORDS: dict[str, list[str]] = vocab.table("sectors", "words")  # data/sectors.json


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for sector, words in _WORDS.items():
        alts = []
        for w in words:
            if re.search(r"[\u4e00-\u9fff]", w):
                alts.append(re.escape(w))
            elif w.isupper() or w.endswith("-"):
                alts.append(rf"(?<!\w){re.escape(w)}")
            else:
                alts.append(rf"(?<!\w){re.escape(w)}")
        out.append((sector, re.compile("|".join(alts), re.IGNORECASE)))
    return out


def sectors_in(text: str) -> list[str]:
    """The sectors whose words occur in ``text``, in vocabulary order."""
    return [s for s, pat in _patterns() if pat.search(text)]


def sectors_ranked(text: str) -> list[str]:
    """The sectors whose words occur in ``text``, the most often named first (ties: the first named)."""
    found = []
    for s, pat in _patterns():
        hits = [m.start() for m in pat.finditer(text)]
        if hits:
            found.append((-len(hits), hits[0], s))
    return [s for _, _, s in sorted(found)]
