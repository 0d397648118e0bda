"""Chinese in traditional characters, read as simplified (finder set 4).

Outlets in Hong Kong, Taiwan and overseas, and news agencies' traditional editions, write Chinese
in traditional characters. Every word the analysis knows in Chinese (the gazetteer, titles, body and
company words, signing and meeting words) is written in simplified characters, so such a page would
name no place, person or occasion at all. Finder set 4 reads a page through OpenCC's
traditional-to-simplified conversion, the field's usual tool. The reading has exactly the length of
the text, character for character, so every offset found in it is an offset in the article; the
record's names and evidence are then taken from the article as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # third-party, loaded on first Chinese text: the converter reads its dictionaries once

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    out: str = _converter().convert(ch)
    return out if len(out) == 1 else ch


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters as simplified ones, of the same length: OpenCC's
    phrase conversion where it keeps the length (it does for almost every text), else character by
    character. Text with no Chinese characters is returned as it is."""
    if not _HAN.search(text):
        return text
    out: str = _converter().convert(text)
    if len(out) != len(text):
        out = "".join(_char(ch) if _HAN.match(ch) else ch for ch in text)
    return out
