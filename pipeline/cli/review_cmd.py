"""`coopex review`: check the records in a browser page; `coopex review export`: the checked records as gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from pipeline.cli.common import EXIT_OK, fail, state, warn
from pipeline.core.errors import CoopexError
from pipeline.review.gold import OUTCOMES, export_gold
from pipeline.review.items import build_items, default_article_paths, load_records
from pipeline.review.server import ReviewServer
from pipeline.review.store import ReviewFolder

# The review modules are imported by the commands that use them: every other command starts as fast as before.


class ReviewGroup(TyperGroup):
    """`coopex review EVENTS -o DIR` serves the page (the `serve` command); `coopex review export ...` exports."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=ReviewGroup, no_args_is_help=True, add_completion=False,
                  help="Check records in a browser page; the checked records become gold for `coopex eval`.\n\n"
                       "coopex review events.jsonl -o review/          serve the review page\n\n"
                       "coopex review export review/ -o gold/          write the reviewed articles as gold records")


@app.command("serve")
def serve(
    ctx: typer.Context,
    events: Path = typer.Argument(..., help="Batch output (JSONL records, one per article)."),
    output: Path = typer.Option(..., "-o", "--output", help="Review folder: the decisions are kept here "
                                "(decisions.jsonl); run again on it to resume."),
    articles: list[Path] = typer.Option([], "--articles", help="Where the articles' texts are (files or folders; "
                                        "repeatable). Default: the input files the records name "
                                        "(provenance.input.source) where they still exist."),
    port: int = typer.Option(0, "--port", min=0, max=65535, help="Port on 127.0.0.1 (default: a free one)."),
) -> None:
    """Serve the review page on 127.0.0.1 and print its address.

    One article at a time, least certain first: the text with each event's
    evidence highlighted and the names marked, and each event's slots. Accept,
    reject or correct each event, add a missed one, or mark the article as
    having none; every action has a key (listed on the page). Each decision
    is written to OUTPUT/decisions.jsonl before the page shows it as saved.
    Stop with Ctrl-C; run the same command again to resume.
    """
    st = state(ctx)
    review = ReviewFolder(output)
    try:
        records, errors = load_records(events)
        if not records:
            raise fail(st, f"{events} holds no record to review" + (f" ({len(errors)} error records)" if errors else ""))
        paths = list(articles) or default_article_paths(records)
        review.lock()
        try:
            notes = review.begin(events, records, paths)
            items = build_items([review.records[aid] for aid in review.records], paths)
            server = ReviewServer(review, items, events.name, port)
        except BaseException:
            review.close()
            raise
    except CoopexError as e:
        raise fail(st, str(e)) from e
    except OSError as e:
        raise fail(st, f"cannot start the review server: {e}") from e
    for n in notes:
        warn(st, n)
    if errors:
        warn(st, f"{len(errors)} article(s) have only an error record and are not in the review: "
                 + ", ".join(errors[:10]) + (" ..." if len(errors) > 10 else ""))
    missing = [it for it in items if it.text is None]
    if missing:
        warn(st, f"{len(missing)} of {len(items)} article text(s) not found; the page shows their records "
                 f"without the text. First: {missing[0].article_id}: {missing[0].text_problem}")
    if review.dropped_tail:
        warn(st, "the last line of decisions.jsonl was cut short (a crash while writing it); it was never "
                 "shown as saved and has been removed")
    p = review.progress()
    review.note_holder(server.origin)
    st.err.print(f"reviewing {len(items)} article(s) from {events} in {output} "
                 f"({p['reviewed']} of {p['total']} reviewed); Ctrl-C stops", highlight=False, soft_wrap=True)
    print(f"review page: {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        review.close()
    p = review.progress()
    st.err.print(f"stopped; {p['reviewed']} of {p['total']} reviewed, decisions in {output / 'decisions.jsonl'}",
                 highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_OK)


@app.command("export")
def export(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Review folder (made by `coopex review EVENTS -o FOLDER`)."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the gold records (one JSON file per "
                                "reviewed article, schema gold.v1)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Write one gold record per reviewed article, and print what the reviewers changed, slot by slot.

    Only articles marked as reviewed are written. Score a prompt against them with
    `coopex eval --gold OUTPUT --corpus ARTICLES` (only the articles with a gold
    record are scored).
    """
    st = state(ctx)
    try:
        res = export_gold(folder, output)
    except CoopexError as e:
        raise fail(st, str(e)) from e
    if as_json:
        print(json.dumps(res, indent=2))
        raise typer.Exit(EXIT_OK)
    print_changes(st.err, res)
    raise typer.Exit(EXIT_OK)


def print_changes(console: Any, res: dict[str, Any]) -> None:
    t = Table(title=f"{res['reviewed']} of {res['articles']} articles reviewed "
                    f"({res['negatives']} with no event): what the reviewers changed")
    t.add_column("slot")
    for k in OUTCOMES:
        t.add_column(k, justify="right")
    for slot, row in res["changes"].items():
        t.add_row(slot, *(str(row[k]) for k in OUTCOMES))
    console.print(t)
    console.print(f"{len(res['files'])} gold record(s) written", highlight=False)
