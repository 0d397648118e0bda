"""Name folding for comparison: Cyrillic (Russian and Kazakh) to Latin, Han to pinyin, case and punctuation folded."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin

_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}


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
