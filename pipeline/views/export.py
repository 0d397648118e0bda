"""Tables for analysts: events, parties, agreements and projects, as CSV and Parquet.

Reads a batch output (records, one per article) or a merged file (one record
per real-world event, from ``coopex merge``). Every row carries ``event_id``,
so the four tables join on it.

Every line read is checked: a record claiming a schema version this coopex does
not know, or failing the schema it claims, is refused (``InputError``); a file
of per-article records where merged events are expected is said so.

CSV cells are made safe for spreadsheets: a text cell that starts like a
formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, so a spreadsheet shows it as text instead of running it. Parquet
keeps the values as they are (it is data, not something a spreadsheet runs).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.config import repo_root
from pipeline.core.errors import InputError, RecordValidationError
from pipeline.core.textnorm import fold
from pipeline.schema import load_schema
from pipeline.storage.outputs import FolderOutput, first_line, is_batch_line, is_merged_line

TABLES: dict[str, list[tuple[str, pa.DataType]]] = {
    "events": [("event_id", pa.string()), ("type", pa.string()), ("date", pa.string()), ("place", pa.string()),
               ("country", pa.string()), ("sectors", pa.string()), ("summary", pa.string()),
               ("sources", pa.string()), ("n_sources", pa.int32()), ("n_conflicts", pa.int32()),
               ("injected", pa.string())],
    "parties": [("event_id", pa.string()), ("side", pa.string()), ("name", pa.string()), ("name_en", pa.string()),
                ("kind", pa.string()), ("title", pa.string()), ("affiliation", pa.string()), ("injected", pa.bool_())],
    "agreements": [("event_id", pa.string()), ("kind", pa.string()), ("subject", pa.string()),
                   ("parties", pa.string())],
    "projects": [("event_id", pa.string()), ("description", pa.string()), ("location", pa.string()),
                 ("sectors", pa.string()), ("amount", pa.float64()), ("currency", pa.string()),
                 ("qualifier", pa.string()), ("status", pa.string()), ("value_injected", pa.bool_())],
}
# The columns before the ``injected`` flags (tables an older coopex wrote are still recognised as coopex's)
OLDER_COLUMNS = {"events": 10, "parties": 7, "agreements": 4, "projects": 8}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, one a line; anything else is an ``InputError``."""
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give the JSONL file")
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                raise InputError(f"{path}:{n}: not UTF-8 ({e.reason} at byte {e.start})") from None
            except ValueError as e:
                raise InputError(f"{path}:{n}: not a JSON line ({e})") from None
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{n}: not a JSON object")
            yield obj


def known_schemas() -> list[str]:
    return sorted(p.stem for p in (repo_root() / "schemas").glob("*.json"))


@dataclass
class Records:
    """The lines of a batch output or a merged file, checked."""

    rows: list[dict[str, Any]]
    merged: bool  # merged events (coopex merge), not per-article records

    @property
    def events(self) -> int:
        return sum(1 if self.merged else len(r.get("events", [])) for r in self.rows if "error" not in r)


def read_records(path: Path, *, expect_merged: bool | None = None) -> Records:
    """Every line of a batch output or a merged file, each checked against the schema it is
    written in: per-article records against the version they claim (``provenance.schema_id``;
    an unknown version is refused), merged events against ``merged.v1``; error records
    are passed over. A file must be all of one kind. ``expect_merged=False`` refuses
    merged events (``coopex merge`` takes per-article records)."""
    rows: list[dict[str, Any]] = []
    kinds: set[bool] = set()
    schemas = {name: None for name in known_schemas()}
    for n, rec in enumerate(read_jsonl(path), 1):
        where = f"{path}:{n}"
        schema_id: str | None
        if is_merged_line(rec):
            kind, schema_id = True, "merged.v1"
        elif is_batch_line(rec) or (isinstance(rec.get("article_id"), str) and isinstance(rec.get("events"), list)):
            kind = False
            claimed = (rec.get("provenance") or {}).get("schema_id") if isinstance(rec.get("provenance"), dict) else None
            if claimed is not None and claimed not in schemas:
                raise InputError(f"{where}: the record claims schema {claimed!r}, which this coopex does not know "
                                 f"(it knows {', '.join(schemas)}); use the coopex that wrote it, or extract again")
            schema_id = None if "error" in rec else claimed  # error records are skipped, not read
        else:
            raise InputError(f"{where}: not a coopex record (a batch output line or a merged event)")
        kinds.add(kind)
        if len(kinds) > 1:
            raise InputError(f"{where}: the file mixes merged events and per-article records; give one kind")
        if schema_id is not None:
            try:
                load_schema(schema_id).validate(rec)
            except RecordValidationError as e:
                raise InputError(f"{where}: {e}") from None
        rows.append(rec)
    merged = kinds == {True}
    if expect_merged is False and merged:
        raise InputError(f"{path} holds merged events already (coopex merge output); give the batch output")
    return Records(rows, merged)


def events_of(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Merged events as they are; article records' events given ids, a one-source list, and
    the values only words to the model name (``injected``, from provenance.grounded)."""
    for rec in records:
        if "event_id" in rec:
            yield rec
        elif "error" in rec:
            continue
        else:
            grounded = (rec.get("provenance") or {}).get("grounded") or []
            for i, ev in enumerate(rec.get("events", [])):
                flags = grounded[i].get("injected") if i < len(grounded) and isinstance(grounded[i], dict) else None
                yield {**ev, "event_id": f"{rec['article_id']}#{i}",
                       "sources": [{"article_id": rec["article_id"], "event_index": i,
                                    "language": rec.get("language"), "published": rec.get("published")}],
                       "conflicts": [],
                       "injected": [{"slot": f.get("slot"), "value": f.get("value"), "index": f.get("index"),
                                     "article_ids": [rec["article_id"]]} for f in flags or [] if isinstance(f, dict)]}


def injected_party(ev: dict[str, Any], side: str, p: dict[str, Any]) -> bool:
    """The party is one only words addressed to the model name (see ``pipeline.grounding``)."""
    key = fold(p.get("name_en") or p.get("name") or "")
    return any(f.get("slot") == side and fold(str(f.get("value") or "")) == key for f in ev.get("injected") or [])


def injected_value(ev: dict[str, Any], index: int, project: dict[str, Any]) -> bool:
    """The project's amount is one only words addressed to the model name."""
    v = project.get("value") or {}
    text = f"{v['amount']:g} {v['currency']}" if v.get("amount") is not None and v.get("currency") else None
    return any(f.get("slot") == "projects.value" and (f.get("index") == index if f.get("index") is not None
                                                      else f.get("value") == text)
               for f in ev.get("injected") or [])


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
            "injected": ";".join(f"{f.get('slot')}={f.get('value')}" for f in ev.get("injected") or []) or None,
        })
        for side in ("kz", "cn"):
            for p in ev.get(f"{side}_parties", []):
                out["parties"].append({"event_id": eid, "side": side, **{k: p.get(k) for k in
                                       ("name", "name_en", "kind", "title", "affiliation")},
                                       "injected": injected_party(ev, f"{side}_parties", p)})
        for a in ev.get("agreements", []):
            out["agreements"].append({"event_id": eid, "kind": a.get("kind"), "subject": a.get("subject"),
                                      "parties": ";".join(a.get("parties", []))})
        for i, p in enumerate(ev.get("projects", [])):
            v = p.get("value") or {}
            out["projects"].append({"event_id": eid, "description": p.get("description"),
                                    "location": p.get("location"), "sectors": ";".join(p.get("sectors", [])),
                                    "amount": v.get("amount"), "currency": v.get("currency"),
                                    "qualifier": v.get("qualifier"), "status": p.get("status"),
                                    "value_injected": injected_value(ev, i, p)})
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet shows as text: one that starts like a formula gets a leading
    apostrophe (OWASP's advice for CSV injection). Numbers and empty cells are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(columns: list[str], data: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    w.writerows({k: safe_cell(v) for k, v in row.items()} for row in data)
    return buf.getvalue().encode("utf-8")


def recognise_tables() -> dict[str, Callable[[Path], bool]]:
    """How to tell the tables an older coopex wrote (before folder manifests) from other files."""
    headers = {",".join(c for c, _ in cols) for cols in TABLES.values()} | \
        {",".join(c for c, _ in TABLES[t][:n]) for t, n in OLDER_COLUMNS.items()}
    names = {tuple(c for c, _ in cols) for cols in TABLES.values()} | \
        {tuple(c for c, _ in TABLES[t][:n]) for t, n in OLDER_COLUMNS.items()}
    return {".csv": lambda p: first_line(p) in headers,
            ".parquet": lambda p: tuple(pq.read_schema(p).names) in names}


def export(source: Path, out_dir: Path, formats: tuple[str, ...] = ("csv", "parquet"),
           on_warning: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the four tables in each format; returns rows per table. Files are written beside
    and renamed; only files coopex wrote are replaced (``pipeline.storage.outputs``)."""
    files = [f"{name}.{fmt}" for name in TABLES for fmt in ("csv", "parquet") if fmt in formats]
    out = FolderOutput(out_dir, files, inputs=[source], recognise=recognise_tables())
    recs = read_records(source)
    if not recs.merged and recs.rows and on_warning:
        on_warning(unmerged_warning(source))
    tables = rows(events_of(recs.rows))
    for name, data in tables.items():
        cols = TABLES[name]
        if "csv" in formats:
            out.write(f"{name}.csv", csv_bytes([c for c, _ in cols], data))
        if "parquet" in formats:
            schema = pa.schema(cols)
            table = pa.Table.from_pylist(data, schema=schema) if data else schema.empty_table()
            out.write_with(f"{name}.parquet", _parquet_writer(table))
    out.commit()
    return {name: len(data) for name, data in tables.items()}


def _parquet_writer(table: pa.Table) -> Callable[[Path], None]:
    def fill(path: Path) -> None:
        pq.write_table(table, path)
    return fill


def unmerged_warning(source: Path) -> str:
    return (f"{source} holds per-article records, not merged events: an occasion several articles report "
            "is counted once per article; run `coopex merge` first for one row per event")
