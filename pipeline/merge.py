"""One record per real-world event: cluster events reported by several articles.

Two events from different articles are the same occasion when their dates
agree (within ``DATE_WINDOW_DAYS``), their parties overlap after
normalisation (English names folded and compared fuzzily), and place and type
do not contradict each other. Clusters are built by single linkage, never
joining two events of one article, and never joining two clusters unless every
event of one is compatible with every event of the other (``compatible``: dates
within the window, places that agree): an undated event cannot chain events
months apart. A merged record keeps every source, the union of the slots, and
the conflicts between sources (date, place, type, amounts) listed rather than
hidden.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from .dates import parse_iso
from .textnorm import fold

DATE_WINDOW_DAYS = 7
LINK_THRESHOLD = 0.5
COMPATIBLE = {frozenset({"meeting", "signing"}), frozenset({"meeting", "forum"}), frozenset({"signing", "project"})}


@dataclass(frozen=True)
class Ref:
    article_id: str
    index: int
    event: dict[str, Any]
    language: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    # values of the event that only words addressed to the model name (provenance.grounded[].injected)
    injected: tuple[dict[str, Any], ...] = ()

    @property
    def id(self) -> str:
        return f"{self.article_id}#{self.index}"


def refs_from_records(records: Iterable[dict[str, Any]]) -> list[Ref]:
    out = []
    for rec in records:
        if "error" in rec:
            continue
        source = (rec.get("provenance") or {}).get("input") or {}
        url, title = source.get("url"), source.get("title")
        grounded = (rec.get("provenance") or {}).get("grounded") or []
        for i, ev in enumerate(rec.get("events", [])):
            flags = grounded[i].get("injected") if i < len(grounded) and isinstance(grounded[i], dict) else None
            out.append(Ref(rec["article_id"], i, ev, rec.get("language"), rec.get("published"),
                           url if isinstance(url, str) and len(url) <= 2000 else None,
                           title[:1000] if isinstance(title, str) else None,
                           tuple(f for f in flags or [] if isinstance(f, dict))))
    return out


def drop_repeated(records: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The records with each repeated one taken once, and how many copies of each article
    were dropped. A repeat is the same article id with the same record: the same events and
    fields, from the same text (``provenance.input.sha256``); the rest of the provenance
    (timings, usage, a cache hit) may differ, as between two runs of one batch."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    dropped: dict[str, int] = {}
    for rec in records:
        prov = rec.get("provenance")
        source = prov.get("input") if isinstance(prov, dict) else None
        text = source.get("sha256") if isinstance(source, dict) else None
        body = {k: v for k, v in rec.items() if k != "provenance"}
        key = json.dumps([body, text], sort_keys=True, ensure_ascii=False, default=str)
        if key in seen:
            aid = str(rec.get("article_id"))
            dropped[aid] = dropped.get(aid, 0) + 1
            continue
        seen.add(key)
        kept.append(rec)
    return kept, dropped


def _names(ev: dict[str, Any]) -> list[str]:
    return [fold(p.get("name_en") or p.get("name") or "") for p in ev.get("kz_parties", []) + ev.get("cn_parties", [])]


def _party_overlap(a: list[str], b: list[str]) -> float:
    a, b = [x for x in a if x], [x for x in b if x]
    if not a or not b:
        return 0.0
    used: set[int] = set()
    hits = 0
    for x in a:
        for j, y in enumerate(b):
            if j not in used and (x == y or fuzz.token_set_ratio(x, y) >= 88):
                used.add(j)
                hits += 1
                break
    return hits / min(len(a), len(b))


def _date(ev: dict[str, Any], published: str | None) -> dt.date | None:
    d = ev.get("date") or published
    return parse_iso(d) if d and len(d) == 10 else None


def _same_place(pa: str, pb: str) -> bool:
    return fold(pa) == fold(pb) or fuzz.ratio(fold(pa), fold(pb)) >= 85


def compatible(a: Ref, b: Ref) -> bool:
    """Nothing rules out that the two events are one occasion: different articles, dates
    within the window (where both are known), places that agree (where both are named)."""
    if a.article_id == b.article_id:
        return False
    da, db = _date(a.event, a.published), _date(b.event, b.published)
    if da and db and abs((da - db).days) > DATE_WINDOW_DAYS:
        return False
    pa, pb = (a.event.get("location") or {}).get("place"), (b.event.get("location") or {}).get("place")
    return not (pa and pb and not _same_place(pa, pb))


def similarity(a: Ref, b: Ref) -> float:
    """0..1, how likely two events are one occasion; 0 when something rules it out."""
    if not compatible(a, b):
        return 0.0
    ta, tb = a.event.get("type"), b.event.get("type")
    type_score = 1.0 if ta == tb else 0.5 if frozenset({ta, tb}) in COMPATIBLE else 0.0
    pa, pb = (a.event.get("location") or {}).get("place"), (b.event.get("location") or {}).get("place")
    place_score = 1.0 if pa and pb else 0.5
    parties = _party_overlap(_names(a.event), _names(b.event))
    if parties < 0.34:
        return 0.0
    return 0.6 * parties + 0.2 * type_score + 0.2 * place_score


def cluster(refs: list[Ref], threshold: float = LINK_THRESHOLD) -> list[list[Ref]]:
    """Single-linkage clusters whose members are all compatible with each other: a cluster
    never holds two events of one article, nor two events whose dates or places contradict
    (an undated event links to dated ones, but never chains two that are months apart)."""
    parent = list(range(len(refs)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(refs))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = sorted(((similarity(refs[i], refs[j]), i, j) for i in range(len(refs)) for j in range(i + 1, len(refs))),
                   reverse=True)
    for score, i, j in pairs:
        if score < threshold:
            break
        ri, rj = find(i), find(j)
        if ri == rj or not all(compatible(refs[x], refs[y]) for x in members[ri] for y in members[rj]):
            continue
        parent[rj] = ri
        members[ri] += members.pop(rj)
    groups: dict[int, list[Ref]] = {}
    for i, r in enumerate(refs):
        groups.setdefault(find(i), []).append(r)
    return sorted(groups.values(), key=lambda g: (min(r.id for r in g)))


def _union(items: Iterable[dict[str, Any]], key: Any) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for it in items:
        k = key(it)
        if k not in seen:
            seen[k] = it
    return list(seen.values())


def _party_key(p: dict[str, Any]) -> str:
    return fold(p.get("name_en") or p.get("name") or "")


def injected_values(group: list[Ref]) -> list[dict[str, Any]]:
    """The merged event's values that only words addressed to the model name: flagged in every
    source that has them (a value another article supports is not flagged), each
    ``{"slot", "value", "article_ids"}``."""
    flagged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in group:
        for f in r.injected:
            slot, value = str(f.get("slot") or ""), str(f.get("value") or "")
            item = flagged.setdefault((slot, fold(value)), {"slot": slot, "value": value, "article_ids": []})
            if r.article_id not in item["article_ids"]:
                item["article_ids"].append(r.article_id)
    supported: set[tuple[str, str]] = set()
    for r in group:
        mine = {(str(f.get("slot") or ""), fold(str(f.get("value") or ""))) for f in r.injected}
        for side in ("kz_parties", "cn_parties"):
            supported |= {(side, _party_key(p)) for p in r.event.get(side, [])} - mine
        place = (r.event.get("location") or {}).get("place")
        if place and ("location.place", fold(place)) not in mine:
            supported.add(("location.place", fold(place)))
    return [v for k, v in flagged.items() if k not in supported]


def merge_cluster(group: list[Ref]) -> dict[str, Any]:
    events = [r.event for r in group]
    conflicts: list[dict[str, Any]] = []

    def pick(slot: str, values: list[Any]) -> Any:
        present = [v for v in values if v not in (None, "", {})]
        distinct = list(dict.fromkeys(repr(v) for v in present))
        if len(distinct) > 1:
            conflicts.append({"slot": slot, "values": {r.id: v for r, v in zip(group, values, strict=True) if v not in (None, "", {})}})
        if not present:
            return None
        counts = Counter(repr(v) for v in present)
        best = max(present, key=lambda v: (counts[repr(v)], -present.index(v)))
        return best

    types = [e.get("type") for e in events]
    typ = "signing" if "signing" in types else pick("type", types)
    if "signing" in types and len(set(types)) > 1:
        conflicts.append({"slot": "type", "values": {r.id: t for r, t in zip(group, types, strict=True)}})
    dates = [e.get("date") for e in events]
    full = sorted(d for d in dates if d and len(d) == 10)
    date = pick("date", dates) if not full else (full[0] if len(set(full)) == 1 else pick("date", dates))
    location = pick("location.place", [(e.get("location") or {}).get("place") for e in events])
    country = pick("location.country", [(e.get("location") or {}).get("country") for e in events])
    projects = _union((p for e in events for p in e.get("projects", [])),
                      lambda p: fold(p.get("description", ""))[:40])
    by_desc: dict[str, set[str]] = {}
    for e in events:
        for p in e.get("projects", []):
            if p.get("value"):
                by_desc.setdefault(fold(p.get("description", ""))[:40], set()).add(repr(p["value"]))
    for desc, values in by_desc.items():
        if len(values) > 1:
            conflicts.append({"slot": "projects.value", "project": desc, "values": sorted(values)})
    ids = sorted(r.id for r in group)
    return {
        "event_id": "evt-" + hashlib.sha256("|".join(ids).encode()).hexdigest()[:16],
        "type": typ,
        "date": date,
        "location": {"place": location, "country": country},
        "kz_parties": _union((p for e in events for p in e.get("kz_parties", [])), _party_key),
        "cn_parties": _union((p for e in events for p in e.get("cn_parties", [])), _party_key),
        "sectors": list(dict.fromkeys(s for e in events for s in e.get("sectors", []))),
        "agreements": _union((a for e in events for a in e.get("agreements", [])),
                             lambda a: a.get("kind", "") + "|" + fold(a.get("subject", ""))[:40]),
        "projects": projects,
        "summary": next((e.get("summary") for e in events if e.get("summary")), ""),
        "sources": [{"article_id": r.article_id, "event_index": r.index, "language": r.language,
                     "published": r.published,
                     **({"url": r.url} if r.url else {}), **({"title": r.title} if r.title else {})}
                    for r in group],
        "evidence": [{"article_id": r.article_id, "quote": q} for r in group for q in r.event.get("evidence", [])],
        "conflicts": conflicts,
        **({"injected": injected} if (injected := injected_values(group)) else {}),
    }


def merge_records(records: Iterable[dict[str, Any]], threshold: float = LINK_THRESHOLD) -> list[dict[str, Any]]:
    return [merge_cluster(g) for g in cluster(refs_from_records(records), threshold)]


# ------------------------------------------------------------------ scoring against gold clusters


def pairwise_and_bcubed(predicted: list[list[str]], gold: list[list[str]]) -> dict[str, float]:
    """Pairwise P/R/F1 and B-cubed P/R/F1 of a clustering of the same items."""
    def pairs(clusters: list[list[str]]) -> set[tuple[str, str]]:
        return {(a, b) for c in clusters for a in c for b in c if a < b}

    items = {x for c in gold for x in c}
    predicted = [[x for x in c if x in items] for c in predicted]
    predicted = [c for c in predicted if c]
    covered = {x for c in predicted for x in c}
    predicted += [[x] for x in sorted(items - covered)]
    pp, gp = pairs(predicted), pairs(gold)
    tp = len(pp & gp)
    p = tp / len(pp) if pp else 1.0
    r = tp / len(gp) if gp else 1.0
    of_pred = {x: set(c) for c in predicted for x in c}
    of_gold = {x: set(c) for c in gold for x in c}
    bp = sum(len(of_pred[x] & of_gold[x]) / len(of_pred[x]) for x in items) / len(items)
    br = sum(len(of_pred[x] & of_gold[x]) / len(of_gold[x]) for x in items) / len(items)

    def f1(a: float, b: float) -> float:
        return 2 * a * b / (a + b) if a + b else 0.0
    return {"pairwise_p": round(p, 4), "pairwise_r": round(r, 4), "pairwise_f1": round(f1(p, r), 4),
            "bcubed_p": round(bp, 4), "bcubed_r": round(br, 4), "bcubed_f1": round(f1(bp, br), 4)}
