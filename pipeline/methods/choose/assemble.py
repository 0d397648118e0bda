"""Assemble: the model's choice (numbers) and the analysis become the spec's events.

Names, English names, titles, evidence, amounts and dates all come from the analysis, so every
value is the article's own (grounded by construction); the rules in ``pipeline.methods.choose.checks`` correct
the choice and fill the slots; the summary is a template over the slots.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.analyse import Analysis, Candidate
from pipeline.methods.choose.checks import Draft, run
from pipeline.methods.choose.rules import RULES

_PARTY_KIND = {"city": "region", "group": "organization"}
_TYPE_WORDS = {"meeting": "Meeting", "signing": "Signing", "forum": "Forum", "trade": "Trade deal",
               "project": "Investment project"}


def party(c: Candidate) -> dict[str, Any]:
    return {"name": c.name[:200], "name_en": (c.en or c.name)[:200], "kind": _PARTY_KIND.get(c.kind, c.kind),
            "title": c.title if c.kind == "person" else None, "affiliation": None}


def drafts_from(choice: dict[str, Any], analysis: Analysis) -> tuple[list[Draft], list[dict[str, str]]]:
    """The model's events as drafts; numbers that name no sentence or candidate are left out (and said)."""
    log: list[dict[str, str]] = []
    numbers = {s.n for s in analysis.sentences}
    by_id = {c.id: c for c in analysis.candidates}
    drafts = []
    for i, ev in enumerate(choice.get("events", []), 1):
        bad = [n for n in ev["sentences"] if n not in numbers]
        bad_ids = [n for key in ("kz", "cn", "amounts") for n in ev[key] if n not in by_id]
        if bad or bad_ids:
            log.append({"rule": "unknown_numbers", "target": f"event {i}",
                        "reason": f"sentences {bad} and candidates {bad_ids} are not in the article"})
        sents = sorted({n for n in ev["sentences"] if n in numbers})

        kz, cn, amounts = (list(dict.fromkeys(by_id[n] for n in ev[key] if n in by_id))
                           for key in ("kz", "cn", "amounts"))
        if not sents:  # the sentences its candidates are named in
            sents = sorted({s for c in kz + cn + amounts for s in c.sentences})[:4]
        quotes = {side: list(ev[f"{side}_words"]) for side in ("kz", "cn") if ev.get(f"{side}_words")}
        drafts.append(Draft(type=ev["type"], sentences=sents, kz=kz, cn=cn, amounts=amounts,
                            document=ev.get("document", "none"), status=ev.get("status", "none"), quotes=quotes,
                            number=i))
    return drafts, log


def summary(d: Draft) -> str:
    kz = ", ".join(c.en or c.name for c in d.kz[:3])
    cn = ", ".join(c.en or c.name for c in d.cn[:3])
    s = f"{_TYPE_WORDS.get(d.type, 'Event')} between {kz} and {cn}"
    if d.place:
        s += f" in {d.place}"
    if d.agreements:
        s += f"; a {d.agreements[0]['kind'].replace('_', ' ')} was signed"
    if d.projects:
        s += f"; project: {d.projects[0]['description']}"
    return (s + ".")[:300]


def to_event(d: Draft, analysis: Analysis) -> dict[str, Any]:
    return {
        "type": d.type, "date": d.date,
        "location": {"place": d.place, "country": d.country},
        "kz_parties": [party(c) for c in d.kz], "cn_parties": [party(c) for c in d.cn],
        "sectors": d.sectors, "agreements": d.agreements, "projects": d.projects,
        "summary": summary(d),
        "evidence": [s.text for s in analysis.sentences if s.n in d.sentences],
    }


# The record schema's bounds (schemas/record.v1.json): a long answer is cut to them, in order.
MAX_PARTIES = 10
MAX_EVIDENCE = 6
MAX_EVENTS = 8  # the record schema's events.maxItems: a long page's further events are cut, and said


def within_limits(d: Draft, note: list[dict[str, str]]) -> Draft:
    for side in ("kz", "cn"):
        items = getattr(d, side)
        if len(items) > MAX_PARTIES:
            note.append({"rule": "schema_limits", "target": d.label(),
                         "reason": f"{len(items)} {side} parties: the first {MAX_PARTIES} kept"})
            setattr(d, side, items[:MAX_PARTIES])
    if len(d.sentences) > MAX_EVIDENCE:
        note.append({"rule": "schema_limits", "target": d.label(),
                     "reason": f"{len(d.sentences)} sentences: the first {MAX_EVIDENCE} kept as evidence"})
        d.sentences = d.sentences[:MAX_EVIDENCE]
    return d


def with_follow_ups(drafts: list[Draft], asked: dict[int, dict[str, str | None]]) -> list[dict[str, Any]]:
    """Each follow-up's quote joins its event's quotes for the side asked about (rule
    ``quoted_parties`` grounds it); what each follow-up answered is said."""
    log: list[dict[str, Any]] = []
    for d in drafts:
        for side, words in asked.get(d.number, {}).items():
            name = {"kz": "Kazakhstan", "cn": "China"}[side]
            if words is not None:
                d.quotes.setdefault(side, []).append(words)
                d.asked[side] = words
            log.append({"rule": "follow_up", "target": f"{side} side of the {d.label()}",
                        "reason": f"no {name}-side party: asked which words of its sentences name it; "
                                  + ("a quote (see quoted_parties)" if words is not None else "none"),
                        "answered": words is not None})
    return log


def assemble(choice: dict[str, Any], analysis: Analysis, without: Iterable[str] = (),
             asked: dict[int, dict[str, str | None]] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The events of the record and the provenance of every rule that changed or dropped something.
    ``asked``: the follow-up questions' answers, by event number and side (the empty-side follow-up)."""
    drafts, first = drafts_from(choice, analysis)
    log: list[dict[str, Any]] = [*first, *(with_follow_ups(drafts, asked) if asked else [])]
    drafts, checks = run(drafts, analysis, RULES, without)
    limits: list[dict[str, str]] = []
    if len(drafts) > MAX_EVENTS:
        limits.append({"rule": "schema_limits", "target": "events",
                       "reason": f"{len(drafts)} events: the first {MAX_EVENTS} kept (the record schema's bound)"})
    drafts = [within_limits(d, limits) for d in drafts[:MAX_EVENTS]]
    return [to_event(d, analysis) for d in drafts], log + checks + limits
