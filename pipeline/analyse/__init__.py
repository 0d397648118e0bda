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

What the rules ask of each sentence and candidate (past or news, signed, meeting, a venue, an
outlet, ...) is read here too, once (``features.py``): the ``Analysis`` is the only reading of the
article the rules have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

from pipeline.analyse.dates import FoundDate, find_dates
from pipeline.analyse.features import (
    CandidateFeatures,
    SentenceFeatures,
    country_cue,
    locatives,
    ranked_sectors,
    read_candidate,
    read_sentence,
    route_ends,
)
from pipeline.analyse.finders import Found, find_candidates, names_countries, places
from pipeline.analyse.general import general_finders, seventh_finders, sixth_finders
from pipeline.analyse.general_han import ninth_han_readers
from pipeline.analyse.hant import simplified
from pipeline.analyse.latin_kk import LatinReading, cyrillic_reading
from pipeline.analyse.model import KINDS, Candidate, Span
from pipeline.analyse.names import Place
from pipeline.analyse.tidy import side_of_person_set4, tidy, tidy_set4, tidy_set5, tidy_set6, tidy_set7, tidy_set8
from pipeline.ingest.articles import Article
from pipeline.ingest.sentences import Sentence, split

__all__ = ["KINDS", "Analysis", "Candidate", "CandidateFeatures", "SentenceFeatures", "Span", "analyse"]


@dataclass(frozen=True)
class Analysis:
    article: Article
    sentences: tuple[Sentence, ...]
    candidates: tuple[Candidate, ...]
    dates: tuple[FoundDate, ...]
    kz_named: bool  # the article names Kazakhstan or one of its places or bodies
    cn_named: bool
    others: tuple[str, ...] = field(default=())  # third countries the article names
    # what each sentence says (pipeline.analyse.features), read once, in the order of ``sentences``
    read: tuple[SentenceFeatures, ...] = field(default=(), compare=False, repr=False)
    _about: dict[Candidate, CandidateFeatures] = field(default_factory=dict, compare=False, repr=False)
    _said: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
    # the text the finders and readings read, where it is not the article's own (finder set 4: traditional
    # Chinese as simplified), of the same length: its offsets are the article's
    reading: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.read) != len(self.sentences):
            object.__setattr__(self, "read", tuple(read_sentence(s) for s in self.sentences))

    @property
    def published(self) -> str | None:
        return self.article.published

    def candidate(self, cid: int) -> Candidate | None:
        return next((c for c in self.candidates if c.id == cid), None)

    def sentence_text(self, numbers: list[int] | tuple[int, ...]) -> str:
        """The numbered sentences as the analysis reads them (the reading's words, where it has one)."""
        wanted = set(numbers)
        if self.reading is not None:
            return " ".join(self.reading[s.start:s.end] for s in self.sentences if s.n in wanted)
        return " ".join(s.text for s in self.sentences if s.n in wanted)

    def sentence_of(self, offset: int) -> int:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s.n
        return 0

    def first_said(self, words: str) -> tuple[int, int] | None:
        """Where the article first says ``words`` when they are the words of one of its sentences (the
        choose method's evidence), else None. Usually the sentence's own offsets; a sentence whose words
        also stand earlier (inside a longer sentence) is first said there, as any quote is located."""
        if not self._said and self.sentences:
            text = self.article.text
            for s in self.sentences:
                if s.text not in self._said:
                    at = text.find(s.text, 0, s.end)
                    self._said[s.text] = (at, at + len(s.text))
        return self._said.get(words)

    # ---------------------------------------------------------- readings the rules ask for

    def told(self, numbers: list[int] | tuple[int, ...] | set[int]) -> list[SentenceFeatures]:
        """What the numbered sentences say, in reading order."""
        wanted = set(numbers)
        return [f for f in self.read if f.n in wanted]

    def about(self, c: Candidate) -> CandidateFeatures:
        """What the words in and around a candidate's mentions say of it (read once per candidate;
        a party the model quoted is read the same way)."""
        found = self._about.get(c)
        if found is None:
            text = self.article.text if self.reading is None else self.reading
            found = self._about[c] = read_candidate(c, text, self.sentences)
        return found

    @cached_property
    def route_ends(self) -> frozenset[int]:
        """The ids of places named only as a route's ends (``features.route_ends``), read once."""
        return route_ends(self.candidates, self.article.text if self.reading is None else self.reading)

    def locatives(self, numbers: list[int] | tuple[int, ...], kinds: tuple[str, ...] = ("city",)) -> list[Place]:
        """The places of ``kinds`` the numbered sentences, read together, name as where something happens."""
        return locatives(self.sentence_text(numbers), kinds)

    def country_cue(self, numbers: list[int] | tuple[int, ...]) -> tuple[str, str] | None:
        """The country the numbered sentences, read together, say something happens in or a visit is
        to, with the words that say so (a visit still to come aside)."""
        return country_cue(self.sentence_text(numbers))

    def sectors(self, numbers: list[int] | tuple[int, ...] | None = None) -> list[str]:
        """The sectors the numbered sentences (the whole article: None) name, the most often named first."""
        whole = self.article.text if self.reading is None else self.reading
        return ranked_sectors(whole if numbers is None else self.sentence_text(numbers))

    def _dates_in(self, numbers: list[int] | tuple[int, ...] | set[int]) -> list[FoundDate]:
        """The dates the numbered sentences state, in reading order."""
        spans = [(s.start, s.end) for s in self.sentences if s.n in numbers]
        return [f for f in self.dates if any(s <= f.start < e for s, e in spans)]

    def stated_day(self, numbers: list[int] | tuple[int, ...] | set[int]) -> tuple[str, str] | None:
        """The first date the numbered sentences state outright to the day (no relative word), not after
        the publication date, with its words."""
        day = next((f for f in self._dates_in(numbers) if not f.relative and len(f.value) == len("YYYY-MM-DD")
                    and (self.published is None or f.value <= self.published)), None)
        return (day.value, day.text) if day else None

    def stated_date(self, numbers: list[int] | tuple[int, ...]) -> tuple[str, str] | None:
        """The date the numbered sentences state (an explicit one before a relative one), with its words."""
        stated = self._dates_in(numbers)
        explicit = [f for f in stated if not f.relative]
        pick = (explicit or stated)[0] if (explicit or stated) else None
        return (pick.value, pick.text) if pick else None


# The finder sets a prompt can read with (its config's "finders"): 1 is the set extract-v9's
# recordings were made over; 2 adds the general readers of pipeline.analyse.general; 3 tidies every
# span (pipeline.analyse.tidy); 4 reads traditional Chinese as simplified (pipeline.analyse.hant); 5 reads
# Kazakh in the Latin alphabet as Cyrillic (pipeline.analyse.latin_kk) and gives a company the side of a
# country adjective before it in any letter case (pipeline.analyse.tidy.side_from_words_before); 6 reads
# groups that act in a project, parts names joined by "and" before a country, reads bodies whole with
# their place and the gazetteer's further places (pipeline.analyse.general.sixth_finders, tidy.tidy_set6);
# 7 is set 6 without the gazetteer's further places (an overview's route cities), with its acting groups
# read with further words, the two countries' governments named in one phrase, and a Chinese time word
# read as a name dropped (general.seventh_finders, tidy.tidy_set7); 8 is set 5 (not 6 or 7) with a
# reporting phrase before a Chinese firm's name cut, a Kazakh person's name ended before a place in the
# locative, and a Kazakh body's head word with a place after it dropped (tidy.tidy_set8); 9 is set 8
# with a Chinese name read straight after a title (as news names leaders), a name before a title whose
# surname the lexicon lacked, and a body the Chinese segmenter's dictionary knows whole, opening with
# its country (general_han.ninth_han_readers).
# A set never changes once recordings depend on it: a new reader goes into a new set.
FINDER_SETS = (1, 2, 3, 4, 5, 6, 7, 8, 9)


def _later_finders(article: Article, found_places: list[Found], finders: int) -> list[Found]:
    """Set 6's, set 7's or set 9's further readers (set 7's hold set 6's, its acting groups read with
    more words)."""
    if finders == 9:
        return ninth_han_readers(article)
    if finders == 7:
        return seventh_finders(article, found_places)
    return sixth_finders(article, found_places) if finders == 6 else []


def _tidy_step(finders: int) -> Callable[[list[Found], Article], list[Found]] | None:
    """The tidying of a finder set (none before set 3)."""
    steps = {9: tidy_set8, 8: tidy_set8, 7: tidy_set7, 6: tidy_set6, 5: tidy_set5, 4: tidy_set4, 3: tidy}
    return steps[finders] if finders >= 3 else None


def analyse(article: Article, splitter: int = 2, finders: int = 1) -> Analysis:
    """The article read once: ``splitter`` numbers its sentences (pipeline.ingest.sentences.split),
    ``finders`` picks the finder set (pipeline.analyse.finders.FINDER_SETS); both come from the
    prompt's config, so a prompt's recorded answers keep meaning the same candidates. From set 4 on,
    Chinese in traditional characters is read as simplified (``pipeline.analyse.hant``); the
    sentences, names and evidence stay the article's own words."""
    if finders not in FINDER_SETS:
        raise ValueError(f"unknown finder set {finders}; known: {FINDER_SETS}")
    if finders >= 5:
        latin = cyrillic_reading(article.text)
        if latin is not None:
            return _analyse_latin(article, latin, splitter, finders)
    reading = article
    if finders >= 4:
        text = simplified(article.text)
        if text != article.text:
            reading = replace(article, text=text)
    sentences = tuple(split(reading.text, splitter))
    found_places = places(reading.text, finders == 6)  # read once, for the candidates and the countries named
    extra = general_finders(reading, found_places) if finders >= 2 else []
    extra += _later_finders(reading, found_places, finders)
    step = _tidy_step(finders)
    candidates = find_candidates(reading, sentences, found_places, extra, step,
                                 side_of_person_set4 if finders >= 4 else None)
    kz, cn, others = names_countries(reading.text, candidates, found_places)
    dates = tuple(find_dates(reading.text, article.published))
    if reading is article:
        return Analysis(article, sentences, candidates, dates, kz, cn, others)
    # the reading's findings, in the article's own words: same offsets, the written names
    read = tuple(read_sentence(s) for s in sentences)
    own = tuple(replace(s, text=article.text[s.start:s.end]) for s in sentences)
    written = tuple(replace(c, name=article.text[c.spans[0].start:c.spans[0].end])
                    if c.spans and c.name == reading.text[c.spans[0].start:c.spans[0].end] else c
                    for c in candidates)
    return Analysis(article, own, written, dates, kz, cn, others, read=read, reading=reading.text)


def _analyse_latin(article: Article, latin: LatinReading, splitter: int, finders: int = 5) -> Analysis:
    """A page of Kazakh in the Latin alphabet (finder set 5): analysed in its Cyrillic reading, then every
    offset turned back into the article's, and the names taken from the article as written. A name
    the finders gave in its base form (a case ending left off) is the article's words up to where the
    base form ends."""
    reading = replace(article, text=latin.text, language="kk")
    sentences = tuple(split(latin.text, splitter))
    found_places = places(latin.text, finders == 6)
    extra = general_finders(reading, found_places) + _later_finders(reading, found_places, finders)
    candidates = find_candidates(reading, sentences, found_places, extra, _tidy_step(finders), side_of_person_set4)
    kz, cn, others = names_countries(latin.text, candidates, found_places)
    read = tuple(read_sentence(s) for s in sentences)
    own = tuple(replace(s, start=latin.start(s.start), end=latin.end(s.end),
                        text=article.text[latin.start(s.start):latin.end(s.end)]) for s in sentences)

    def written(c: Candidate) -> Candidate:
        if not c.spans:
            return c
        spans = tuple(replace(sp, start=latin.start(sp.start), end=latin.end(sp.end)) for sp in c.spans)
        first = c.spans[0]
        said = latin.text[first.start:first.end]
        end = latin.end(first.start + len(c.name)) if said.startswith(c.name) and c.name else spans[0].end
        return replace(c, name=article.text[spans[0].start:end], spans=spans)

    dates = tuple(replace(d, start=latin.start(d.start), end=latin.end(d.end),
                          text=article.text[latin.start(d.start):latin.end(d.end)])
                  for d in find_dates(latin.text, article.published))
    return Analysis(article, own, tuple(written(c) for c in candidates), dates, kz, cn, others, read=read,
                    reading=latin.padded)
