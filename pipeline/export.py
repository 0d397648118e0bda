"""Tables for analysts: events, parties, agreements and projects, as CSV and Parquet.

Reads a batch output (records, one per article) or a merged file (one record
per real-world event, from ``coopex merge``). Every row carries ``event_id``,
so the four tables join on it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import InputError

TABLES: dict[str, list[tuple[str, pa.DataType]]] = {
    "events": [("event_id", pa.string()), ("type", pa.string()), ("date", pa.string()), ("place", pa.string()),
               ("country", pa.string()), ("sectors", pa.string()), ("summary", pa.string()),
               ("sources", pa.string()), ("n_sources", pa.int32()), ("n_conflicts", pa.int32())],
    "parties": [("event_id", pa.string()), ("side", pa.string()), ("name", pa.string()), ("name_en", pa.string()),
                ("kind", pa.string()), ("title", pa.string()), ("affiliation", pa.string())],
    "agreements": [("event_id", pa.string()), ("kind", pa.string()), ("subject", pa.string()),
                   ("parties", pa.string())],
    "projects": [("event_id", pa.string()), ("description", pa.string()), ("location", pa.string()),
                 ("sectors", pa.string()), ("amount", pa.float64()), ("currency", pa.string()),
                 ("qualifier", pa.string()), ("status", pa.string())],
}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        raise InputError(f"no such file: {path}")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as e:
                raise InputError(f"{path}:{n}: not a JSON line ({e})") from e


def events_of(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Merged events as they are; article records' events given ids and a one-source list."""
    for rec in records:
        if "event_id" in rec:
            yield rec
        elif "error" in rec:
            continue
        else:
            for i, ev in enumerate(rec.get("events", [])):
                yield {**ev, "event_id": f"{rec['article_id']}#{i}",
                       "sources": [{"article_id": rec["article_id"], "event_index": i,
                                    "language": rec.get("language"), "published": rec.get("published")}],
                       "conflicts": []}


def rows(events: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for ev in events:
        eid = ev["event_id"]
        loc = ev.get("location") or {}
        out["events"].append({
            "event_id": eid, "type": ev.get("type"), "date": ev.get("date"), "place": loc.get("place"),
            "country": loc.get("country"), "sectors": ";".join(ev.get("sectors", [])), "summary": ev.get("summary"),
            "sources": ";".join(s["article_id"] for s in ev.get("sources", [])),
            "n_sources": len(ev.get("sources", [])), "n_conflicts": len(ev.get("conflicts", [])),
        })
        for side in ("kz", "cn"):
            for p in ev.get(f"{side}_parties", []):
                out["parties"].append({"event_id": eid, "side": side, **{k: p.get(k) for k in
                                       ("name", "name_en", "kind", "title", "affiliation")}})
        for a in ev.get("agreements", []):
            out["agreements"].append({"event_id": eid, "kind": a.get("kind"), "subject": a.get("subject"),
                                      "parties": ";".join(a.get("parties", []))})
        for p in ev.get("projects", []):
            v = p.get("value") or {}
            out["projects"].append({"event_id": eid, "description": p.get("description"),
                                    "location": p.get("location"), "sectors": ";".join(p.get("sectors", [])),
                                    "amount": v.get("amount"), "currency": v.get("currency"),
                                    "qualifier": v.get("qualifier"), "status": p.get("status")})
    return out


def export(source: Path, out_dir: Path, formats: tuple[str, ...] = ("csv", "parquet")) -> dict[str, int]:
    """Write the four tables in each format; returns rows per table."""
    tables = rows(events_of(read_jsonl(source)))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in tables.items():
        cols = TABLES[name]
        if "csv" in formats:
            with (out_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=[c for c, _ in cols])
                w.writeheader()
                w.writerows(data)
        if "parquet" in formats:
            schema = pa.schema(cols)
            table = pa.Table.from_pylist(data, schema=schema) if data else schema.empty_table()
            pq.write_table(table, out_dir / f"{name}.parquet")
    return {name: len(data) for name, data in tables.items()}
