"""What the page shows for one article: the record, the text, the marks, and how uncertain it is."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.analyse import analyse
from pipeline.analyse.names import english_cyrillic, han_to_latin, latin
from pipeline.core.enums import PARTY_KINDS
from pipeline.core.errors import InputError
from pipeline.grounding import locate
from pipeline.ingest.articles import Article, iter_inputs
from pipeline.views.export import read_records

# Articles are read whole for review: the offsets in a record are offsets in the text it was made from.
REVIEW_MAX_CHARS = 10**7

# The uncertainty score (README, "Review"): weights of what makes a record doubtful.
WEIGHTS = {
    "evidence_missing": 3.0,  # an evidence quote that is not in the text
    "evidence_loose": 1.0,  # a quote found only after normalising or fuzzily
    "party_ungrounded": 2.0,  # a party name not found near the event's evidence
    "amount_ungrounded": 2.0,  # an amount not read back from the evidence
    "place_ungrounded": 1.0,  # a place not found near the evidence
    "rule_correction": 1.0,  # each correction the rules made to the model's choice (provenance.checks)
    "no_events": 1.0,  # a record with no event: a missed event is the costliest error to leave
}


@dataclass
class Item:
    """One article under review."""

    article_id: str
    record: dict[str, Any]
    text: str | None = None
    text_problem: str | None = None
    title: str | None = None
    score: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)


def uncertainty(record: dict[str, Any]) -> tuple[float, dict[str, int]]:
    """The score and its parts (counts): higher is less certain, reviewed first."""
    prov = record.get("provenance") or {}
    counts = dict.fromkeys(WEIGHTS, 0)
    for quotes in prov.get("grounding") or []:
        for q in quotes or []:
            status = (q or {}).get("status")
            if status == "missing":
                counts["evidence_missing"] += 1
            elif status in ("normalised", "fuzzy"):
                counts["evidence_loose"] += 1
    for g in prov.get("grounded") or []:
        g = g or {}
        counts["party_ungrounded"] += sum(1 for ok in g.get("parties") or [] if ok is False)
        counts["amount_ungrounded"] += sum(1 for ok in g.get("money") or [] if ok is False)
        counts["place_ungrounded"] += 1 if g.get("place") is False else 0
    counts["rule_correction"] = len(prov.get("checks") or [])
    counts["no_events"] = 0 if record.get("events") else 1
    score = sum(WEIGHTS[k] * n for k, n in counts.items())
    return round(score, 3), {k: n for k, n in counts.items() if n}


def load_records(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The last record of each article in a batch output (a rerun may append one), and the ids of
    articles that have only an error record (they have nothing to review)."""
    rows = read_records(path, expect_merged=False).rows
    last: dict[str, dict[str, Any]] = {}
    errors: dict[str, None] = {}
    for rec in rows:
        aid = rec["article_id"]
        if "error" in rec:
            if aid not in last:
                errors[aid] = None
            continue
        last[aid] = rec
        errors.pop(aid, None)
    return list(last.values()), list(errors)


def _source_file(source: str) -> Path | None:
    """The file a record's ``provenance.input.source`` names ("a.txt", or "b.jsonl:7" for a line)."""
    p = Path(source)
    if p.is_file():
        return p
    head, _, line = source.rpartition(":")
    if head and line.isdigit() and Path(head).is_file():
        return Path(head)
    return None


def default_article_paths(records: Iterable[dict[str, Any]]) -> list[Path]:
    """The input files recorded in the records (``provenance.input.source``) that still exist."""
    found: dict[Path, None] = {}
    for rec in records:
        src = ((rec.get("provenance") or {}).get("input") or {}).get("source")
        if isinstance(src, str):
            f = _source_file(src)
            if f is not None:
                found[f.resolve()] = None
    return list(found)


def find_texts(records: Sequence[dict[str, Any]], paths: Sequence[Path]) -> dict[str, tuple[str | None, str | None]]:
    """For each record, (text, None) or (None, why not). A text is the record's when its SHA-256
    is the one the record holds (``provenance.input.sha256``), so its offsets are right; a record
    without that hash takes the article of the same id."""
    by_sha: dict[str, Article] = {}
    by_id: dict[str, Article] = {}
    for it in iter_inputs([p for p in paths if p.exists()], REVIEW_MAX_CHARS):
        if isinstance(it, Article):
            by_sha.setdefault(it.sha256, it)
            by_id.setdefault(it.id, it)
    missing = [str(p) for p in paths if not p.exists()]
    where = ", ".join(str(p) for p in paths) if paths else "no article folder (give --articles DIR)"
    out: dict[str, tuple[str | None, str | None]] = {}
    for rec in records:
        inp = (rec.get("provenance") or {}).get("input") or {}
        sha = inp.get("sha256")
        art = by_sha.get(sha) if isinstance(sha, str) else by_id.get(rec["article_id"])
        if art is not None:
            out[rec["article_id"]] = (art.text, None)
            continue
        why = f"the article's text was not found in {where}"
        if isinstance(sha, str) and rec["article_id"] in by_id:
            why = (f"the article {rec['article_id']!r} in {where} is not the text this record was made from "
                   "(its SHA-256 differs): the evidence cannot be shown in it")
        if missing:
            why += f" ({', '.join(missing)} not found)"
        out[rec["article_id"]] = (None, why + "; give the articles with --articles DIR")
    return out


def build_items(records: Sequence[dict[str, Any]], paths: Sequence[Path]) -> list[Item]:
    """The articles to review, least certain first (ties by article id)."""
    texts = find_texts(records, paths)
    items = []
    for rec in records:
        text, problem = texts[rec["article_id"]]
        score, reasons = uncertainty(rec)
        title = ((rec.get("provenance") or {}).get("input") or {}).get("title")
        items.append(Item(rec["article_id"], rec, text, problem, title if isinstance(title, str) else None,
                          score, reasons))
    items.sort(key=lambda it: (-it.score, it.article_id))
    return items


def record_digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# ------------------------------------------------------------------ marks in the text

PARTY_CANDIDATE_KINDS = {"person", "company", "organization", "government", "region", "city", "country", "group"}
_PARTY_KIND = {"city": "region", "country": "government", "group": "organization"}


def _english(name: str, person: bool) -> str:
    if any("\u4e00" <= c <= "\u9fff" for c in name):
        return han_to_latin(name, person=person)
    if any("\u0400" <= c <= "\u04ff" for c in name):
        return english_cyrillic(name) if person else latin(name)
    return name


def marks(item: Item) -> list[dict[str, Any]]:
    """The names marked in the text: the analysis's candidates (each with its English name, kind and
    country) and each party's name as written in the record. Spans do not overlap (the longer wins)."""
    if item.text is None:
        return []
    text = item.text
    found: list[dict[str, Any]] = []
    lang = item.record.get("language") or "other"
    art = Article(item.article_id, text, language=lang, published=item.record.get("published"))
    try:
        cands = analyse(art).candidates
    except Exception:  # the analysis is a help to the reviewer, never a reason to refuse an article
        cands = ()
    for c in cands:
        if c.kind not in PARTY_CANDIDATE_KINDS and c.kind != "amount":
            continue
        for sp in c.spans:
            found.append({"start": sp.start, "end": sp.end, "source": "candidate", "kind": c.kind,
                          "name_en": c.en or _english(c.name, c.kind == "person"), "country": c.country,
                          "title": c.title})
    for ev in item.record.get("events") or []:
        for side in ("kz_parties", "cn_parties"):
            for p in ev.get(side) or []:
                name = (p.get("name") or "").strip()
                if not name:
                    continue
                start = 0
                while True:
                    i = text.find(name, start)
                    if i < 0:
                        break
                    found.append({"start": i, "end": i + len(name), "source": "record", "kind": p.get("kind"),
                                  "name_en": p.get("name_en") or name, "country": "KZ" if side == "kz_parties" else "CN",
                                  "title": p.get("title")})
                    start = i + len(name)
    found.sort(key=lambda m: (-(m["end"] - m["start"]), m["source"] != "record", m["start"]))
    taken: list[tuple[int, int]] = []
    kept = []
    for m in found:
        if any(m["start"] < e and s < m["end"] for s, e in taken):
            continue
        taken.append((m["start"], m["end"]))
        kept.append(m)
    kept.sort(key=lambda m: m["start"])
    for i, m in enumerate(kept):
        m["id"] = i
        m["text"] = text[m["start"]:m["end"]]
    return kept


def evidence_spans(item: Item) -> list[list[dict[str, Any]]]:
    """Per event, where its evidence quotes stand in the text (from ``provenance.grounding``, or
    located again when the record lacks it)."""
    prov = item.record.get("provenance") or {}
    grounding = prov.get("grounding") or []
    out = []
    for i, ev in enumerate(item.record.get("events") or []):
        spans = []
        recorded = grounding[i] if i < len(grounding) else None
        for j, q in enumerate(ev.get("evidence") or []):
            g = recorded[j] if recorded and j < len(recorded) else None
            if (g is None or g.get("start") is None) and item.text is not None:
                g = locate(q, item.text).as_dict()
            spans.append({"quote": j, "status": (g or {}).get("status", "missing"),
                          "start": (g or {}).get("start"), "end": (g or {}).get("end")})
        out.append(spans)
    return out


def suggest_party(item: Item, start: int, end: int) -> dict[str, Any]:
    """A party for the words at ``start:end``: the marked name there if there is one, else the words
    as written with an English spelling made from them."""
    if item.text is None:
        raise InputError("the article's text is not available")
    if not (0 <= start < end <= len(item.text)) or end - start > 200:
        raise InputError("select up to 200 characters of the article's text")
    written = item.text[start:end].strip()
    for m in marks(item):
        if m["start"] == start and m["end"] == end or m["text"].strip() == written:
            kind = _PARTY_KIND.get(m["kind"], m["kind"])
            if kind not in PARTY_KINDS:
                kind = "organization"
            return {"name": written, "name_en": m["name_en"], "kind": kind, "title": m.get("title"),
                    "affiliation": None, "country": m.get("country")}
    return {"name": written, "name_en": _english(written, False), "kind": "organization", "title": None,
            "affiliation": None, "country": None}


