"""`coopex merge`, `coopex export` and `coopex report`: from per-article records to analysts' views."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from pipeline.cli.common import EXIT_USAGE, fail, no_new_folder_left_on_failure, state, warn
from pipeline.core.errors import CoopexError
from pipeline.schema import load_schema
from pipeline.storage.outputs import check_merge_output, write_atomic
from pipeline.views.export import export as export_tables
from pipeline.views.export import read_records
from pipeline.views.merge import drop_repeated, merge_records
from pipeline.views.report_folder import write_report


def merge(
    ctx: typer.Context,
    records: Path = typer.Argument(..., help="Batch output (JSONL records, one per article)."),
    output: Path = typer.Option(..., "-o", "--output", help="Merged JSONL: one record per real-world event."),
) -> None:
    """Join events that several articles report (in any language) into one record each.

    Two events are one occasion only on positive evidence with nothing
    against it: their dates agree (an undated event stands at its article's
    publication date), they share a named person, company or body, and type,
    place, document and amount do not contradict; every pair in a record
    qualifies. Each merged record lists every source and why it was joined,
    the union of the slots, the conflicts between sources, and the records
    that almost qualified as possible duplicates (schema merged.v1). A record
    repeated in the input (the same article and record, say from a file
    concatenated twice) is taken once, with a warning.
    """
    st = state(ctx)
    try:
        check_merge_output(output, [records])
        recs, repeated = drop_repeated(read_records(records, expect_merged=False).rows)
        if repeated:
            names = ", ".join(sorted(repeated)[:5]) + (f" and {len(repeated) - 5} more" if len(repeated) > 5 else "")
            warn(st, f"{records}: {sum(repeated.values())} repeated record(s) of {len(repeated)} article(s) "
                     f"({names}) taken once: the same article and record appear more than once in the input")
        merged = merge_records(recs)
        schema = load_schema("merged.v1")
        for m in merged:
            schema.validate(m)
        write_atomic(output, "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in merged).encode("utf-8"))
    except CoopexError as e:
        raise fail(st, str(e)) from e
    events_in = sum(len(r.get("events", [])) for r in recs if "error" not in r)
    joined = sum(1 for m in merged if len(m["sources"]) > 1)
    conflicts = sum(len(m["conflicts"]) for m in merged)
    st.err.print(f"{events_in} events from {len(recs)} records -> {len(merged)} merged "
                 f"({joined} reported by more than one article; {conflicts} conflicts noted) -> {output}")


def export(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="Batch output or merged JSONL."),
    out_dir: Path = typer.Option(..., "-o", "--output", help="Directory for the tables."),
    fmt: str = typer.Option("csv,parquet", "--format", help="csv, parquet, or both (comma-separated)."),
) -> None:
    """Write events, parties, agreements and projects as CSV and Parquet tables (joined on event_id)."""
    st = state(ctx)
    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    if not formats or set(formats) - {"csv", "parquet"}:
        raise fail(st, f"--format: choose csv, parquet or both, not {fmt!r}", EXIT_USAGE)
    try:
        with no_new_folder_left_on_failure(out_dir):
            counts = export_tables(source, out_dir, formats, on_warning=lambda m: warn(st, m))
    except CoopexError as e:
        raise fail(st, str(e)) from e
    t = Table(title=f"tables in {out_dir}")
    t.add_column("table")
    t.add_column("rows", justify="right")
    for name, n in counts.items():
        t.add_row(name, str(n))
    st.err.print(t)


def report(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="Merged JSONL (or a batch output)."),
    out_dir: Path = typer.Option(..., "-o", "--output", help="Directory for report.md, report.html and plots."),
    rates: Path = typer.Option(None, "--rates", help="Your own USD rate table (JSON like pipeline/data/usd_rates.json)."),
) -> None:
    """Summarise events: over time, announced value by region, sector and year (in USD, rates shown),
    top counterparts; as Markdown and HTML with PNG plots."""
    st = state(ctx)
    try:
        with no_new_folder_left_on_failure(out_dir):
            s = write_report(source, out_dir, rates, on_warning=lambda m: warn(st, m))
    except CoopexError as e:
        raise fail(st, str(e)) from e
    st.err.print(f"{s['events']} events, {len(s['conversions'])} amounts in USD -> {out_dir / 'report.md'}, "
                 f"{out_dir / 'report.html'}", highlight=False, soft_wrap=True)
