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
        "evidence": [locate(q, text).status != "missing" for q in event.get("evidence", []) or []],
        "parties": [name_in_text(p.get("name", ""), text, ft) or name_in_text(p.get("name_en", ""), text, ft)
                    for p in parties],
        "money": money,
        "place": place_ok,
    }


def drop_ungrounded(event: dict[str, Any], g: dict[str, Any]) -> dict[str, Any]:
    """The event without the values the article does not support (``--strict-grounding``)."""
    ev = dict(event)
    ev["evidence"] = [q for q, ok in zip(ev.get("evidence", []) or [], g["evidence"], strict=True) if ok]
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
