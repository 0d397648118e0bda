"""Dates as written in Kazakh, Russian, English and Chinese news, as ISO dates.

``find_dates`` finds calendar dates ("27 декабря 2025 года", "2025 жылғы
27 желтоқсанда", "December 27", "2025年12月27日", "27.12.2025") and relative
words ("вчера", "кеше", "yesterday", "昨天"), resolved against the
publication date where the year or day is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.core import vocab

_MONTHS: dict[int, list[str]] = {int(n): stems for n, stems in vocab.table("dates", "months").items()}
_MONTH_RE = "|".join(f"(?P<m{n}>{'|'.join(stems)})" for n, stems in _MONTHS.items())
_M = rf"(?:{_MONTH_RE}){vocab.text('dates', 'month_ending')}"

# calendar dates (2025-12-27, 27.12.2025, 2025年12月27日, 2025 жылғы 27 желтоқсан, 27 December 2025, December 27, 2025)
_PATTERNS = [re.compile(p["regex"].replace("<MONTH>", _M), vocab.flags(p.get("flags", [])))
             for p in vocab.entry("dates", "calendar")]
_RELATIVE = [(vocab.compile_entry(r), int(r["days"])) for r in vocab.entry("dates", "relative")]


@dataclass(frozen=True)
class FoundDate:
    value: str  # YYYY-MM-DD
    start: int
    end: int
    text: str
    relative: bool = False


def _month(m: re.Match[str]) -> int | None:
    if m.groupdict().get("mo"):
        return int(m.group("mo"))
    for n in _MONTHS:
        if m.groupdict().get(f"m{n}"):
            return n
    return None


def _year_for(month: int, day: int, published: dt.date | None) -> int | None:
    """The year of a date written without one: the publication year, or the one before
    when the date would otherwise fall well after publication."""
    if published is None:
        return None
    year = published.year
    try:
        if dt.date(year, month, day) > published + dt.timedelta(days=31):
            year -= 1
    except ValueError:
        return None
    return year


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def find_dates(text: str, published: str | None = None) -> list[FoundDate]:
    """Calendar dates and relative day words in ``text``, in order of appearance."""
    pub = parse_iso(published)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            month = _month(m)
            day = int(m.group("d"))
            if month is None or not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            year = int(m.group("y")) if m.group("y") else _year_for(month, day, pub)
            if year is None:
                continue
            try:
                value = dt.date(year, month, day).isoformat()
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            found.append(FoundDate(value, m.start(), m.end(), m.group()))
    if pub is not None:
        for pattern, delta in _RELATIVE:
            for m in pattern.finditer(text):
                value = (pub + dt.timedelta(days=delta)).isoformat()
                found.append(FoundDate(value, m.start(), m.end(), m.group(), relative=True))
    return sorted(found, key=lambda f: f.start)


def year_stated(year: str, text: str) -> bool:
    return re.search(rf"(?<!\d){re.escape(year)}(?!\d)", text) is not None
