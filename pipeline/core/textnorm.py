"""Name folding for comparison: Cyrillic (Russian and Kazakh) to Latin, Han to pinyin, case and punctuation folded."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin

from pipeline.core import vocab

# The one Cyrillic-to-Latin table (data/translit.json) in its "fold" variant: "ё" is read as "е" (Russian
# writes either) and "й" as "и", so that spellings meet; names.translit spells "ё" "yo" and "й" "y" for
# display. Either table used for both would change records (party keys, merges and English names).
_CYR = vocab.translit_table("fold")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A Latin, lower-case, punctuation-free form for fuzzy comparison."""
    s = unicodedata.normalize("NFKC", text).casefold()
    if any("\u4e00" <= c <= "\u9fff" for c in s):
        s = " ".join(lazy_pinyin(s))
    s = "".join(_CYR.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())
