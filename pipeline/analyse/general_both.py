"""Finder set 7: the two countries' governments named in one phrase.

"The governments of Kazakhstan and China", "Правительства Казахстана и Китая", "Қазақстан мен Қытай
үкіметтері", "哈萨克斯坦和中国政府": two parties, one on each side, where earlier sets read one
government (the one the government word stands beside) or none. The words are each language's way of
joining two countries and of naming their governments before or after them
(``general_bodies.json``, "both_governments"); the countries are the gazetteer's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.analyse.finders import Found
from pipeline.analyse.general_bodies import PLACE_BODY_FINDER
from pipeline.core import vocab


@lru_cache(maxsize=4)
def _words(language: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    d: dict[str, str] = vocab.entry("general_bodies", "both_governments")[language]
    return (re.compile(rf"(?:{d['and']})\Z", re.IGNORECASE), re.compile(rf"(?:{d['before']})\Z", re.IGNORECASE),
            re.compile(d["after"], re.IGNORECASE))


def _countries(found_places: list[Found]) -> list[Found]:
    """The country names in order, a name inside a longer one ("Казахстан" in "Республики Казахстан")
    left out."""
    countries = sorted({(p.start, p.end): p for p in found_places if p.kind == "country"}.values(),
                       key=lambda p: (p.start, -(p.end - p.start)))
    out: list[Found] = []
    for p in countries:
        if out and p.start < out[-1].end:
            continue
        out.append(p)
    return out


def both_governments(text: str, language: str | None, found_places: list[Found]) -> list[Found]:
    """A government for each of two countries joined by "and" with a government word before the
    first ("governments of", "Правительства") or after the second ("governments", "үкіметтері",
    "政府"). Each is read with its government word where it has one beside it."""
    if language not in ("en", "ru", "kk", "zh"):
        return []
    joined, before, after = _words(language)
    countries = _countries(found_places)
    out: list[Found] = []
    for a, b in zip(countries, countries[1:], strict=False):
        if a.country == b.country or not a.country or not b.country or not joined.search(text, a.end, b.start):
            continue
        if b.start - a.end > 12:
            continue
        lead = before.search(text, max(0, a.start - 40), a.start)
        tail = after.match(text, b.end)
        if not lead and not tail:
            continue
        a_start = lead.start() if lead else a.start
        b_end = tail.end() if tail else b.end
        out.append(Found(a_start, a.end, "government", text[a_start:a.end], f"Government of {a.en}", a.country,
                         PLACE_BODY_FINDER))
        out.append(Found(b.start, b_end, "government", text[b.start:b_end], f"Government of {b.en}", b.country,
                         PLACE_BODY_FINDER))
    return out
