"""Analyse: the article read once into one typed object that every later stage reads.

``analyse(article)`` gives an ``Analysis``: numbered sentences with offsets, and
candidates, each a thing the article names (a person, a company, a body, a
place, a generic group, an amount) with its base form, an English name, the
country it belongs to where that is known, and every place it is mentioned.
Later stages (choose, assemble, check) never scan the text again; they read
the candidates and sentences.

Finders (``finders.py``) are general linguistic patterns: the gazetteer for
places and bodies, title words for people, company words and quotes for
companies, Latin-script runs, Han title and company patterns, the money and
date normalisers. Recall matters more than precision here: the model chooses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dates import FoundDate, find_dates
from ..ingest import Article
from ..money import Amount
from ..sentences import Sentence, split

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


@dataclass(frozen=True)
class Analysis:
    article: Article
    sentences: tuple[Sentence, ...]
    candidates: tuple[Candidate, ...]
    dates: tuple[FoundDate, ...]
    kz_named: bool  # the article names Kazakhstan or one of its places or bodies
    cn_named: bool
    others: tuple[str, ...] = field(default=())  # third countries the article names

    def candidate(self, cid: int) -> Candidate | None:
        return next((c for c in self.candidates if c.id == cid), None)

    def sentence_text(self, numbers: list[int] | tuple[int, ...]) -> str:
        return " ".join(s.text for s in self.sentences if s.n in set(numbers))

    def sentence_of(self, offset: int) -> int:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s.n
        return 0


def analyse(article: Article, splitter: int = 2) -> Analysis:
    from .finders import find_candidates, names_countries, places

    sentences = tuple(split(article.text, splitter))
    found_places = places(article.text)  # read once, for the candidates and the countries named
    candidates = find_candidates(article, sentences, found_places)
    kz, cn, others = names_countries(article.text, candidates, found_places)
    return Analysis(article, sentences, candidates, tuple(find_dates(article.text, article.published)), kz, cn, others)
