"""`coopex extract`: one article's record, as a table or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from pipeline.cli.common import (
    EXIT_ARTICLE_FAILED,
    EXIT_OK,
    BaseUrlOpt,
    MaxCharsOpt,
    MaxTokensOpt,
    ModelOpt,
    ModeOpt,
    NoCacheOpt,
    PromptOpt,
    SchemaOpt,
    StrictGroundingOpt,
    apply_common,
    extractor_for,
    fail,
    state,
    warn,
)
from pipeline.core.errors import CoopexError, InputError
from pipeline.extract import is_error
from pipeline.ingest.articles import Article, InputFailure, decode, make_article, read_article, read_limited
from pipeline.run.batch import interruptible


def extract(
    ctx: typer.Context,
    article: str = typer.Argument(..., help="Article file (.txt, .md, .html; a FIFO or <(...) too), or - to read "
                                             "standard input; reading stops past what --max-chars allows."),
    as_json: bool = typer.Option(False, "--json", help="Print the full record as JSON."),
    article_id: str | None = typer.Option(None, "--id", help="Article id (default: the file name without suffix)."),
    base_url: str | None = BaseUrlOpt, model: str | None = ModelOpt, prompt: str | None = PromptOpt,
    schema: str | None = SchemaOpt, no_cache: bool = NoCacheOpt, mode: str | None = ModeOpt,
    max_tokens: int | None = MaxTokensOpt, max_chars: int | None = MaxCharsOpt,
    strict_grounding: bool = StrictGroundingOpt,
) -> None:
    """Extract the cooperation events of one article.

    Exit code 0 with a record; 1 when the article could not be extracted (the
    error record is printed with --json); 2 for bad arguments or configuration.
    """
    st = state(ctx)
    s = apply_common(st, base_url=base_url, model=model, prompt=prompt, schema=schema,
                     no_cache=no_cache, mode=mode, max_tokens=max_tokens, max_chars=max_chars,
                     strict_grounding=strict_grounding)
    item: Article | InputFailure
    try:
        if article == "-":
            aid = article_id or "stdin"
            stdin = getattr(sys.stdin, "buffer", None)  # None when standard input is closed (<&-)
            if stdin is None:
                raise fail(st, "standard input is closed: nothing to read; pipe an article into "
                               "`coopex extract -`, or give a file")
            try:
                d = decode(read_limited(stdin, s.max_chars, "standard input"))
                item = make_article(aid, d.text, source="-", max_chars=s.max_chars, encoding=d.encoding,
                                    warnings=d.warnings)
            except InputError as e:
                item = InputFailure(aid, e, "-")
        else:
            path = Path(article)
            if path.is_dir():
                raise fail(st, f"{article} is a folder; extract reads one article: for every article in it, "
                               f"run `coopex batch {article} -o out.jsonl`")
            if not path.exists():  # a FIFO or a process substitution (/dev/fd/N) exists and is read
                raise fail(st, f"no such file: {article}")
            aid = article_id or path.stem
            try:
                item = read_article(path, aid, s.max_chars)
            except InputError as e:
                item = InputFailure(aid, e, str(path))
        with extractor_for(st, s) as ex:
            record = interruptible(ex.run, item)
    except CoopexError as e:
        raise fail(st, str(e)) from e
    for w in record.get("provenance", {}).get("input", {}).get("warnings", []):
        warn(st, f"{item.id}: {w}")
    out = Console()
    if as_json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        render(out, record)
    if is_error(record):
        if not as_json:
            st.err.print(f"[bold red]error[/] ({record['error']['stage']}): {record['error']['message']}",
                         highlight=False)
        raise typer.Exit(EXIT_ARTICLE_FAILED)
    raise typer.Exit(EXIT_OK)


def _parties(ps: list[dict[str, Any]]) -> str:
    return "\n".join(p["name_en"] + (f" ({p['title']})" if p.get("title") else "") for p in ps) or "-"


def render(console: Console, record: dict[str, Any]) -> None:
    if is_error(record):
        return
    prov = record.get("provenance", {})
    usage = prov.get("usage", {})
    when = "cached" if prov.get("cached") else f"{prov.get('latency_s', 0):.1f}s"
    console.print(
        f"[bold]{record['article_id']}[/]  language {record['language']}  published {record['published'] or '-'}  "
        f"{len(record['events'])} event(s)  [dim]{prov.get('model')} · {prov.get('prompt_id')} · "
        f"{usage.get('prompt_tokens', 0)}+{usage.get('completion_tokens', 0)} tokens · "
        f"{when}[/]",
        highlight=False,
    )
    if not record["events"]:
        console.print("No Kazakhstan–China cooperation event found.")
        return
    for i, ev in enumerate(record["events"], 1):
        loc = ev["location"]
        where = ", ".join(x for x in (loc.get("place"), loc.get("country")) if x) or "-"
        deals = [f"{a['kind']}: {a['subject']}" for a in ev["agreements"]]
        for p in ev["projects"]:
            v = p.get("value")
            money = f" ({v['qualifier']} {v['amount']:,.0f} {v['currency']})" if v else ""
            deals.append(f"project: {p['description']}{money}")
        t = Table(title=f"event {i}: {ev['type']}", show_header=False, title_justify="left")
        t.add_column(style="bold", no_wrap=True)
        t.add_column(overflow="fold")
        for k, v in [("date", ev["date"] or "-"), ("where", where),
                     ("Kazakhstan side", _parties(ev["kz_parties"])), ("China side", _parties(ev["cn_parties"])),
                     ("sectors", ", ".join(ev["sectors"]) or "-"), ("agreements, projects", "\n".join(deals) or "-"),
                     ("summary", ev["summary"])]:
            t.add_row(k, v)
        console.print(t)
    rate = prov.get("grounding_rate")
    if rate is not None and rate < 1:
        console.print(f"[yellow]{rate:.0%} of evidence quotes were found in the article text.[/]")
