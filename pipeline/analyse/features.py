"""What the rules of the choose method need to know about each sentence and each candidate, read
once from the article here, so that the rules (``pipeline.methods.choose.rules``) read the ``Analysis``
only and never the text.

Per sentence (``SentenceFeatures``): whether it tells of the past (background, not the news), of a
meeting, of a signing, the kind of document it names, whether it says guests were received, whether
it tells of the occasion itself (a meeting, visit, forum or signing word), whether it tells project
news (a start, an opening, a plan), and the project object it names.

Per candidate (``CandidateFeatures``): a news outlet or a body named only as a press service's owner;
a place named only as where things happen (every mention locative); the mentions that are where a
visit or arrival went; whether a person's name is a Chinese one; a person's name in English; for an
amount, whether the words before it make it a trade figure, and what the words around it say of the
project (object, sectors, status).

The words are those of ``data/lexicon.json`` and ``data/sentence_cues.json`` (loaded once, by
``cues``). Readings whose answer depends on how an event's sentences read together (the places and
countries they name as where it happened, the sectors they name most) are ``Analysis`` methods
over sentence numbers, in ``pipeline.analyse``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from pipeline.analyse.finders import masculine_agreed, person_country
from pipeline.analyse.model import Candidate, Span
from pipeline.analyse.names import Place, english_cyrillic, latin, places_gazetteer
from pipeline.analyse.sectors import sectors_in, sectors_ranked
from pipeline.core import vocab
from pipeline.core.lexicon import find_stem, first_key, has_stem, lexicon, stem_pattern
from pipeline.ingest.sentences import Sentence

PROJECT_WINDOW = 160  # characters around an amount searched for what the project is
TRADE_WINDOW = 100  # characters before an amount in its sentence searched for trade words
FUTURE_WINDOW = 24  # characters either side of a place in which a future word makes the visit a plan
NEAR = 24  # characters between an arrival word and the place it names ("arrived in", "visited the city of")
PRESS_WINDOW = 20  # characters after a name in which a press service is named
LOCATIVE_BEFORE = 20  # characters before a mention searched for a locative preposition
LOCATIVE_AFTER = 12  # characters after a mention searched for a locative noun ("city", in kk, ru, zh)


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    c = vocab.load("sentence_cues")
    return {
        "cyrillic": re.compile(f"[{c['cyrillic_letters']}]"),
        "web": re.compile(rf"\w\.(?:{_alternatives(c['web_domains'])})\b", re.IGNORECASE),
        "press": re.compile(rf"^\W{{0,3}}(?:{_alternatives(c['press_service'])})", re.IGNORECASE),
        "outlet_end": re.compile(rf"(?:{_alternatives(c['outlet_name_ends'])})\W*$", re.IGNORECASE),
        "before": re.compile(rf"(?:(?<![\w])(?:{_alternatives(c['locative_before'])})\s+"
                             rf"(?:(?:{_alternatives(c['locative_city_before'])})\s+)?"
                             rf"|{_alternatives(c['locative_han_before'])})$", re.IGNORECASE),
        "after": re.compile(rf"^(?:\s+(?:{_alternatives(c['locative_after'])})"
                            rf"|\s*(?:{_alternatives(c['locative_han_after'])}))"),
        "kk_locative": re.compile(rf"(?:{_alternatives(c['kk_locative_endings'])})$"),
        "kk_dative": re.compile(rf"(?:{_alternatives(c['kk_dative_endings'])})$"),
        "many_countries": re.compile(rf"(?<!\w)(?:{'|'.join(c['many_countries']['words'])})(?!\w)"
                                     rf"|{'|'.join(map(re.escape, c['many_countries']['han']))}", re.IGNORECASE),
    }


def cyrillic(s: str) -> bool:
    """The string holds a Cyrillic letter."""
    return bool(_patterns()["cyrillic"].search(s))


# ------------------------------------------------------------------ sentences


@dataclass(frozen=True)
class SentenceFeatures:
    """What one sentence says, as the rules ask it."""

    n: int
    past: bool  # tells of the past ("signed earlier", "last year", "recall that"): background
    meeting: bool  # a meeting word
    signed: bool  # a signing word
    document: str | None  # the kind of document it names first (lexicon "documents")
    received: bool  # guests were received
    occasion: bool  # tells of the occasion itself: an occasion, meeting, forum or signing word
    project_news: bool  # a project started, opened, planned or agreed
    project_object: str | None  # the project object it names first (lexicon "project_objects")


def signed_here(t: str) -> bool:
    """The sentence says a document was signed: a signing word that stands in no phrase of a
    signing still to come ("preparing for the signing", "will be signed", "not yet signed")."""
    lx = lexicon()
    to_come = [m.span() for stem in lx["signing_to_come"] for m in stem_pattern(stem).finditer(t)]
    return any(not any(a <= m.start() < b for a, b in to_come)
               for stem in lx["signed"] for m in stem_pattern(stem).finditer(t))


def read_sentence(s: Sentence) -> SentenceFeatures:
    lx = lexicon()
    t = s.text
    signed = signed_here(t)
    meeting = has_stem(lx["meeting"], t)
    return SentenceFeatures(
        n=s.n, past=has_stem(lx["background"], t), meeting=meeting, signed=signed,
        document=first_key(lx["documents"], t), received=has_stem(lx["received"], t),
        occasion=has_stem(lx["occasion"] + lx["meeting"] + lx["forum"] + lx["signed"], t),
        project_news=has_stem(lx["project_news"], t), project_object=first_key(lx["project_objects"], t))


def planned(text: str, start: int, end: int) -> bool:
    """A visit still to come ("will visit", "the upcoming visit to"): the future words just around
    a place or country."""
    return has_stem(lexicon()["future"], text[max(0, start - FUTURE_WINDOW):end + FUTURE_WINDOW])


def country_cue(text: str) -> tuple[str, str] | None:
    """The country the text says something happens in or a visit is to ("in China", "to Kazakhstan",
    in kk, ru, zh too), with the words that say so; the earliest wins."""
    best: tuple[int, str, str] | None = None
    for country, stems in lexicon()["visit_country"].items():
        for stem in stems:
            for m in stem_pattern(stem).finditer(text):
                if planned(text, m.start(), m.end()):
                    continue
                if best is None or m.start() < best[0]:
                    best = (m.start(), country, m.group())
                break
    return (best[1], best[2]) if best else None


def locatives(text: str, kinds: tuple[str, ...]) -> list[Place]:
    """The places of ``kinds`` the text names as where something happens (the gazetteer's reading,
    with the further cities of ``names.places_gazetteer``)."""
    return places_gazetteer().locatives(text, kinds=kinds)


def ranked_sectors(text: str) -> list[str]:
    return sectors_ranked(text)


# ------------------------------------------------------------------ candidates


@dataclass(frozen=True)
class CandidateFeatures:
    """What the words in and around a candidate's mentions say of it."""

    outlet: bool  # a news outlet (a web address, "news agency"), or named only as a press service's owner
    venue: bool  # every mention names it as where something happens ("in X", "in the city of X")
    arrivals: tuple[Span, ...]  # mentions that are where a visit or an arrival went (regions and cities)
    chinese_name: bool  # a person's name is a Chinese one (Han, or Mandarin syllables)
    name_in_parts: bool  # a foreign name written part by part in Chinese (with a middle dot)
    english: tuple[str, str] | None  # a Cyrillic-named person's base form and English name, where they change
    trade_figure: bool  # an amount the words before it (in its sentence) give as trade
    project_object: str | None  # for an amount: the project object named around it
    project_sectors: tuple[str, ...]  # for an amount: the sectors named around it
    project_status: str | None  # for an amount: the status the words around it say
    own_body: bool = False  # a place's own government, akimat or delegation ("Government of X", names.own_body)
    delegation: bool = False  # a place's delegation ("Delegation of X", names.delegation_of)
    canonical_en: str | None = None  # a company's English name without its legal form, where that differs
    many_countries: bool = False  # a body of many countries or a programme of many (the SCO, the CIS, "One Belt, One Road")
    bare_name: str | None = None  # a Chinese firm's name without the country word before it ("中国X集团" -> "X集团")
    route: bool = False  # cities joined by dashes ("Almaty-Urumqi"): a road, railway, pipeline or flight
    reference: bool = False  # a name that refers back to one named elsewhere ("the company", names.reference_name)


def _locative(text: str, start: int, end: int) -> bool:
    """The words around a mention say it is where something happens: a preposition before it, a
    "city" noun after it, a Kazakh locative ending, a Chinese "at"."""
    p = _patterns()
    return bool(p["before"].search(text[max(0, start - LOCATIVE_BEFORE):start])
                or p["after"].search(text[end:end + LOCATIVE_AFTER])
                or p["kk_locative"].search(text[start:end]))


def _outlet(c: Candidate, text: str) -> bool:
    words = lexicon()["outlets"]
    press = _patterns()["press"]
    return bool(_patterns()["web"].search(c.name) or has_stem(words, c.name) or has_stem(words, c.en or "")
                or _patterns()["outlet_end"].search(c.en or c.name)
                or all(press.search(text[sp.end:sp.end + PRESS_WINDOW]) for sp in c.spans))


def _arrivals(c: Candidate, text: str, bounds: dict[int, tuple[int, int]]) -> tuple[Span, ...]:
    """The mentions of a region or city that are where a visit or arrival went: "arrived in X",
    "visited X", a Chinese "visited X", or a Kazakh dative place with an arrival verb after it."""
    if c.kind not in ("region", "city"):
        return ()
    lx = lexicon()
    out = []
    for sp in c.spans:
        if sp.sentence not in bounds:
            continue
        start, end = bounds[sp.sentence]
        before = text[max(start, sp.start - NEAR - 12):sp.start]
        m = find_stem(lx["arrival_before"], before)
        if planned(text, sp.start, sp.end):
            continue
        if m and len(before) - m.end() <= NEAR and not re.search(r"[.;!?]", before[m.end():]):
            out.append(sp)
            continue
        if _patterns()["kk_dative"].search(text[sp.start:sp.end]) and has_stem(lx["arrival_after"], text[sp.end:end]):
            out.append(sp)
    return tuple(out)


def feminine_agreed(name: str, written: str) -> str:
    """A woman's surname agrees with her given name: "Дана Серікбаев", read from "Дана Серікбаева" (the
    feminine taken for a case ending), -> "Дана Серікбаева". The given name ends as a woman's does
    (``names.feminine_given``), as written (not a case form of a man's name), and the text writes the
    surname with the feminine ending."""
    words, said = name.split(), written.split()
    if len(words) < 2 or len(said) != len(words):
        return name
    given, surname = words[0], words[-1]
    if vocab.regex("names", "feminine_given").search(given.casefold()) and said[0] == given \
            and said[-1].casefold() == surname.casefold() + vocab.text("names", "feminine_surname_ending") \
            and vocab.regex("finders", "feminine_surname").search(said[-1].casefold()):
        words[-1] = said[-1]
    return " ".join(words)


def _english(c: Candidate, text: str) -> tuple[str, str] | None:
    """A man's surname agreed with his given name, then the usual English spelling (BGN/PCGN "ye");
    None where the name is not a Cyrillic person's, or nothing changes."""
    if c.kind != "person" or not cyrillic(c.name) or (c.en and c.en != latin(c.name)):
        return None
    written = c.written(text)
    name = feminine_agreed(masculine_agreed(c.name, written), written)
    en = english_cyrillic(name, usual=True)
    if en == c.en and name == c.name:
        return None
    return name, en


def canonical_company_en(en: str) -> str:
    """A company's English name without its legal form, as the spec's canonical names are written
    ("... (Group)" -> "... Group", "... Group Corporation" -> "... Group", "... Investment Company" ->
    "... Investment"; data/tidy_names.json "company_en_canonical")."""
    for pattern, to in _canonical_steps():
        en = pattern.sub(to, en).strip()
    return en


@lru_cache(maxsize=1)
def _canonical_steps() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((vocab.compile_entry(step), step["to"])
                 for step in vocab.entry("tidy_names", "company_en_canonical")["steps"])


def read_candidate(c: Candidate, text: str, sentences: tuple[Sentence, ...]) -> CandidateFeatures:
    bounds = {s.n: (s.start, s.end) for s in sentences}
    obj = sectors = status = None
    trade = False
    if c.kind == "amount" and c.spans:
        sp = c.spans[0]
        lx = lexicon()
        around = text[max(0, sp.start - PROJECT_WINDOW):sp.end + PROJECT_WINDOW]
        obj = first_key(lx["project_objects"], around)
        sectors = tuple(sectors_in(around))
        status = first_key(lx["status"], around)
        start = bounds[sp.sentence][0] if sp.sentence in bounds else 0
        trade = has_stem(lx["trade_figures"], text[max(start, sp.start - TRADE_WINDOW):sp.start])
    return CandidateFeatures(
        outlet=_outlet(c, text),
        venue=all(_locative(text, sp.start, sp.end) for sp in c.spans),
        arrivals=_arrivals(c, text, bounds),
        chinese_name=c.kind == "person" and person_country(c.name, c.en, None) == "CN",
        name_in_parts="\u00b7" in c.name,
        english=_english(c, text),
        trade_figure=trade, project_object=obj, project_sectors=sectors or (), project_status=status,
        own_body=c.kind in ("government", "organization", "group")
        and bool(vocab.regex("names", "own_body").search(c.en or "")),
        delegation=bool(vocab.regex("names", "delegation_of").search(c.en or "")),
        canonical_en=(canonical_company_en(c.en) if c.kind == "company" and c.en else None),
        many_countries=bool(_patterns()["many_countries"].search(f"{c.name}\n{c.en or ''}")),
        bare_name=_bare_name(c),
        route=_route(c),
        reference=c.kind not in ("person", "amount") and bool(vocab.regex("names", "reference_name").search(c.name.strip())))


_ROUTE_DASH = re.compile(r"\s*[-\u2010-\u2015\u2212\uff0d]\s*")


def _route(c: Candidate) -> bool:
    """Places joined by dashes, each a single word and one a city in the gazetteer ("Beineu-Bozoi-
    Shymkent", "Алматы — Үрімші", "阿拉木图—乌鲁木齐"): a route named by its ends, not a party. A
    country among them ("Sino-Kazakh", "China-Central Asia") makes it a format between countries."""
    if c.kind in ("person", "region", "city", "country", "amount"):
        return False
    parts = [p for p in _ROUTE_DASH.split(c.name.strip()) if p]
    if len(parts) < 2 or any(len(p.split()) > 1 for p in parts):
        return False
    kinds = [place.kind if (place := places_gazetteer().lookup(p)) else None for p in parts]
    return "city" in kinds and "country" not in kinds


def route_ends(candidates: tuple[Candidate, ...] | list[Candidate], text: str) -> frozenset[int]:
    """The ids of places named only as the ends of a route: two places written with nothing but a
    dash between them ("Алматы – Үрімжі рейсі", "the Almaty-Urumqi flights", "阿拉木图—乌鲁木齐航线"),
    a city among them and no country (as ``_route``). A flight, train or road runs between them;
    they are not parties to the news."""
    spans = sorted(((sp.start, sp.end, c) for c in candidates if c.kind in ("region", "city", "country")
                    for sp in c.spans), key=lambda t: t[0])
    linked: set[tuple[int, int]] = set()
    for (s1, e1, c1), (s2, e2, c2) in pairwise(spans):
        if e1 > s2 or not _ROUTE_DASH.fullmatch(text[e1:s2]):  # the pattern holds a dash: never an empty gap
            continue
        kinds = {c1.kind, c2.kind}
        if "country" in kinds or "city" not in kinds:
            continue
        linked |= {(s1, e1), (s2, e2)}
    return frozenset(c.id for c in candidates if c.kind in ("region", "city") and c.spans
                     and all((sp.start, sp.end) in linked for sp in c.spans))


BARE_NAME_CHARS = 4  # what is left of a firm's name without its country word is a name, not a bare "集团"


def _bare_name(c: Candidate) -> str | None:
    """A company's Chinese name without the country word before it, where it has one and the rest is
    still a name (``tidy_names.han_country_before_firm``)."""
    if c.kind != "company":
        return None
    for word in vocab.words("tidy_names", "han_country_before_firm"):
        if c.name.startswith(word) and len(c.name) - len(word) >= BARE_NAME_CHARS:
            return c.name[len(word):]
    return None
