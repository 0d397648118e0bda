"""The rules of the choose method, in the order they run (see ``pipeline.check``)."""

from __future__ import annotations

import re

from ..analyse import Analysis, Candidate
from ..lexicon import first_key, has_stem, lexicon
from ..names import gazetteer
from ..sectors import sectors_in
from . import Draft, Note, Rule

MAX_SECTORS = 4  # the spec's events name a few sectors, not every word's
PROJECT_WINDOW = 160  # characters around an amount searched for what the project is
PARTY_KINDS = ("person", "company", "organization", "government", "region", "city", "group")


def _name(c: Candidate) -> str:
    return f"{c.en or c.name} (#{c.id})"


# ------------------------------------------------------------------ check: the model's choice


def kinds_in_slots(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An amount given as a party, or a party given as an amount, leaves that slot."""
    for d in drafts:
        for side in ("kz", "cn"):
            keep = [c for c in getattr(d, side) if c.kind in PARTY_KINDS]
            for c in getattr(d, side):
                if c not in keep:
                    note(_name(c), f"an amount is not a party ({side} side of the {d.label()})")
            setattr(d, side, keep)
        amounts = [c for c in d.amounts if c.kind == "amount"]
        for c in d.amounts:
            if c not in amounts:
                note(_name(c), f"not an amount ({d.label()})")
        d.amounts = amounts
    return drafts


def country_decides_side(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A place or body the gazetteer (or the text: "китайская компания X") puts in one country
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


def china_side_people_have_chinese_names(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A person on the China side whose name is not a Chinese one (Han, or Mandarin syllables) is
    left off it: an analyst, a journalist, or a Kazakh official the model put on the wrong side,
    who moves to the Kazakhstan side when that side has no person of its own."""
    from ..analyse.finders import person_country

    for d in drafts:
        keep = []
        kz_people = any(c.kind == "person" for c in d.kz)
        for c in d.cn:
            if c.kind == "person" and c.country is None and person_country(c.name, c.en, None) != "CN" \
                    and "·" not in c.name:
                if not kz_people:
                    d.kz.append(c)
                    note(_name(c), f"not a Chinese name: moved to the Kazakhstan side of the {d.label()}")
                else:
                    note(_name(c), f"not a Chinese name: left off the China side of the {d.label()}")
                continue
            keep.append(c)
        d.cn = keep
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


def empty_side_from_places(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A side the model left empty gets the regions and cities of its country that the event's
    own sentences name (the spec: where no actor is named, the region stands for the side)."""
    for d in drafts:
        for side, country in (("kz", "KZ"), ("cn", "CN")):
            if getattr(d, side):
                continue
            found = [c for c in a.candidates if c.kind in ("region", "city", "government") and c.country == country
                     and set(c.sentences) & set(d.sentences)]
            if found:
                setattr(d, side, found[:2])
                note(d.label(), f"{side} side was empty: {', '.join(_name(c) for c in found[:2])} from its sentences")
    return drafts


def needs_both_sides(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """An event has a Kazakhstan-side and a China-side party; one without either is dropped."""
    out = []
    for d in drafts:
        if d.kz and d.cn:
            out.append(d)
        else:
            note(d.label(), f"no {'Kazakhstan' if not d.kz else 'China'}-side party: not an event")
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


def described_meeting_not_project(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec: "project" is only for a project with no meeting described; a meeting
    described in the event's sentences makes it a meeting."""
    for d in drafts:
        if d.type == "project" and has_stem(lexicon()["meeting"], a.sentence_text(d.sentences)):
            d.type = "meeting"
            note(d.label(), "a meeting is described: type meeting")
    return drafts


def same_occasion_merged(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """Two events that share a sentence and a China-side party, or that have the very same parties
    on both sides, are one occasion said twice (the spec: a second event needs other counterparts)."""
    out: list[Draft] = []

    def ids(cs: list[Candidate]) -> set[int]:
        return {c.id for c in cs}

    for d in drafts:
        twin = next((o for o in out if (set(o.sentences) & set(d.sentences) and ids(o.cn) & ids(d.cn))
                     or (ids(o.cn) == ids(d.cn) and ids(o.kz) == ids(d.kz))), None)
        if twin is None:
            out.append(d)
            continue
        note(d.label(), f"the same occasion as the {twin.label()}: merged")
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


# ------------------------------------------------------------------ assemble: slots from the analysis


def signed_document_makes_signing(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The spec's type rule: a document signed at the occasion makes it a signing. The event's
    sentences say so (a signing word and a document word); the document's kind is the model's,
    else the one those sentences name."""
    lx = lexicon()
    for d in drafts:
        text = a.sentence_text(d.sentences)
        if d.type in ("signing", "meeting", "forum", "project") and has_stem(lx["signed"], text) \
                and first_key(lx["documents"], text):
            if d.type != "signing":
                note(d.label(), "its sentences say a document was signed: type signing")
                d.type = "signing"
            if d.document == "none":
                d.document = first_key(lx["documents"], text) or "other"
                note(d.label(), f"the document signed: {d.document}")
    return drafts


def date_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The date the event's sentences state, else the article's date (the spec: "today" is the
    publication date)."""
    for d in drafts:
        spans = [(s.start, s.end) for s in a.sentences if s.n in d.sentences]
        stated = [f for f in a.dates if any(s <= f.start < e for s, e in spans)]
        explicit = [f for f in stated if not f.relative]
        pick = (explicit or stated)[0] if (explicit or stated) else None
        d.date = pick.value if pick else a.article.published
        if pick:
            note(d.label(), f"date {pick.value} from '{pick.text}'")
    return drafts


_IN_COUNTRY = {
    "CN": re.compile(r"Қытайда|Қытайға|ҚХР-да|в Китае|в КНР|в Китай|in China|to China|访华|在华|来华", re.IGNORECASE),
    "KZ": re.compile(r"Қазақстанда|в Казахстане|in Kazakhstan|在哈萨克斯坦|访哈|来哈", re.IGNORECASE),
}


def place_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """Where it happened: a city the event's sentences name as the place of the occasion
    ("в городе X", "X қаласында", "in X", "在X"), else the country a visit is to."""
    g = gazetteer()
    for d in drafts:
        text = a.sentence_text(d.sentences)
        places = g.locatives(text)
        if places:
            d.place, d.country = places[0].en, places[0].country
            note(d.label(), f"place {places[0].en}")
            continue
        for country, pat in _IN_COUNTRY.items():
            if pat.search(text):
                d.country = country
                note(d.label(), f"country {country} from '{pat.search(text).group()}'")  # type: ignore[union-attr]
                break
    return drafts


def sectors_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """The sectors the event's sentences name (the lexicon's stems), at most ``MAX_SECTORS``."""
    for d in drafts:
        d.sectors = sectors_in(a.sentence_text(d.sentences))[:MAX_SECTORS]
    return drafts


def _object(text: str) -> str | None:
    return first_key(lexicon()["project_objects"], text)


def _project_place(d: Draft, a: Analysis) -> str | None:
    for c in d.kz + [c for c in a.candidates if set(c.sentences) & set(d.sentences)]:
        if c.kind in ("region", "city") and c.country == "KZ":
            return c.en
    return None


def _status(d: Draft, text: str) -> str | None:
    if d.status != "none":
        return d.status
    return first_key(lexicon()["status"], text)


def projects_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A project for each amount chosen for the event (what: the project word nearest the amount;
    where: the Kazakhstan place of the event), and one for a project word with a status when
    no amount is given."""
    text = a.article.text
    for d in drafts:
        ev_text = a.sentence_text(d.sentences)
        for c in d.amounts:
            s = c.spans[0]
            around = text[max(0, s.start - PROJECT_WINDOW):s.end + PROJECT_WINDOW]
            what = _object(around) or _object(ev_text) or "investment project"
            d.projects.append({"description": what, "location": _project_place(d, a),
                               "sectors": sectors_in(around)[:MAX_SECTORS] or d.sectors[:2],
                               "value": c.amount.as_money() if c.amount else None,
                               "status": _status(d, around)})
            note(_name(c), f"project '{what}' with this amount")
        if not d.amounts and d.status != "none":
            thing = _object(ev_text)
            if thing:
                d.projects.append({"description": thing, "location": _project_place(d, a),
                                   "sectors": d.sectors[:2], "value": None, "status": d.status})
                note(d.label(), f"project '{thing}' ({d.status}) without an amount")
    return drafts


def agreement_of_event(drafts: list[Draft], a: Analysis, note: Note) -> list[Draft]:
    """A signing's document, signed by the bodies on both sides (people where no body is named)."""
    for d in drafts:
        if d.document == "none":
            continue
        bodies = [c for c in d.kz + d.cn if c.kind != "person"] or d.kz + d.cn
        d.agreements.append({"kind": d.document, "subject": ", ".join(d.sectors) or "cooperation",
                             "parties": [c.en or c.name for c in bodies]})
    return drafts


RULES: tuple[Rule, ...] = tuple(Rule(f.__name__, stage, f, f.__doc__ or "") for stage, f in (
    ("check", kinds_in_slots),
    ("check", country_decides_side),
    ("check", china_side_people_have_chinese_names),
    ("check", same_occasion_merged),
    ("check", needs_kazakhstan_and_china),
    ("check", empty_side_from_places),
    ("check", people_in_event_sentences),
    ("check", described_meeting_not_project),
    ("check", needs_both_sides),
    ("assemble", signed_document_makes_signing),
    ("assemble", date_of_event),
    ("assemble", place_of_event),
    ("assemble", sectors_of_event),
    ("assemble", projects_of_event),
    ("assemble", agreement_of_event),
))
RULE_NAMES = tuple(r.name for r in RULES)
