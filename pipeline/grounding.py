"""Evidence alignment: where each quote stands in the article, and how it was found."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\xa0": " "})


@dataclass(frozen=True)
class Span:
    status: str  # exact | normalised | missing
    start: int | None
    end: int | None

    def as_dict(self) -> dict[str, object]:
        return {"status": self.status, "start": self.start, "end": self.end}


def _normalise(text: str) -> tuple[str, list[int]]:
    """Folded text (quotes unified, whitespace collapsed, case folded) and a map to source offsets."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            if prev_space:
                continue
            prev_space = True
            out.append(" ")
            index.append(i)
            continue
        prev_space = False
        for c in ch.casefold():
            out.append(c)
            index.append(i)
    return "".join(out), index


def locate(quote: str, text: str) -> Span:
    q = quote.strip()
    if not q:
        return Span("missing", None, None)
    i = text.find(q)
    if i >= 0:
        return Span("exact", i, i + len(q))
    nt, idx = _normalise(text)
    nq, _ = _normalise(q)
    nq = re.sub(r"^[\s\"'.…]+|[\s\"'.…]+$", "", nq)
    j = nt.find(nq) if nq else -1
    if j >= 0:
        return Span("normalised", idx[j], idx[j + len(nq) - 1] + 1)
    return Span("missing", None, None)


FUZZY_MIN = 85.0  # rapidfuzz partial-ratio score for a quote to count as the same words


def locate_any(quote: str, text: str) -> Span:
    """``locate``, then fuzzy: the stretch of the article a lightly edited quote comes from
    (status ``fuzzy``, offsets of the article's own words)."""
    span = locate(quote, text)
    q = quote.strip()
    if span.status != "missing" or len(q) < 20 or len(q) > 2000:
        return span
    from rapidfuzz import fuzz

    low = text.lower()
    if len(low) != len(text):  # a case mapping changed lengths: offsets would not hold
        return span
    best = None
    # compare against windows around each sentence, so offsets stay tight
    for m in re.finditer(r"[^.!?。！？\n]+[.!?。！？]?", text):
        if abs(len(m.group()) - len(q)) > max(len(q), 80):
            continue
        a = fuzz.partial_ratio_alignment(q.lower(), low[m.start():m.end()])
        if a is not None and a.score >= FUZZY_MIN and (best is None or a.score > best[0]):
            best = (a.score, *_widen(q.lower(), low, m.start(), m.end(), m.start() + a.dest_start,
                                     m.start() + a.dest_end))
    return Span("fuzzy", best[1], best[2]) if best else span


def _widen(q: str, low: str, s0: int, s1: int, start: int, end: int) -> tuple[int, int]:
    """Stretch an alignment to the quote's first and last words: a left-out word makes the
    best equal-length window start or end too late."""
    words = q.split()
    first = low.rfind(words[0], s0, start + len(words[0])) if words else -1
    if first != -1:
        start = min(start, first)
    last = low.find(words[-1], max(s0, end - len(words[-1])), s1) if words else -1
    if last != -1:
        end = max(end, last + len(words[-1]))
    return start, end


# ---------------------------------------------------------------- slot values


def name_in_text(name: str, text: str, folded_text: str | None = None) -> bool:
    """The name, or an inflected form of each of its words, is in the text
    ("Абдікәрімовтің" grounds "Абдікәрімов"; "Туркестанской области" grounds "Туркестанская область")."""
    from .textnorm import fold

    n = (name or "").strip()
    if not n:
        return False
    if n.casefold() in text.casefold():
        return True
    if re.search(r"[\u4e00-\u9fff]", n):
        return False
    ft = folded_text if folded_text is not None else fold(text)
    words = [w for w in fold(n).split() if len(w) >= 2]
    if not words:
        return False
    for w in words:
        stem = w if len(w) < 6 else w[: max(4, len(w) - 4)]
        if not re.search(rf"(?<![a-z0-9]){re.escape(stem)}", ft):
            return False
    return True


def slot_grounding(event: dict[str, Any], text: str) -> dict[str, Any]:
    """Which of an event's values the article supports: evidence quotes, party names
    (as written, allowing for case endings), amounts (read back from the text) and the place."""
    from .money import find_amounts
    from .names import gazetteer
    from .textnorm import fold

    ft = fold(text)
    amounts = find_amounts(text)
    parties = [p for side in ("kz_parties", "cn_parties") for p in event.get(side, []) or []]
    money = []
    for pr in event.get("projects", []) or []:
        v = pr.get("value")
        if v:
            money.append(any(a.currency == v["currency"] and abs(a.amount - v["amount"]) <= 0.01 * a.amount
                             for a in amounts))
    place = (event.get("location") or {}).get("place")
    place_ok = None
    if place:
        hit = gazetteer().lookup(place)
        place_ok = (hit in {h.place for h in gazetteer().find(text)}) if hit else name_in_text(place, text, ft)
    return {
        "evidence": [locate_any(q, text).as_dict() for q in event.get("evidence", []) or []],
        "parties": [name_in_text(p.get("name", ""), text, ft) or name_in_text(p.get("name_en", ""), text, ft)
                    for p in parties],
        "money": money,
        "place": place_ok,
    }


def drop_ungrounded(event: dict[str, Any], g: dict[str, Any], text: str) -> dict[str, Any]:
    """The event without the values the article does not support (``--strict-grounding``)."""
    ev = dict(event)
    # a quote found only fuzzily becomes the article's own words; one not found at all goes
    ev["evidence"] = [q if a["status"] in ("exact", "normalised") else text[a["start"]:a["end"]]
                      for q, a in zip(ev.get("evidence", []) or [], g["evidence"], strict=True)
                      if a["status"] != "missing"]
    oks = iter(g["parties"])
    for side in ("kz_parties", "cn_parties"):
        ev[side] = [p for p in ev.get(side, []) or [] if next(oks)]
    money = iter(g["money"])
    projects = []
    for pr in ev.get("projects", []) or []:
        if pr.get("value") and not next(money):
            pr = {**pr, "value": None}
        projects.append(pr)
    ev["projects"] = projects
    if g["place"] is False:
        ev["location"] = {**(ev.get("location") or {}), "place": None}
    return ev
