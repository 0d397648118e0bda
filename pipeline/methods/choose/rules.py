"""The rules of the choose method, in the order they run (see ``pipeline.methods.choose.checks``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pipeline.analyse import Analysis, Candidate, SentenceFeatures
from pipeline.analyse.quotes import QUOTE_ID_BASE, ground_quote
from pipeline.methods.choose.checks import Draft, Note, Rule

MAX_SECTORS = 5  # the spec's events name a few sectors, not every word's
LEAD_SENTENCES = 2  # the headline and first sentence: where a visit that frames the article is told
PARTIES_PER_SIDE = 5  # an event's side is the few who acted, not everyone its sentences name
PARTY_KINDS = ("person", "company", "organization", "government", "region", "city", "group")


def _name(c: Candidate) -> str:
    return f"{c.en or c.name} (#{c.id})"


def _leave_off(drafts: list[Draft], slots: tuple[str, ...], note: Note,
               why: Callable[[Draft, str, Candidate], str | None]) -> list[tuple[Draft, Candidate]]:
    """Takes out of each draft's slots every candidate `why` gives a reason for, noting the reason;
    the others keep their order. Returns what it took out, in the order it was noted."""
    out: list[tuple[Draft, Candidate]] = []
    for d in drafts:
        for slot in slots:
            keep = []
            for c in getattr(d, slot):
                reason = why(d, slot, c)
                if reason is None:
                    keep.append(c)
                else:
                    note(_name(c), reason)
                    out.append((d, c))
            setattr(d, slot, keep)
    return out


# ------------------------------------------------------------------ check: the model's choice


def quoted_parties(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A party the model quoted in the article's words (the quote method) joins its side when the
    quote stands in the event's own sentences: the candidate whose mention it covers, or a party of
    its own read like a candidate (pipeline.analyse.quotes); any other quote is dropped, and said.
    A quote a follow-up question gave (the empty-side follow-up) is grounded the same way and said
    so; it is not taken when it names a party the model's answer already put on the other side of
    the event (one party, one side: the question asked for the side that had none)."""
    own: dict[tuple[int, int], Candidate] = {}  # one quoted span, one party, however often quoted
    for d in drafts:
        for side, quotes in d.quotes.items():
            chosen = getattr(d, side)
            for q in quotes:
                g = ground_quote(q, side, d.sentences, a, QUOTE_ID_BASE + len(own) + 1)
                c = g.candidate
                if c is not None and c.id >= QUOTE_ID_BASE:
                    c = own.setdefault((c.spans[0].start, c.spans[0].end), c)
                asked = d.asked.get(side) == q
                other = "cn" if side == "kz" else "kz"
                if asked and c is not None and c in getattr(d, other):
                    note(f"{side} side of the {d.label()}", f"quote {q[:60]!r} names #{c.id}, already on the "
                         f"{other} side of this event: not taken", quote=q[:200], party=None, follow_up=True)
                    continue
                # "party": the name the quote added where no candidate stood for it
                note(f"{side} side of the {d.label()}", g.reason, quote=q[:200],
                     party=c.name if c is not None and c.id >= QUOTE_ID_BASE else None,
                     **({"follow_up": True} if asked else {}))
                if c is not None and c not in chosen:
                    chosen.append(c)
    return drafts


def kinds_in_slots(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An amount given as a party, or a party given as an amount, leaves that slot."""
    def why(d: Draft, slot: str, c: Candidate) -> str | None:
        if slot == "amounts":
            return None if c.kind == "amount" else f"not an amount ({d.label()})"
        return None if c.kind in PARTY_KINDS else f"an amount is not a party ({slot} side of the {d.label()})"
    _leave_off(drafts, ("kz", "cn", "amounts"), note, why)
    return drafts


def outlets_not_parties(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A news outlet (a web address, "news agency" in any of the four languages, or a body named
    only as the press service that reported it) reports the event; it is on neither side."""
    def why(d: Draft, side: str, c: Candidate) -> str | None:
        if c.kind != "person" and a.about(c).outlet:
            return f"a news outlet: left off the {side} side of the {d.label()}"
        return None
    _leave_off(drafts, ("kz", "cn"), note, why)
    return drafts


def routes_not_parties(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A route named by its ends ("the Almaty-Urumqi line", "the Beineu-Bozoi-Shymkent pipeline") is
    what a project builds or a train runs on, not a party to the event: it is on neither side. So is
    a city named only as one end of a route, the two ends read apart with a dash between them (a
    flight "Almaty - Urumqi"): a flight or a train runs between them, and neither city acts."""
    ends = a.route_ends

    def why(d: Draft, side: str, c: Candidate) -> str | None:
        if a.about(c).route:
            return f"a route: left off the {side} side of the {d.label()}"
        if c.id in ends:
            return f"named only as a route's end: left off the {side} side of the {d.label()}"
        return None
    _leave_off(drafts, ("kz", "cn"), note, why)
    return drafts


def references_not_parties(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A name that only refers back to a party named elsewhere ("the company", a demonstrative and a
    kind word, in any of the four languages) names no party of its own: it is on neither side. The
    party it refers to is a candidate under its own name."""
    def why(d: Draft, side: str, c: Candidate) -> str | None:
        return f"a reference, not a name: left off the {side} side of the {d.label()}" if a.about(c).reference else None
    _leave_off(drafts, ("kz", "cn"), note, why)
    return drafts


def many_countries_on_neither_side(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A body of many countries (the Shanghai Cooperation Organisation, the CIS, the Organization of
    Turkic States, the UN) or a programme of many ("One Belt, One Road") is on neither side: the sides
    are Kazakhstan's and China's own actors, and such a body stands for neither country."""
    def why(d: Draft, side: str, c: Candidate) -> str | None:
        if a.about(c).many_countries:
            return f"a body or programme of many countries: left off the {side} side of the {d.label()}"
        return None
    _leave_off(drafts, ("kz", "cn"), note, why)
    return drafts


def venue_city_not_party(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A city the article names only as where things happen ("in Beijing", "in the city of Xi'an",
    a Kazakh locative ending, a Chinese "at") is the venue, not a party, on a side that names another
    party (a side with no other party keeps it: the spec lets the place stand for the side). It runs
    once each party stands on its country's side, so a party moved over counts."""
    for d in drafts:
        for side in ("kz", "cn"):
            parties = getattr(d, side)
            venues = [c for c in parties if c.kind == "city" and a.about(c).venue]
            if venues and len(venues) < len(parties):
                for c in venues:
                    note(_name(c), f"named only as where it happened: left off the {side} side of the {d.label()}")
                setattr(d, side, [c for c in parties if c not in venues])
    return drafts


def one_group_per_side(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """Two generic groups on one side of an event ("Chinese entrepreneurs", "representatives of
    Chinese companies") are the same people told twice: the spec makes such a group one party, so
    the side keeps the one whose name says the most (the longest English name, the first on a tie)."""
    for d in drafts:
        for side in ("kz", "cn"):
            parties = getattr(d, side)
            groups = [c for c in parties if c.kind == "group"]
            if len(groups) < 2:
                continue
            keep = max(groups, key=lambda c: len(c.en or c.name))
            for c in groups:
                if c is not keep:
                    note(_name(c), f"the same group as {_name(keep)}: left off the {side} side of the {d.label()}")
            setattr(d, side, [c for c in parties if c.kind != "group" or c is keep])
    return drafts


def firm_with_its_country_one_party(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A Chinese firm named once with its country before it (in Chinese, "China X Group") and once
    without ("X Group") is one party: wherever the model chose either name, the fuller one stands,
    with the mentions of both (so the sentences that name the firm are all its own, and two events
    never hold it as two different counterparts)."""
    fuller = {b: c for c in a.candidates if (b := a.about(c).bare_name)}
    one: dict[int, Candidate] = {}
    for c in a.candidates:
        full = fuller.get(c.name) if c.kind == "company" else None
        if full is not None and full.id != c.id:
            spans = tuple(sorted({*full.spans, *c.spans}, key=lambda sp: sp.start))
            one[c.id] = one[full.id] = replace(full, spans=spans)
    if not one:
        return drafts
    for d in drafts:
        for side in ("kz", "cn"):
            kept: list[Candidate] = []
            for c in getattr(d, side):
                firm = one.get(c.id, c)
                if firm.id != c.id:
                    note(_name(c), f"the same firm as {_name(firm)}: one party on the {side} side of the {d.label()}")
                if all(k.id != firm.id for k in kept):
                    kept.append(firm)
            setattr(d, side, kept)
    return drafts


def country_decides_side(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A place or body the gazetteer (or the text: "the Chinese company X") puts in one country
    is on that country's side; one of a third country is on neither."""
    for d in drafts:
        kz: list[Candidate] = []
        cn: list[Candidate] = []
        for c in d.kz + d.cn:
            was = "kz" if c in d.kz else "cn"
            side = {"KZ": "kz", "CN": "cn"}.get(c.country or "", was if c.country is None else None)
            if side is None:
                note(_name(c), f"of a third country ({c.country}); on neither side")
                continue
            if side != was:
                note(_name(c), f"belongs to {c.country}: moved to the {side} side")
            target = kz if side == "kz" else cn
            if c not in target and not (side == "kz" and c in cn or side == "cn" and c in kz):
                target.append(c)
        d.kz, d.cn = kz, cn
    return drafts


AFFILIATION_GAP = 40  # characters between a body's name and a person named as its representative or head


def _body_before(c: Candidate, a: Analysis) -> Candidate | None:
    """The company, group or body named just before the person's first mention, in the same sentence,
    with only the words of an office between ("company X's representative Y", "the chairman of
    company X Y"): the body the person speaks for."""
    if not c.spans:
        return None
    at = c.spans[0]
    best: tuple[int, Candidate] | None = None
    for b in a.candidates:
        if b.kind not in ("company", "organization", "group", "government"):
            continue
        for sp in b.spans:
            if sp.sentence == at.sentence and sp.end <= at.start and at.start - sp.end <= AFFILIATION_GAP:
                if best is None or sp.end > best[0]:
                    best = (sp.end, b)
    return best[1] if best else None


def _place_named_in(body: Candidate, places: list[Candidate]) -> Candidate | None:
    """The place among ``places`` whose English name the body's English name holds as whole words
    ("Government of Hefei": Hefei; "Atyrau Region Akimat": Atyrau Region), the longest first."""
    name = f" {body.en or ''} "
    held = [p for p in places if p.en and p.en != body.en and f" {p.en} " in name]
    return max(held, key=lambda p: len(p.en or "")) if held else None


def region_bodies_one_party(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A region's or city's own body (its government or akimat, its delegation: ``names.own_body``) on the side
    where the region or city itself already is, is the same party told twice: the body is left off,
    the place stays (the spec's parties for regions are the regions)."""
    def why(d: Draft, slot: str, c: Candidate) -> str | None:
        if not a.about(c).own_body:
            return None
        place = _place_named_in(c, [p for p in getattr(d, slot) if p.kind in ("region", "city")])
        return f"the body of {place.en}, already on the {slot} side of the {d.label()}: one party" if place else None

    _leave_off(drafts, ("kz", "cn"), note, why)
    places = [c for c in a.candidates if c.kind in ("region", "city")]
    for d in drafts:
        for slot in ("kz", "cn"):
            out = []
            for c in getattr(d, slot):
                place = _place_named_in(c, places) if a.about(c).delegation else None
                if place is not None and place.country == c.country:
                    note(_name(c), f"the delegation of {place.en}: the {slot} side's party is {place.en}")
                    c = place
                out.append(c)
            setattr(d, slot, list(dict.fromkeys(out)))
    return drafts


def people_take_their_body_side(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A person the text gives no country, named right after a company or body that has one (its
    representative, chairman or head), is on that body's side: the model may put a Chinese company's
    representative on the Kazakhstan side."""
    for d in drafts:
        for side, other in (("kz", "cn"), ("cn", "kz")):
            for c in list(getattr(d, side)):
                if c.kind != "person" or c.country is not None:
                    continue
                body = _body_before(c, a)
                if body is None or {"KZ": "kz", "CN": "cn"}.get(body.country or "") != other:
                    continue
                setattr(d, side, [x for x in getattr(d, side) if x != c])
                if c not in getattr(d, other):
                    getattr(d, other).append(c)
                note(_name(c), f"speaks for {_name(body)} ({body.country}): moved to the {other} side")
    return drafts


def china_side_people_have_chinese_names(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A person on the China side whose name is not a Chinese one (Han, or Mandarin syllables) is
    left off it: an analyst, a journalist, or a Kazakh official the model put on the wrong side,
    who moves to the Kazakhstan side when that side has no person of its own."""
    lone = {id(d) for d in drafts if not any(c.kind == "person" for c in d.kz)}  # before any moves

    def why(d: Draft, side: str, c: Candidate) -> str | None:
        if c.kind != "person" or c.country is not None or a.about(c).chinese_name or a.about(c).name_in_parts:
            return None
        where = "moved to the Kazakhstan side" if id(d) in lone else "left off the China side"
        return f"not a Chinese name: {where} of the {d.label()}"
    for d, c in _leave_off(drafts, ("cn",), note, why):
        if id(d) in lone:
            d.kz.append(c)
    return drafts


def needs_kazakhstan_and_china(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An article that never names Kazakhstan (or a place or body of it), or never names China,
    reports no Kazakhstan–China event."""
    if drafts and not (a.kz_named and a.cn_named):
        missing = "Kazakhstan" if not a.kz_named else "China"
        for d in drafts:
            note(d.label(), f"the article never names {missing}")
        return []
    return drafts


# The places that may stand for an empty side. The spec lets the Kazakhstan region or city where a
# project is sited stand for the Kazakhstan side; on the China side a province or a government acts (it
# signs, it sends a delegation), while a Chinese city in the sentences is most often where something
# goes or is (a route's end, a border crossing, a fair's venue), not a party.
SIDE_FROM_PLACES = {"kz": ("region", "city", "government"), "cn": ("region", "government")}


def empty_side_from_places(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A side the model left empty gets the places of its country that the event's own sentences name
    (the spec: where no actor is named, the region stands for the side): regions, cities and governments
    for the Kazakhstan side, provinces and governments for the China side (``SIDE_FROM_PLACES``). A
    place named only as a route's end stands for no side (``routes_not_parties``)."""
    for d in drafts:
        for side, country in (("kz", "KZ"), ("cn", "CN")):
            if getattr(d, side):
                continue
            found = [c for c in a.candidates if c.kind in SIDE_FROM_PLACES[side] and c.country == country
                     and set(c.sentences) & set(d.sentences) and c.id not in a.route_ends]
            if found:
                setattr(d, side, found[:2])
                note(d.label(), f"{side} side was empty: {', '.join(_name(c) for c in found[:2])} from its sentences")
    return drafts


HALVES_GAP = 2  # most sentences between two halves of one occasion


def _half(d: Draft) -> str | None:
    return "kz" if d.kz and not d.cn else "cn" if d.cn and not d.kz else None


def halves_of_one_occasion(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """One occasion the model told as two events, one with only a Kazakhstan side and one with only
    a China side (a forum the akim opened, then the part of the Chinese delegation it hosted), is one
    event: neither half is an event alone (``needs_both_sides`` drops both), and their sentences
    follow each other, at most ``HALVES_GAP`` sentences apart. Merged; a half that is
    background was dropped before."""

    def same(o: Draft, d: Draft) -> bool:
        if {_half(o), _half(d)} != {"kz", "cn"} or not o.sentences or not d.sentences:
            return False
        apart = max(min(d.sentences) - max(o.sentences), min(o.sentences) - max(d.sentences)) - 1
        return apart <= HALVES_GAP

    return _merge_twins(drafts, same, note, "the other half of one occasion")


def needs_both_sides(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event has a Kazakhstan-side and a China-side party; one without either is dropped."""
    out = []
    for d in drafts:
        if d.kz and d.cn:
            out.append(d)
        else:
            note(d.label(), f"no {'Kazakhstan' if not d.kz else 'China'}-side party: not an event")
    return out


def _held_in_china(d: Draft, a: Analysis) -> bool:
    """The event's sentences, or the article's first ones (where a visit that frames it is told), say
    it took place in China: a Chinese city or province named as where it happened, or a visit to China."""
    lead = tuple(s.n for s in a.sentences[:LEAD_SENTENCES])
    for numbers in (tuple(d.sentences), lead):
        if any(p.country == "CN" for p in a.locatives(numbers, ("city", "region"))):
            return True
        cue = a.country_cue(numbers)
        if cue and cue[0] == "CN":
            return True
    return False


def china_side_settled(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event's China side needs one party the text makes Chinese: a place or body of China,
    a company or group the words beside it call Chinese, or a person with a Chinese name; or the
    occasion took place in China, where the counterparts a delegation meets are the China side. A
    side of parties whose country the text never settles (a company named bare, a third country's
    people), at an occasion not held in China, is not yet a China side: the event is dropped, and said."""
    out = []
    for d in drafts:
        if any(c.country == "CN" or (c.kind == "person" and a.about(c).chinese_name) for c in d.cn) \
                or _held_in_china(d, a):
            out.append(d)
        else:
            note(d.label(), "no China-side party the text makes Chinese ("
                 + ", ".join(_name(c) for c in d.cn) + ") and not held in China: not an event")
    return out


def people_in_event_sentences(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """People of a known side (a Chinese name, an akim's title) named in the event's sentences
    join that side when the model left them out."""
    for d in drafts:
        chosen = {c.id for c in d.kz + d.cn}
        for c in a.candidates:
            if c.kind != "person" or c.id in chosen or not set(c.sentences) & set(d.sentences):
                continue
            side = {"KZ": d.kz, "CN": d.cn}.get(c.country or "")
            if side is not None and side:
                side.append(c)
                note(_name(c), f"named in the {d.label()}: joins the {c.country} side")
    return drafts


def _current(d: Draft, a: Analysis) -> list[SentenceFeatures]:
    """The event's sentences without those that tell of the past: background is not the news."""
    return [f for f in a.told(d.sentences) if not f.past]


def described_meeting_not_project(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec: "project" is only for a project with no meeting described; a meeting
    described in the event's sentences makes it a meeting."""
    for d in drafts:
        if d.type == "project" and any(f.meeting for f in _current(d, a)):
            d.type = "meeting"
            note(d.label(), "a meeting is described: type meeting")
    return drafts


def background_events_dropped(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event all of whose sentences tell of the past ("earlier", "recall that", "last year", in
    any of the four languages) is background, not the news: dropped."""
    out = []
    for d in drafts:
        told = a.told(d.sentences)
        if told and all(f.past for f in told):
            note(d.label(), "every sentence of it tells of the past: background, not an event")
            continue
        out.append(d)
    return out


def project_needs_news(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec: a "project" event is a project announced, agreed, started or opened. One whose
    sentences (background left out) say none of that (a plant that runs, works under way, an
    overview) is not news: dropped."""
    out = []
    for d in drafts:
        if d.type == "project" and not any(f.project_news for f in _current(d, a)):
            note(d.label(), "no start, opening, plan or agreement is told: not news")
            continue
        out.append(d)
    return out


def _ids(cs: list[Candidate]) -> set[int]:
    return {c.id for c in cs}


def _merge_twins(drafts: list[Draft], same: Callable[[Draft, Draft], bool], note: Note, why: str) -> list[Draft]:
    """Each draft merged into the first kept before it that ``same`` calls the same occasion: its
    sentences, parties and amounts join the twin's, and a signing stays a signing."""
    out: list[Draft] = []
    for d in drafts:
        twin = next((o for o in out if same(o, d)), None)
        if twin is None:
            out.append(d)
            continue
        note(d.label(), f"{why} as the {twin.label()}: merged")
        twin.sentences = sorted(set(twin.sentences) | set(d.sentences))
        for side in ("kz", "cn", "amounts"):
            setattr(twin, side, getattr(twin, side) + [c for c in getattr(d, side) if c not in getattr(twin, side)])
        if twin.document == "none":
            twin.document = d.document
        if twin.status == "none":
            twin.status = d.status
        if d.type == "signing":
            twin.type = "signing"
    return out


def same_occasion_merged(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """Two events that share a sentence and a China-side party, or that have the very same parties
    on both sides, are one occasion said twice (the spec: a second event needs other counterparts)."""

    def same(o: Draft, d: Draft) -> bool:
        return bool((set(o.sentences) & set(d.sentences) and _ids(o.cn) & _ids(d.cn))
                    or (_ids(o.cn) == _ids(d.cn) and _ids(o.kz) == _ids(d.kz) and (o.cn or o.kz))
                    or (o.type == d.type and _ids(o.cn) & _ids(d.cn) and _ids(o.kz) & _ids(d.kz)))

    return _merge_twins(drafts, same, note, "the same occasion")


def one_counterpart_one_occasion(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """Two events of one type whose China side is the very same place alone (the city or province
    where it happened, standing for the side) are one occasion told once per Kazakhstan-side party;
    unless their sentences state two different days. A China side with a person or a body is a
    counterpart, and other Kazakhstan-side parties meeting it may be other occasions (the spec)."""

    def same(o: Draft, d: Draft) -> bool:
        if o.type != d.type or not o.cn or _ids(o.cn) != _ids(d.cn):
            return False
        if any(c.kind not in ("region", "city") for c in o.cn):
            return False
        days = {day[0] for day in (a.stated_day(o.sentences), a.stated_day(d.sentences)) if day}
        return len(days) < 2

    return _merge_twins(drafts, same, note, "the same place alone on the China side")


# ------------------------------------------------------------------ assemble: slots from the analysis


def trade_figures_not_projects(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An amount the text gives as trade (turnover, exports, imports) is a statistic, not the value
    of a project: the trade words stand before it in its sentence."""
    def why(d: Draft, slot: str, c: Candidate) -> str | None:
        return f"a trade figure, not a project's value ({d.label()})" if a.about(c).trade_figure else None
    _leave_off(drafts, ("amounts",), note, why)
    return drafts


def amounts_bring_their_sentences(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An amount chosen for an event is told in one of its sentences: a sentence the model left out
    of the event's that holds its amount joins them (the sentence that says what was signed for it)."""
    for d in drafts:
        for c in d.amounts:
            n = c.spans[0].sentence
            if n not in d.sentences:
                d.sentences = sorted({*d.sentences, n})
                note(d.label(), f"sentence {n} holds its amount {_name(c)}")
    return drafts


def sides_bring_their_sentences(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A sentence that names a party of each side of an event tells of the two together: when the
    model left it out of the event's sentences, no other event holds it and it tells no background,
    it joins them (the sentence that says where they met or what they signed)."""
    held = {n for d in drafts for n in d.sentences}
    for d in drafts:
        kz = {c.id for c in d.kz}
        cn = {c.id for c in d.cn}
        for f in a.read:
            if f.n in held or f.past:
                continue
            here = {c.id for c in a.candidates if any(sp.sentence == f.n for sp in c.spans)}
            if here & kz and here & cn:
                d.sentences = sorted({*d.sentences, f.n})
                held.add(f.n)
                note(d.label(), f"sentence {f.n} names both its sides")
    return drafts


def signing_next_to_its_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A sentence that tells of a signing at a meeting (a signing word, a document and a meeting word,
    no background), right before or right after an event's run of sentences that tells of no signing,
    and held by no event, is that occasion's signing: it joins the event ("during the meeting the
    sides signed two memoranda")."""
    held = {n for d in drafts for n in d.sentences}
    for d in drafts:
        if not d.sentences or any(f.signed and f.document for f in _current(d, a)):
            continue
        for n in (max(d.sentences) + 1, min(d.sentences) - 1):
            f = next(iter(a.told([n])), None)
            if f is None or n in held or f.past or not (f.signed and f.document and f.meeting):
                continue
            d.sentences = sorted({*d.sentences, n})
            held.add(n)
            note(d.label(), f"sentence {n}, next to it, tells of its signing")
            break
    return drafts


def signed_document_makes_signing(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec's type rule: a document signed at the occasion makes it a signing. The event's
    sentences say so (a signing word and a document word); the document's kind is the model's,
    else the one those sentences name."""
    for d in drafts:
        current = _current(d, a)
        document = next((f.document for f in current if f.document), None)
        if d.type in ("signing", "meeting", "forum", "project") and any(f.signed for f in current) and document:
            if d.type != "signing":
                note(d.label(), "its sentences say a document was signed: type signing")
                d.type = "signing"
            if d.document == "none":
                d.document = document or "other"
                note(d.label(), f"the document signed: {d.document}")
    return drafts


def signing_needs_a_signature(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec's type rule the other way: a signing is news that a document was signed. An event the
    model called a signing, for which it named no document and none of whose sentences says that
    anything was signed, is talks: a meeting."""
    for d in drafts:
        if d.type == "signing" and d.document == "none" and not any(f.signed for f in a.told(d.sentences)):
            note(d.label(), "no document, and no sentence of it says one was signed: type meeting")
            d.type = "meeting"
    return drafts


BODY_KINDS = ("company", "organization", "group")


def _signing(d: Draft, a: Analysis) -> tuple[dict[int, SentenceFeatures], set[int], set[int]]:
    """What the event's sentences say, the ones that tell of its signing (a signing word and a
    document, no background), and those with the sentence just before each (the talks that led to it)."""
    told = {f.n: f for f in a.told(d.sentences)}
    signing = {n for n, f in told.items() if f.signed and f.document and not f.past}
    return told, signing, signing | {n - 1 for n in signing if n - 1 in told}


def _named_in(c: Candidate, where: set[int]) -> bool:
    """The candidate is named in one of these sentences."""
    return any(sp.sentence in where for sp in c.spans)


SplitOff = Callable[[Draft, dict[int, SentenceFeatures], set[int], set[int]], Draft | None]


def _meetings_apart(drafts: list[Draft], a: Analysis, split_off: SplitOff) -> list[Draft]:
    """Each signing event, then the meeting ``split_off`` takes out of it (given what the event's
    sentences say, its signing sentences and those with the sentence before each), if any."""
    out: list[Draft] = []
    for d in drafts:
        out.append(d)
        if d.type == "signing":
            meeting = split_off(d, *_signing(d, a))
            if meeting is not None:
                out.append(meeting)
    return out


def signing_apart_from_other_talks(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec's two occasions ("negotiated with company A and signed a framework agreement; also
    met companies B, C, D" is a signing with A and a meeting with B, C, D): China-side companies
    and groups named in a sentence that tells of talks ("met", in any of the four languages),
    but neither where the signing is told nor in the sentence just before it (the talks that led
    to it), met the delegation apart, and become a meeting of their own, with their people (named
    in their sentence or the next)."""

    def split_off(d: Draft, told: dict[int, SentenceFeatures], signing: set[int], near: set[int]) -> Draft | None:
        talks = {n for n, f in told.items() if n not in near and f.meeting and not f.past}
        at_signing = [c for c in d.cn if _named_in(c, near)]
        bodies = [c for c in d.cn if c not in at_signing and c.kind in BODY_KINDS and _named_in(c, talks)]
        theirs = {sp.sentence + k for c in bodies for sp in c.spans for k in (0, 1)}
        apart = bodies + [c for c in d.cn
                          if c.kind == "person" and c not in at_signing and _named_in(c, theirs - near)]
        sentences = sorted({sp.sentence for c in apart for sp in c.spans if sp.sentence in told} - near)
        if not signing or not at_signing or not apart or not sentences:
            return None
        # sentences that name no China-side party tell of the visit both occasions belong to
        frame = [n for n in told if n not in near and not any(_named_in(c, {n}) for c in d.cn)]
        meeting = Draft("meeting", sorted({*sentences, *frame}), list(d.kz), apart,
                        [c for c in d.amounts if c.spans[0].sentence in sentences])
        d.cn = [c for c in d.cn if c not in apart]
        d.sentences = [n for n in d.sentences if n not in sentences]
        d.amounts = [c for c in d.amounts if c not in meeting.amounts]
        note(d.label(), f"{', '.join(_name(c) for c in apart)} met apart from the signing: a meeting of their own")
        return meeting

    return _meetings_apart(drafts, a, split_off)


def kazakh_host_apart_from_signing(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec's two occasions, told from the Kazakhstan side: after a signing with its own
    Kazakhstan-side signatory, a later sentence that tells of talks ("the same day the guests also
    met ...") with Kazakhstan-side people named neither at the signing nor just before it is a second
    occasion with other counterparts: a meeting of those people with the guests of the signing."""

    def split_off(d: Draft, told: dict[int, SentenceFeatures], signing: set[int], near: set[int]) -> Draft | None:
        if not signing:
            return None
        talks = {n for n, f in told.items() if n not in near and n > min(signing) and f.meeting and not f.past}
        signatory = [c for c in d.kz if c.kind == "person" and _named_in(c, near)]
        apart = [c for c in d.kz if c.kind == "person" and not _named_in(c, near) and _named_in(c, talks)]
        guests = [c for c in d.cn if _named_in(c, near)]
        if not signatory or not apart or not guests:
            return None
        sentences = sorted({sp.sentence for c in apart for sp in c.spans if sp.sentence in talks})
        d.kz = [c for c in d.kz if c not in apart]
        d.sentences = [n for n in d.sentences if n not in sentences]
        note(d.label(), f"{', '.join(_name(c) for c in apart)} met the guests apart from the signing: "
             "a meeting of their own")
        return Draft("meeting", sentences, apart, guests, [])

    return _meetings_apart(drafts, a, split_off)


def date_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The date the event's sentences state, else the article's date (the spec: "today" is the
    publication date)."""
    for d in drafts:
        stated = a.stated_date(d.sentences)
        d.date = stated[0] if stated else a.published
        if stated:
            note(d.label(), f"date {stated[0]} from '{stated[1]}'")
    return drafts


def date_of_the_visit(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event whose sentences state no date happened on the date the article's first sentences
    (headline and lead: ``LEAD_SENTENCES``) state outright, to the day and not after the publication
    ("On 3 April the governor received a delegation ..."), rather than on the publication date: news tells the
    date of the visit once, up front."""
    framed = a.stated_day({s.n for s in a.sentences[:LEAD_SENTENCES]})
    if framed is None:
        return drafts
    for d in drafts:
        if a.stated_date(d.sentences) is None and d.date != framed[0]:
            d.date = framed[0]
            note(d.label(), f"date {framed[0]}: the article's first sentences state it ('{framed[1]}')")
    return drafts


def _telling(d: Draft, a: Analysis) -> list[int]:
    """The event's sentences that tell of the occasion itself (a meeting, visit, forum or signing
    word), or all of them for a project: a place named elsewhere is where a plant will stand,
    not where the talks were."""
    return [f.n for f in a.told(d.sentences) if d.type == "project" or f.occasion]


def place_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """Where it happened: a city the sentences that tell of the occasion name as its place
    ("in the city of X", "in X", a Kazakh locative, a Chinese "at X"), else the country they say it is
    in or a visit is to."""
    for d in drafts:
        places = a.locatives(_telling(d, a))
        if places:
            d.place, d.country = places[0].en, places[0].country
            note(d.label(), f"place {places[0].en}")
            continue
        cue = a.country_cue(d.sentences)
        if cue:
            d.country = cue[0]
            note(d.label(), f"country {cue[0]} from '{cue[1]}'")
    return drafts


def _destination(a: Analysis, sentences: list[int] | tuple[int, ...]) -> Candidate | None:
    """The region or city (of Kazakhstan or China) a visit or an arrival in these sentences is to:
    the first mention there the analysis reads as where a visit or arrival went."""
    found: list[tuple[int, Candidate]] = []
    for c in a.candidates:
        if c.kind not in ("region", "city") or c.country not in ("KZ", "CN"):
            continue
        found.extend((sp.start, c) for sp in a.about(c).arrivals if sp.sentence in sentences)
    return min(found, key=lambda f: f[0])[1] if found else None


def visited_place(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event with no place named is where the visit or arrival its sentences report went
    ("the delegation arrived in X", a Kazakh dative place with an arrival verb, a Chinese "visited
    X"); the article's first sentences frame a visit for every event in it, a country they name too."""
    lead = tuple(s.n for s in a.sentences[:LEAD_SENTENCES])
    for d in drafts:
        if d.place:
            continue
        where = _destination(a, d.sentences) or (None if d.country else _destination(a, lead))
        if where and (d.country in (None, where.country)):
            d.place, d.country = where.en, where.country
            note(d.label(), f"place {where.en}: the visit was to it")
            continue
        if d.country is None:
            cue = a.country_cue(lead)
            if cue:
                d.country = cue[0]
                note(d.label(), f"country {cue[0]}: the article's visit ('{cue[1]}')")
    return drafts


def region_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event with no city named happened in the region its sentences name as the place
    ("in X Region", a Kazakh locative, a Chinese "in X prefecture"): a project's sentences, or a
    sentence that tells of the occasion itself ("a visit took place in X")."""
    for d in drafts:
        if d.place:
            continue
        regions = [p for p in a.locatives(_telling(d, a), kinds=("region",)) if d.country in (None, p.country)]
        if regions:
            d.place, d.country = regions[0].en, regions[0].country
            note(d.label(), f"place {regions[0].en}: its sentences say it was there")
    return drafts


def host_region(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A Kazakhstan region or city on the event's Kazakhstan side that received the guests ("received",
    in any of the four languages) is where the event was, when nothing else says where (a city's
    akim or mayor hosts in the city as a region's akim does in the region)."""
    for d in drafts:
        if d.place or d.country == "CN" or not any(f.received for f in a.told(d.sentences)):
            continue
        region = next((c for c in d.kz if c.kind in ("region", "city") and c.country == "KZ"), None)
        if region:
            d.place, d.country = region.en, "KZ"
            note(d.label(), f"place {region.en}: its akim received the guests")
    return drafts


def place_of_the_visit(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event that no sentence of its own places is where the article's first sentences (headline and
    lead: ``LEAD_SENTENCES``) say the visit or occasion that frames it happened: the city they name as
    where something happens ("during the visit, a forum was held in the city of X"), when the event's
    country, if known, is that city's."""
    lead = tuple(s.n for s in a.sentences[:LEAD_SENTENCES])
    for d in drafts:
        if d.place:
            continue
        framed = [p for p in a.locatives(lead, ("city",)) if d.country in (None, p.country)]
        if framed:
            d.place, d.country = framed[0].en, framed[0].country
            note(d.label(), f"place {framed[0].en}: the article's first sentences put the visit there")
    return drafts


def sectors_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The sectors an event is about: those named in its sentences and the sentences either side
    (the whole article when it reports one event), the most often named first, at most ``MAX_SECTORS``."""
    for d in drafts:
        around = None if len(drafts) == 1 else sorted({n + k for n in d.sentences for k in (-1, 0, 1)})
        d.sectors = a.sectors(around)[:MAX_SECTORS]
    return drafts


def _project_place(d: Draft, a: Analysis) -> str | None:
    for c in d.kz + [c for c in a.candidates if set(c.sentences) & set(d.sentences)]:
        if c.kind in ("region", "city") and c.country == "KZ":
            return c.en
    return None


def _object(d: Draft, a: Analysis) -> str | None:
    """The project object the event's sentences name first."""
    return next((f.project_object for f in a.told(d.sentences) if f.project_object), None)


def projects_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A project for each amount chosen for the event (what: the project word nearest the amount;
    where: the Kazakhstan place of the event), and one for a project word with a status when
    no amount is given."""
    for d in drafts:
        for c in d.amounts:
            near = a.about(c)
            what = near.project_object or _object(d, a) or "investment project"
            d.projects.append({"description": what, "location": _project_place(d, a),
                               "sectors": list(near.project_sectors[:MAX_SECTORS]) or d.sectors[:2],
                               "value": c.amount.as_money() if c.amount else None,
                               "status": d.status if d.status != "none" else near.project_status})
            note(_name(c), f"project '{what}' with this amount")
        if not d.amounts and d.status != "none":
            thing = _object(d, a)
            if thing:
                d.projects.append({"description": thing, "location": _project_place(d, a),
                                   "sectors": d.sectors[:2], "value": None, "status": d.status})
                note(d.label(), f"project '{thing}' ({d.status}) without an amount")
    return drafts


def _signatory(side: list[Candidate], signing: set[int]) -> Candidate | None:
    """The side's signatory: of its bodies (people where it names none), the one named first in a
    sentence that says the document was signed, else the first the model chose."""
    bodies = [c for c in side if c.kind != "person"] or side
    named = [(min(s.start for s in c.spans if s.sentence in signing), c) for c in bodies
             if any(s.sentence in signing for s in c.spans)]
    if named:
        return min(named, key=lambda n: n[0])[1]
    return bodies[0] if bodies else None


def person_names_in_english(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """People named in Cyrillic (not Chinese names) get the usual English spelling: a man's surname
    agrees with his given name ("Marat Sultanova" -> "Marat Sultanov", in Cyrillic), then BGN/PCGN's
    "ye" ("Zhumabayev", "Yerlan"), capitals spelled as a name."""

    def english(c: Candidate) -> Candidate:
        found = a.about(c).english
        if found is None:
            return c
        name, en = found
        note(_name(c), f"in English: {en}")
        return replace(c, name=name, en=en)

    for d in drafts:
        d.kz = [english(c) for c in d.kz]
        d.cn = [english(c) for c in d.cn]
    return drafts


def company_names_canonical(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A company's English name is its canonical one, without the legal form ("Sunrise New
    Materials" for "Sunrise New Materials Co., Ltd."): "... (Group)" is "... Group", "... Group
    Corporation" is "... Group", and a trailing "Company" after a name of two words or more is left
    off ("Corporation" alone stays: many state companies are named with it)."""

    def canonical(c: Candidate) -> Candidate:
        en = a.about(c).canonical_en
        if not en or en == c.en:
            return c
        note(_name(c), f"canonical English name: {en}")
        return replace(c, en=en)

    for d in drafts:
        d.kz = [canonical(c) for c in d.kz]
        d.cn = [canonical(c) for c in d.cn]
    return drafts

def agreement_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A signing's document, signed by one body of each side: the one named where the signing is
    told (people where a side names no body)."""
    for d in drafts:
        if d.document == "none":
            continue
        signing = {f.n for f in a.told(d.sentences) if f.signed}
        parties = [c for c in (_signatory(d.kz, signing), _signatory(d.cn, signing)) if c is not None]
        d.agreements.append({"kind": d.document, "subject": ", ".join(d.sectors) or "cooperation",
                             "parties": [c.en or c.name for c in parties]})
    return drafts


def parties_per_side(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A side keeps at most ``PARTIES_PER_SIDE`` parties, the first as chosen (the model's own choices
    first, then those the rules added): an event's side is the few who met or signed, and a longer
    list is everyone its sentences name (officials present, companies mentioned, places)."""
    for d in drafts:
        for side in ("kz", "cn"):
            parties = getattr(d, side)
            for c in parties[PARTIES_PER_SIDE:]:
                note(_name(c), f"more than {PARTIES_PER_SIDE} parties: left off the {side} side of the {d.label()}")
            setattr(d, side, parties[:PARTIES_PER_SIDE])
    return drafts

RULES: tuple[Rule, ...] = tuple(Rule(f.__name__, stage, f, f.__doc__ or "") for stage, f in (
    ("check", quoted_parties),
    ("check", kinds_in_slots),
    ("check", outlets_not_parties),
    ("check", routes_not_parties),
    ("check", references_not_parties),
    ("check", firm_with_its_country_one_party),
    ("check", country_decides_side),
    ("check", venue_city_not_party),
    ("check", china_side_people_have_chinese_names),
    ("check", people_take_their_body_side),
    ("check", region_bodies_one_party),
    ("check", one_group_per_side),
    ("check", same_occasion_merged),
    ("check", one_counterpart_one_occasion),
    ("check", needs_kazakhstan_and_china),
    ("check", empty_side_from_places),
    ("check", people_in_event_sentences),
    ("check", many_countries_on_neither_side),
    ("check", background_events_dropped),
    ("check", described_meeting_not_project),
    ("check", project_needs_news),
    ("check", halves_of_one_occasion),
    ("check", needs_both_sides),
    ("check", china_side_settled),
    ("check", trade_figures_not_projects),
    ("check", amounts_bring_their_sentences),
    ("check", sides_bring_their_sentences),
    ("check", signing_next_to_its_event),
    ("assemble", signed_document_makes_signing),
    ("assemble", signing_needs_a_signature),
    ("assemble", signing_apart_from_other_talks),
    ("assemble", kazakh_host_apart_from_signing),
    ("assemble", date_of_event),
    ("assemble", date_of_the_visit),
    ("assemble", place_of_event),
    ("assemble", visited_place),
    ("assemble", region_of_event),
    ("assemble", host_region),
    ("assemble", place_of_the_visit),
    ("assemble", sectors_of_event),
    ("assemble", projects_of_event),
    ("assemble", person_names_in_english),
    ("assemble", company_names_canonical),
    ("assemble", agreement_of_event),
    ("assemble", parties_per_side),
))
RULE_NAMES = tuple(r.name for r in RULES)
