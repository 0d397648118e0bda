"""The things the analysis finds: a mention's span and a candidate (what the finders produce).

Apart from ``pipeline.analyse`` itself so that the finders and the readers import them without
importing the package that runs them: no import cycle.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from pipeline.analyse.money import Amount

KINDS = ("person", "company", "organization", "government", "region", "city", "country", "group", "amount")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    sentence: int  # 1-based sentence number


@dataclass(frozen=True)
class Candidate:
    """One thing the article names, however often."""

    id: int
    kind: str  # one of KINDS
    name: str  # base form, in the article's script
    en: str  # English / Latin name
    country: str | None  # "KZ", "CN", another ISO code, or None when the text does not settle it
    spans: tuple[Span, ...]
    title: str | None = None  # a person's title, in English, from the words beside the name
    amount: Amount | None = None

    @property
    def sentences(self) -> tuple[int, ...]:
        return tuple(sorted({s.sentence for s in self.spans}))

    def written(self, text: str) -> str:
        s = self.spans[0]
        return text[s.start:s.end]


_T = TypeVar("_T")


def non_overlapping(ranked: Iterable[_T], span: Callable[[_T], tuple[int, int]]) -> list[_T]:
    """The items, taken in rank order, that overlap no item kept before them. The kept spans are
    held sorted and never overlap, so a check of the two neighbours decides (n log n lookups on a
    long page, not a comparison with every kept span)."""
    kept: list[_T] = []
    spans: list[tuple[int, int]] = []
    for item in ranked:
        start, end = span(item)
        i = bisect.bisect_left(spans, (start, end))
        if (i > 0 and spans[i - 1][1] > start) or (i < len(spans) and spans[i][0] < end):
            continue
        spans.insert(i, (start, end))
        kept.append(item)
    return kept
