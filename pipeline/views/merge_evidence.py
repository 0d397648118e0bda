"""Whether two events from different articles are one occasion: the evidence, for and against.

Two events are one occasion only on positive evidence with nothing contradicting it:

- **Time.** Full event dates agree within ``DATE_TOLERANCE_DAYS``. An event with no
  full date stands at its article's publication date: it happened in the
  ``PUBLISHED_WINDOW_DAYS`` days up to that date (or the day after, for time zones).
  Dates that fall outside these windows contradict. A month or a year alone
  contradicts when it differs, and otherwise leaves the time unknown.
- **Parties.** A specific party is shared: a named person, or a named company or
  body. A country, a region or city, a government, or a generic group ("Chinese
  investors") is not specific. Names compare by ``name_en``, folded and fuzzily
  (word order, transliteration, legal suffixes, acronyms). A party one event lists
  is shared too when the other event's evidence quotes name it. A party the input
  shows on dates that cannot be one occasion has many occasions (``busy_parties``)
  and counts for less.
- **Contradictions.** Types neither equal nor compatible; places or countries that
  differ; amounts in one currency that all differ by more than ``AMOUNT_RATIO``; and
  on either side, people named by both events with none in common and no word of
  their names alike (another chairman, another minister).

What suffices, with nothing contradicting:

- time agreeing: a shared person without many occasions, or a shared party on each
  side, or a shared body with a second shared fact (another shared party, the
  document, project or amount); a body alone stands for many occasions;
- time agreeing and no shared party: the same figures (``SAME_FIGURES`` or more
  distinct sums, capacities or counts both events' quotes give, in any language's
  spelling): one report retold, its parties named otherwise or left out;
- time unknown (no date on one side or both): overwhelming evidence only, a shared
  party on each side, a person among them, and either the same place, document,
  project or amount, or on each side a party without many occasions; or a visitor
  in the same place: a shared person without many occasions, from the country other
  than that of a region or city one event names and the other names too (as a place
  or in its quotes), in the country each event gives. A local official is always in
  his region; a visitor is there on few occasions.

A pair with a shared specific party and nothing contradicting that falls short of
this is a *possible duplicate*: listed beside the records, never merged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from pipeline.analyse.dates import parse_iso
from pipeline.analyse.money import find_figures
from pipeline.analyse.names import gazetteer
from pipeline.core import vocab
from pipeline.core.textnorm import fold

DATE_TOLERANCE_DAYS = 3
PUBLISHED_WINDOW_DAYS = 14
AMOUNT_RATIO = 1.5
SAME_FIGURES = 3  # distinct figures both reports quote that make one retold report
COMPATIBLE = {frozenset({"meeting", "signing"}), frozenset({"meeting", "forum"}), frozenset({"signing", "project"}),
              frozenset({"meeting", "project"})}
SIDES = ("kz", "cn")

# Words that name no one in particular: who, which and what of a generic group, nationality,
# state and administration words. A party whose folded name has no other word is not specific.
GENERIC_WORDS = frozenset(vocab.words("merge", "generic_words"))
# Words that make a "person" a body, a page's furniture, or a place: not someone's name.
_NOT_A_NAME = frozenset(vocab.words("merge", "not_a_name"))
_LEGAL = frozenset(vocab.words("merge", "legal"))
_PERSON_NOISE = frozenset(vocab.words("merge", "person_noise"))


@dataclass(frozen=True)
class Party:
    side: str
    name_en: str
    key: str  # folded, legal suffixes left out
    person: bool
    acronyms: frozenset[str] = frozenset()  # "cnpc" for its full name, or for "(CNPC)" in it
    han: bool = False  # written in Chinese characters in the article


@dataclass
class Evidence:
    """What two events share and what sets them apart; ``same`` when they are one occasion."""

    same: bool = False
    possible: bool = False
    time: str = ""  # the dates compared, in words
    time_state: str = "unknown"  # agree | unknown | contradict
    parties: list[str] = field(default_factory=list)  # shared specific parties (name_en)
    facts: list[str] = field(default_factory=list)  # shared place, document, project, amount
    against: list[str] = field(default_factory=list)  # contradictions
    missing: str = ""  # what a possible duplicate lacked
    strength: float = 0.0

    def why(self, other_id: str) -> dict[str, Any]:
        return {"with": other_id, "parties": self.parties, "time": self.time, "facts": self.facts}


# ------------------------------------------------------------------ names


def _words(name: str) -> list[str]:
    return fold(name).split()


def body_key(name: str) -> str:
    return " ".join(w for w in _words(name) if w not in _LEGAL)


@lru_cache(maxsize=65536)
def is_specific(name_en: str, kind: str) -> bool:
    """A named person, company or body; not a country, region, city, government or generic group."""
    words = _words(name_en)
    if not words or kind == "region":
        return False
    if kind == "person" and (set(words) & _NOT_A_NAME or re.fullmatch(r"[A-Z][A-Z\-\s]+", name_en.strip())):
        return False  # "Foreign Affairs", "CPIH", "NUR-SULTAN": not a person's name
    place = gazetteer().lookup(name_en)
    if place is not None and place.kind in ("country", "region", "city", "government"):
        return False
    rest = [w for w in words if w not in GENERIC_WORDS and w not in _PERSON_NOISE and not w.isdigit()]
    if not rest:
        return False
    # what is left must not be only place names ("Government of Aktobe Region", "Chinese side of Xinjiang")
    return not all(_is_place_word(w) for w in rest)


@lru_cache(maxsize=65536)
def _is_place_word(word: str) -> bool:
    place = gazetteer().lookup(word)
    return place is not None and place.kind in ("country", "region", "city")


def parties(ev: dict[str, Any]) -> list[Party]:
    out = []
    for side in SIDES:
        for p in ev.get(f"{side}_parties", []) or []:
            name = p.get("name_en") or p.get("name") or ""
            kind = p.get("kind") or ""
            if is_specific(name, kind):
                out.append(Party(side, name, body_key(name), kind == "person", _acronyms(name),
                                 bool(_HAN.search(p.get("name") or ""))))
    return out


_HAN = re.compile(r"[\u4e00-\u9fff]")
_BRACKETED = re.compile(r"\(([A-Za-z][A-Za-z&]{1,9})\)")


def _acronyms(name: str) -> frozenset[str]:
    out = {fold(m.group(1)) for m in _BRACKETED.finditer(name)}
    words = [w for w in _words(_BRACKETED.sub(" ", name)) if w not in ("of", "and", "the", "for")]
    if len(words) >= 3:
        out.add("".join(w[0] for w in words))
    return frozenset(out)


@lru_cache(maxsize=262144)
def names_match(a: Party, b: Party) -> bool:
    """The same person, or the same company or body, under two spellings. A person and a "body"
    with a person's name (a kind the extraction got wrong) compare as people."""
    x, y = a.key, b.key
    if not x or not y:
        return False
    if x == y:
        return True
    wx, wy = x.split(), y.split()
    short, long_ = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
    if a.person or b.person:
        # word by word (never the whole string: "Liu Wen" is not "Liu Wenbo"), in any order: one
        # spelling against another, or a surname alone against the full name; every word of the
        # shorter like one of the longer, and a long word alike
        best = {w: max(fuzz.ratio(w, v) for v in long_) for w in short}
        long_words = [w for w in short if len(w) >= 4]
        return bool(long_words) and min(best.values()) >= 75 and max(best[w] for w in long_words) >= 85
    if fuzz.ratio(x, y) >= 90:
        return True
    if len(short) == 1:
        # an acronym against the name it stands for ("ABC" and "Alpha Beta Corporation (ABC)")
        w = short[0]
        return len(w) >= 3 and w not in GENERIC_WORDS and (w in b.acronyms if short is wx else w in a.acronyms)
    # "Example Construction Group" inside "China Example Construction Group"
    if any(w not in GENERIC_WORDS for w in short) and set(short) <= set(long_):
        return True
    # the same two leading words, one of them a name of its own, and the rest rendered otherwise
    # ("Lakeside Orbital Electromechanical" and "Lakeside Orbital Mechanical and Electrical")
    return len(short) >= 3 and wx[:2] == wy[:2] and any(
        len(w) >= 4 and w not in GENERIC_WORDS and not _is_place_word(w) for w in wx[:2])


@lru_cache(maxsize=262144)
def clearly_different(a: Party, b: Party) -> bool:
    """Two people who cannot be one: names comparable and no word of one like a word of the
    other. A Kazakh name written in Chinese characters is not comparable with one written in
    letters (its pinyin is a sound-for-sound rendering, not the name)."""
    if a.side == "kz" and a.han != b.han:
        return False
    return not any(fuzz.ratio(w, v) >= 75 for w in a.key.split() for v in b.key.split())


# ------------------------------------------------------------------ time


def _full(d: str | None) -> dt.date | None:
    return parse_iso(d) if isinstance(d, str) and len(d) == 10 else None


@dataclass(frozen=True)
class Span:
    """The days an event can have been on, and how that is known."""

    first: dt.date
    last: dt.date
    basis: str  # "event date", "month", "year", "publication date"
    words: str

    @property
    def precise(self) -> bool:
        return self.basis in ("event date", "publication date")


def span(date: str | None, published: str | None) -> Span | None:
    """An event's span: its full date; its month or year; or, with no date at all, the
    ``PUBLISHED_WINDOW_DAYS`` days up to its article's publication date and the day after."""
    d = _full(date)
    if d:
        return Span(d, d, "event date", f"event date {d}")
    if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}", date):
        first = parse_iso(date + "-01")
        if first:
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return Span(first, nxt - dt.timedelta(days=1), "month", f"event month {date}")
    if isinstance(date, str) and re.fullmatch(r"\d{4}", date) and 1900 < int(date) < 2200:
        return Span(dt.date(int(date), 1, 1), dt.date(int(date), 12, 31), "year", f"event year {date}")
    p = _full(published) if not date else None
    if p:
        return Span(p - dt.timedelta(days=PUBLISHED_WINDOW_DAYS), p + dt.timedelta(days=1), "publication date",
                    f"no event date, published {p}")
    return None


def time_evidence(a_date: str | None, a_pub: str | None, b_date: str | None, b_pub: str | None) -> tuple[str, str]:
    """(agree | unknown | contradict, the dates compared in words). Two spans further apart
    than ``DATE_TOLERANCE_DAYS`` contradict; two precise spans (event dates, publication
    windows) within it agree; a month, a year or nothing known leaves the time unknown."""
    return compare_spans(span(a_date, a_pub), span(b_date, b_pub))


def compare_spans(sa: Span | None, sb: Span | None) -> tuple[str, str]:
    if sa is None or sb is None:
        known = sa or sb
        return "unknown", ("no event or publication date on " + ("either side" if known is None else "one side") +
                           (f"; the other: {known.words}" if known else ""))
    gap = max((sb.first - sa.last).days, (sa.first - sb.last).days, 0)
    words = f"{sa.words}; {sb.words}"
    if gap > DATE_TOLERANCE_DAYS:
        return "contradict", f"{words}: {gap} days apart"
    if sa.precise and sb.precise:
        return "agree", words + (" agree" if gap == 0 else f": {gap} days apart")
    return "unknown", f"{words}: only a month or year to compare"


# ------------------------------------------------------------------ places, documents, projects, amounts


def _place(ev: dict[str, Any]) -> str | None:
    p = (ev.get("location") or {}).get("place")
    return p if isinstance(p, str) and p.strip() else None


@lru_cache(maxsize=65536)
def same_place(pa: str, pb: str) -> bool:
    a, b = fold(pa), fold(pb)
    if a == b or fuzz.ratio(a, b) >= 85:
        return True
    ga, gb = gazetteer().lookup(pa), gazetteer().lookup(pb)
    if ga is not None and ga == gb:
        return True
    # "Aktobe" and "Aktobe Region": one name's words inside the other's
    wa, wb = set(a.split()) - GENERIC_WORDS, set(b.split()) - GENERIC_WORDS
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


_CONTENT_STOP = frozenset(vocab.words("merge", "content_stop"))


def _content(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) >= 3 and w not in _CONTENT_STOP and w not in GENERIC_WORDS}


def _shared_texts(xs: tuple[tuple[str, frozenset[str]], ...], ys: tuple[tuple[str, frozenset[str]], ...],
                  label: str) -> list[str]:
    out = []
    for text, cx in xs:
        for _, cy in ys:
            shared = cx & cy
            if len(shared) >= 2 or (len(shared) == 1 and min(len(cx), len(cy)) == 1):
                out.append(f"{label}: {text[:80]}")
                break
    return out[:2]


def _amounts(ev: dict[str, Any]) -> tuple[tuple[float, str], ...]:
    out = []
    for p in ev.get("projects", []) or []:
        v = p.get("value") or {}
        if isinstance(v.get("amount"), int | float) and v.get("amount") and v.get("currency"):
            out.append((float(v["amount"]), str(v["currency"])))
    return tuple(out)


def amounts(xa: tuple[tuple[float, str], ...], xb: tuple[tuple[float, str], ...]) -> tuple[list[str], bool]:
    """(amounts both give, within 10%, in words; whether every pair of amounts in one currency
    differs by more than ``AMOUNT_RATIO``: another project or another occasion)."""
    shared = [f"amount: {x:g} {c}" for x, c in xa
              if any(c == d and abs(x - y) <= 0.1 * max(x, y) for y, d in xb)]
    comparable = [(x, c, y) for x, c in xa for y, d in xb if c == d]
    differ = bool(comparable) and all(max(x, y) > AMOUNT_RATIO * min(x, y) for x, _, y in comparable)
    return list(dict.fromkeys(shared))[:2], differ


@dataclass(frozen=True)
class Quoted:
    """The words of an event's evidence quotes (the article's own sentences), folded to Latin."""

    words: tuple[str, ...]
    starts: frozenset[str]  # each word's first three letters, for a quick no
    figures: frozenset[float] = frozenset()  # the specific figures the quotes give (``figures``)


def quoted(ev: dict[str, Any]) -> Quoted:
    quotes = [q.get("quote", "") if isinstance(q, dict) else str(q) for q in ev.get("evidence", []) or []]
    words = tuple(fold(" ".join(quotes)).split())
    return Quoted(words, frozenset(w[:3] for w in words), figures(quotes))


def figures(texts: list[str]) -> frozenset[float]:
    """The specific figures of some quotes, in any language's spelling ("1.3 million tons" and
    its Chinese "130 wan"), rounded to four significant digits: a sum, a capacity, a count of
    jobs. Not a year, a day or a small count (below 100), which any two reports may share."""
    out = set()
    for text in texts:
        for x in find_figures(text):
            if x < 100 or (x == int(x) and 1900 <= x <= 2100):
                continue
            out.add(float(f"{x:.4g}"))
    return frozenset(out)


def shared_figures(a: Quoted, b: Quoted) -> list[float]:
    """Rule "the same figures": the figures both events' quotes give. ``SAME_FIGURES`` or more
    distinct ones are one report retold (the same press release in two languages)."""
    return sorted(a.figures & b.figures)


def _word_like(n: str, t: str) -> bool:
    """A word of a name against a word of the text: the same, the same with a case ending
    ("sklyar", "sklyarom"), or another spelling of it."""
    if t == n:
        return True
    if len(n) < 4 or len(t) < 4:
        return False
    return (t.startswith(n) and len(t) - len(n) <= 3) or fuzz.ratio(n, t) >= 85 or (
        len(t) > len(n) and len(t) - len(n) <= 3 and fuzz.ratio(n, t[:len(n)]) >= 88)


@lru_cache(maxsize=262144)
def named_in(p: Party, q: Quoted) -> bool:
    """Whether the quotes name the party: every word of its name, next to each other in any
    order (case endings and spellings allowed); a one-word name, or an acronym, as a word."""
    words = p.key.split()
    if not words or not q.words:
        return False
    if len(words) == 1:
        return (len(words[0]) >= 3 and words[0] in q.words) or any(a in q.words for a in p.acronyms if len(a) >= 3)
    if p.acronyms and any(a in q.words for a in p.acronyms if len(a) >= 3) and not p.person:
        return True
    if not any(w[:3] in q.starts for w in words) and not p.person:
        return False
    k = len(words)
    for i in range(len(q.words) - k + 1):
        window = list(q.words[i:i + k])
        if all(any(_word_like(n, t) for t in window) for n in words) and \
                all(any(_word_like(n, t) for n in words) for t in window):
            return True
    return False


@dataclass(frozen=True)
class Features:
    """What the comparison reads of one event, worked out once."""

    type: str | None
    place: str | None
    country: str | None
    span: Span | None
    parties: tuple[Party, ...]
    documents: tuple[tuple[str, frozenset[str]], ...]
    projects: tuple[tuple[str, frozenset[str]], ...]
    amounts: tuple[tuple[float, str], ...]
    quoted: Quoted = field(default_factory=lambda: Quoted((), frozenset()))
    places: tuple[str, ...] = ()  # the event's place and the regions and cities among its parties


_PLACE_KINDS = frozenset({"region", "city"})


def places(ev: dict[str, Any]) -> tuple[str, ...]:
    out = [p] if (p := _place(ev)) else []
    for side in SIDES:
        for party in ev.get(f"{side}_parties", []) or []:
            name = party.get("name_en") or ""
            if party.get("kind") in _PLACE_KINDS and name.strip() and name not in out:
                out.append(name)
    return tuple(out)


def _named_in_quotes(place: str, q: Quoted) -> bool:
    words = [w for w in fold(place).split() if w not in GENERIC_WORDS]
    return bool(words) and all(len(w) >= 4 and any(_word_like(w, t) for t in q.words if t[:3] == w[:3])
                               for w in words)


def shared_place(a: Features, b: Features) -> tuple[str, str] | None:
    """Rule "a visitor in the same place", its place: a region or city (the event's place, or a
    place among its parties) that the other event names too, as a place or in its quotes ("Aktobe
    Region" and a quote ending "..., Aktobe"); with the place's country, which must be the country
    each event gives, if any. (words, country), or None."""
    for x, y in ((a, b), (b, a)):
        for p in x.places:
            place = gazetteer().lookup(p)
            if place is None or place.kind not in _PLACE_KINDS or \
                    any(c and c != place.country for c in (a.country, b.country)):
                continue
            if any(same_place(p, other) for other in y.places):
                return p, place.country
            if _named_in_quotes(p, y.quoted):
                return f"{p} (named in the other report's quotes)", place.country
    return None


def features(ev: dict[str, Any], published: str | None) -> Features:
    docs = tuple((f"{a.get('kind')} on {a.get('subject', '')}", frozenset(_content(a.get("subject", ""))))
                 for a in ev.get("agreements", []) or [])
    projects = tuple((p.get("description", ""), frozenset(_content(p.get("description", ""))))
                     for p in ev.get("projects", []) or [])
    return Features(ev.get("type"), _place(ev), (ev.get("location") or {}).get("country"),
                    span(ev.get("date"), published), tuple(parties(ev)),
                    tuple(d for d in docs if d[1]), tuple(p for p in projects if p[1]), _amounts(ev),
                    quoted(ev), places(ev))


# ------------------------------------------------------------------ the pair


def busy_parties(feats: list[Features]) -> frozenset[str]:
    """Keys of the parties with many occasions in this input: named in events whose dates cannot
    be one occasion (further apart than the tolerance)."""
    spans: dict[str, list[Span]] = {}
    for f in feats:
        if f.span is not None:
            for p in f.parties:
                spans.setdefault(p.key, []).append(f.span)
    busy = set()
    for key, ss in spans.items():
        if len(ss) > 1 and max(s.first for s in ss) - min(s.last for s in ss) > dt.timedelta(days=DATE_TOLERANCE_DAYS):
            busy.add(key)
    return frozenset(busy)


def evidence(a_ev: dict[str, Any], a_pub: str | None, b_ev: dict[str, Any], b_pub: str | None) -> Evidence:
    """The evidence that two events (each with its article's publication date) are one occasion."""
    return compare(features(a_ev, a_pub), features(b_ev, b_pub))


def compare(a: Features, b: Features, many: frozenset[str] = frozenset()) -> Evidence:
    """The evidence between two events. ``many``: keys of parties seen in the input on dates that
    cannot be one occasion (a party with many occasions), which count for less."""
    e = Evidence()
    if a.type != b.type and frozenset({a.type, b.type}) not in COMPATIBLE:
        e.against.append(f"types {a.type} and {b.type}")
        return e
    e.time_state, e.time = compare_spans(a.span, b.span)
    if e.time_state == "contradict":
        e.against.append(e.time)
        return e
    pa, pb = a.place, b.place
    if pa and pb:
        if same_place(pa, pb):
            e.facts.append(f"place: {pa}" + ("" if fold(pa) == fold(pb) else f" / {pb}"))
        else:
            e.against.append(f"places {pa} and {pb}")
    if a.country and b.country and a.country != b.country:
        e.against.append(f"countries {a.country} and {b.country}")

    # parties, side by side: (label, a person, a party with many occasions)
    shared: dict[str, list[tuple[str, bool, bool]]] = {side: [] for side in SIDES}

    def add(side: str, label: str, person: bool, x: Party, y: Party | None = None) -> None:
        if any(label == s[0] or x.name_en in s[0] for s in shared[side]):
            return
        shared[side].append((label, person, x.key in many or (y is not None and y.key in many)))

    quoted_people: set[str] = set()
    for side in SIDES:
        sa, sb = [p for p in a.parties if p.side == side], [p for p in b.parties if p.side == side]
        matched = [(x, y) for x in sa for y in sb if names_match(x, y)]
        for x, y in matched:
            add(side, x.name_en if fold(x.name_en) == fold(y.name_en) else f"{x.name_en} / {y.name_en}",
                x.person or y.person, x, y)
        # a party one report lists that the other report's quotes name
        listed_a, listed_b = {id(x) for x, _ in matched}, {id(y) for _, y in matched}
        unmatched = [(x, b.quoted) for x in sa if id(x) not in listed_a] + \
            [(y, a.quoted) for y in sb if id(y) not in listed_b]
        for x, other in unmatched:
            if named_in(x, other):
                add(side, f"{x.name_en} (named in the other report's quotes)", x.person, x)
                if x.person:
                    quoted_people.add(side)
        people_a, people_b = [p for p in sa if p.person], [p for p in sb if p.person]
        if people_a and people_b and not any(x.person or y.person for x, y in matched) and side not in quoted_people \
                and all(clearly_different(x, y) for x in people_a for y in people_b):
            e.against.append(f"different people on the {side.upper()} side: "
                             f"{', '.join(p.name_en for p in people_a)} / {', '.join(p.name_en for p in people_b)}")
    e.parties = [label for side in SIDES for label, _, _ in shared[side]]
    shared_sides = {side for side in SIDES if shared[side]}
    person_sides = {side for side in SIDES if any(person for _, person, _ in shared[side])}
    fresh_sides = {side for side in SIDES if any(not busy for _, _, busy in shared[side])}
    fresh_person = any(person and not busy for side in SIDES for _, person, busy in shared[side])
    shared_names = e.parties

    docs = _shared_texts(a.documents, b.documents, "document")
    projects = _shared_texts(a.projects, b.projects, "project")
    money, money_differs = amounts(a.amounts, b.amounts)
    if money_differs:
        e.against.append("amounts in the same currency differ")
    e.facts += docs + projects + money
    numbers = shared_figures(a.quoted, b.quoted)
    retold = len(numbers) >= SAME_FIGURES
    if retold:
        e.facts.append("figures both quote: " + ", ".join(f"{x:,.0f}" for x in numbers[:5]))
    specific_facts = len(docs) + len(projects) + len(money) + int(retold)
    # a visitor: a shared person, not seen on other dates, of the side other than the place's country
    met = shared_place(a, b) if e.time_state == "unknown" and not e.against else None
    visitor = met is not None and any(
        person and not busy for side in SIDES if side.upper() != met[1] for _, person, busy in shared[side])
    e.strength = 2 * len(person_sides) + len(shared_sides) + 0.5 * len(shared_names) + len(e.facts) + (
        2 if e.time_state == "agree" else 0)

    if e.against:
        return e
    if not shared_sides:
        # rule "the same figures": one report retold (its figures, in any language) on agreeing
        # dates stands in for a party the extraction named otherwise or left out
        e.same = retold and e.time_state == "agree"
        e.possible = retold and not e.same
        e.missing = "" if e.same or not retold else f"time unknown ({e.time}) and no shared party beside the same figures"
        return e
    if e.time_state == "agree":
        e.same = fresh_person or len(shared_sides) == 2 or len(shared_names) >= 2 or specific_facts >= 1
        e.missing = "" if e.same else ("a second shared fact beside one body or one person seen on other dates "
                                       "(a party with many occasions)")
    else:
        e.same = len(shared_sides) == 2 and bool(person_sides) and (bool(e.facts) or len(fresh_sides) == 2)
        if not e.same and visitor and met is not None:
            # rule "a visitor in the same place": someone from the other country, not seen on other
            # dates, met in the same region or city (a local official, always there, is not enough)
            e.same = True
            e.facts.append(f"place: {met[0]}, visited")
        e.missing = "" if e.same else (
            f"time unknown ({e.time}): needs a shared party on each side, a person among them, and the same "
            "place, document, project or amount, or on each side a party not seen on other dates; "
            "or a visitor from the other country, not seen on other dates, in the same place")
    e.possible = not e.same
    return e
