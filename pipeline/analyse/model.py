"""The things the analysis finds: a mention's span and a candidate (what the finders produce).

Apart from ``pipeline.analyse`` itself so that the finders and the readers import them without
importing the package that runs them: no import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

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
