"""One record per real-world event: cluster events reported by several articles.

Two events from different articles are one occasion only on positive evidence
with nothing contradicting it (``merge_evidence``: time, specific parties,
type, place, document, project, amount). Clusters are built by complete
linkage: every pair of events in a cluster qualifies, never a chain, and never
two events of one article. A merged record keeps every source, says why each
was joined (``why``: the shared parties, the dates compared, the place,
document, project or amount), the union of the slots, the conflicts between
sources listed rather than hidden, and the records that almost qualified
(``possible_duplicates``), which are never folded in.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.core.textnorm import fold
from pipeline.views.merge_evidence import DATE_TOLERANCE_DAYS, Evidence, busy_parties, compare, evidence, features


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


def evidence_between(a: Ref, b: Ref) -> Evidence:
    """What makes (or does not make) two events one occasion."""
    if a.article_id == b.article_id:
        return Evidence(against=["the same article"])
    return evidence(a.event, a.published, b.event, b.published)


def cluster(refs: list[Ref]) -> list[list[Ref]]:
    """Complete-linkage clusters: two clusters join only when every event of one is one occasion
    with every event of the other; the strongest pairs are joined first."""
    return _cluster(refs, _pair_evidence(refs))[0]


def _pair_evidence(refs: list[Ref]) -> dict[tuple[int, int], Evidence]:
    """The evidence for every pair that could be one occasion. Pairs whose dates contradict are
    never compared: dated events are swept in order of their first possible day."""
    feats = [features(r.event, r.published) for r in refs]
    dated = sorted((f.span.first, f.span.last, i) for i, f in enumerate(feats) if f.span)
    undated = {i for i, f in enumerate(feats) if not f.span}
    pairs: list[tuple[int, int]] = []
    for k, (_, last, i) in enumerate(dated):
        for first_j, _, j in dated[k + 1:]:
            if (first_j - last).days > DATE_TOLERANCE_DAYS:
                break
            pairs.append((min(i, j), max(i, j)))
    pairs += [(min(i, j), max(i, j)) for i in sorted(undated) for j in range(len(refs))
              if j != i and (j not in undated or i < j)]
    many = busy_parties(feats)
    out = {}
    for i, j in pairs:
        if refs[i].article_id != refs[j].article_id:
            out[(i, j)] = compare(feats[i], feats[j], many)
    return out


def _cluster(refs: list[Ref], ev: dict[tuple[int, int], Evidence]) -> tuple[list[list[Ref]], list[int]]:
    """The clusters, and for each ref the index of its cluster's root."""
    root = list(range(len(refs)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(refs))}

    def same(x: int, y: int) -> bool:
        e = ev.get((min(x, y), max(x, y)))
        return e is not None and e.same

    for (i, j), e in sorted(ev.items(), key=lambda kv: (-kv[1].strength, kv[0])):
        if not e.same:
            continue
        ri, rj = root[i], root[j]
        if ri == rj or not all(same(x, y) for x in members[ri] for y in members[rj]):
            continue
        for x in members[rj]:
            root[x] = ri
        members[ri] += members.pop(rj)
    groups: dict[int, list[Ref]] = {}
    for i, r in enumerate(refs):
        groups.setdefault(root[i], []).append(r)
    return sorted(groups.values(), key=lambda g: (min(r.id for r in g))), root


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
    why = {r.id: evidence_between(group[0], r).why(group[0].id) for r in group[1:]}
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
                     **({"url": r.url} if r.url else {}), **({"title": r.title} if r.title else {}),
                     **({"why": why[r.id]} if r.id in why else {})}
                    for r in group],
        "evidence": [{"article_id": r.article_id, "quote": q} for r in group for q in r.event.get("evidence", [])],
        "conflicts": conflicts,
        **({"injected": injected} if (injected := injected_values(group)) else {}),
    }


MAX_POSSIBLE_DUPLICATES = 10


def merge_records(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One merged record per cluster; beside each, the records that almost qualified."""
    refs = refs_from_records(records)
    ev = _pair_evidence(refs)
    groups, root = _cluster(refs, ev)
    merged = [merge_cluster(g) for g in groups]
    position = {id(r): k for k, r in enumerate(refs)}
    by_root = {root[position[id(g[0])]]: m for g, m in zip(groups, merged, strict=True)}
    near: dict[int, list[tuple[float, dict[str, Any]]]] = {}
    for (i, j), e in ev.items():
        if root[i] == root[j] or not (e.possible or e.same):
            continue
        reason = e.missing or "one occasion with this source, but not with every source of the record"
        for x, y in ((i, j), (j, i)):
            other = by_root[root[y]]
            near.setdefault(root[x], []).append((e.strength, {
                "event_id": other["event_id"], "article_id": refs[y].article_id, "event_index": refs[y].index,
                "source": refs[x].id, "reason": reason, "parties": e.parties, "time": e.time}))
    for r, items in near.items():
        seen: set[tuple[str, str]] = set()
        out = []
        for _, d in sorted(items, key=lambda t: (-t[0], t[1]["event_id"], t[1]["source"])):
            if (d["event_id"], d["source"]) not in seen:
                seen.add((d["event_id"], d["source"]))
                out.append(d)
        by_root[r]["possible_duplicates"] = out[:MAX_POSSIBLE_DUPLICATES]
    return merged


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
