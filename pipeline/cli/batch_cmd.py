"""`coopex batch`: every article under the given paths into one JSONL file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from pipeline.cli.batch_ray import BaseUrlsOpt, RayOpt, WorkersOpt, join_urls, ray_runner
from pipeline.cli.common import (
    EXIT_ARTICLE_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
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
)
from pipeline.core.errors import CoopexError, OutputIncompleteError
from pipeline.ingest.articles import iter_inputs
from pipeline.run.batch import BatchSummary, interruptible, run_batch
from pipeline.storage.outputs import check_batch_output
from pipeline.storage.remote import expand_uris


def batch(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files or directories (.txt, .md, .html, .jsonl with id/text/title/url/date)."),
    output: Path = typer.Option(..., "-o", "--output", help="JSONL output: one record or error record per article."),
    concurrency: int = typer.Option(1, "--concurrency", "-j", min=1, max=64, help="Articles in flight at once (useful for remote endpoints); with --ray, per worker (default 8)."),
    retry_errors: bool = typer.Option(False, "--retry-errors", help="Extract again the articles that have an error record in the output."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
    ray: str | None = RayOpt, workers: int | None = WorkersOpt,
    base_url: list[str] | None = BaseUrlsOpt, model: str | None = ModelOpt, prompt: str | None = PromptOpt,
    schema: str | None = SchemaOpt, no_cache: bool = NoCacheOpt, mode: str | None = ModeOpt,
    max_tokens: int | None = MaxTokensOpt, max_chars: int | None = MaxCharsOpt,
    strict_grounding: bool = StrictGroundingOpt,
) -> None:
    """Extract every article under PATHS into one JSONL file.

    Re-running the same command resumes: articles already in the output are
    skipped, a partial line left by a crash is cut, nothing is written twice.
    An article's id is its path under the folder named, without the suffix
    (in a flat folder, the file's stem), so adding files never renames others.
    A bad article gets an error record and the run goes on.

    Exit code 0 when every article has a record; 1 when some got error records;
    2 for bad arguments, configuration, or an output another run is writing
    (nothing written); 3 when the output could not be written to the end, a
    full disk say (the lines written are kept: free space and rerun to resume);
    130 when interrupted (rerun to resume).
    """
    st = state(ctx)
    s = apply_common(st, base_url=join_urls(base_url), model=model, prompt=prompt, schema=schema,
                     no_cache=no_cache, mode=mode, max_tokens=max_tokens, max_chars=max_chars,
                     strict_grounding=strict_grounding)
    runner = ray_runner(ctx, st, s, ray=ray, workers=workers, concurrency=concurrency)  # None: no Ray
    try:
        check_batch_output(output, paths)  # refused before anything is read or written
        # found and read in a helper thread: a remote filesystem that hangs in C++ code never keeps
        # Ctrl-C or SIGTERM from this one (and its reads time out: COOPEX_REMOTE_TIMEOUT)
        inputs: list[Any] = interruptible(runner.plan, paths) if runner else interruptible(
            lambda: list(iter_inputs(expand_uris(paths, [output], s.remote_timeout_s), s.max_chars,
                                     exclude=[output])))
    except CoopexError as e:
        raise fail(st, str(e)) from e
    except KeyboardInterrupt:
        st.err.print("\ninterrupted while finding the articles; nothing was written", soft_wrap=True, highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if not inputs:
        raise fail(st, "no articles found (looked for .txt, .md, .html, .htm, .jsonl)")

    progress = Progress(
        TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
        TextColumn("failed {task.fields[failed]} · cache hits {task.fields[hits]}"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=st.err, transient=False,
    )
    task = progress.add_task("batch", total=len(inputs), failed=0, hits=0)

    def on_start(sm: BatchSummary) -> None:
        progress.update(task, completed=sm.skipped)
        if sm.skipped:
            st.err.print(f"resuming: {sm.skipped} of {sm.total} article(s) already in {output}")

    def on_progress(sm: BatchSummary, _rec: dict[str, Any]) -> None:
        progress.update(task, completed=sm.skipped + sm.done + sm.failed, failed=sm.failed, hits=sm.cache_hits)

    try:
        if runner:  # the workers build their own extractors
            with progress:
                summary = run_batch(inputs, None, output, retry_errors=retry_errors, progress=on_progress,
                                    on_start=on_start, input_paths=paths, runner=runner)
        else:
            with extractor_for(st, s) as ex, progress:
                summary = run_batch(inputs, ex, output, concurrency=concurrency, retry_errors=retry_errors,
                                    progress=on_progress, on_start=on_start, input_paths=paths)
    except KeyboardInterrupt:
        st.err.print(f"\ninterrupted; finished articles are in {output}: run the same command to resume",
                     soft_wrap=True, highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OutputIncompleteError as e:  # stopped part-way: what was written is kept
        raise fail(st, str(e), EXIT_PARTIAL) from e
    except CoopexError as e:
        raise fail(st, str(e)) from e

    if as_json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_summary(Console(stderr=True), summary, output)
    raise typer.Exit(EXIT_ARTICLE_FAILED if summary.failed else EXIT_OK)


def print_summary(console: Console, s: BatchSummary, output: Path) -> None:
    t = Table(title=f"batch summary → {output}", show_header=False)
    t.add_column(justify="left")
    t.add_column(justify="right")
    for k, v in [("articles", s.total), ("already done (skipped)", s.skipped), ("extracted", s.done),
                 ("failed", s.failed), ("events", s.events), ("read with warnings", s.warnings),
                 ("cache hits", s.cache_hits),
                 ("prompt tokens", s.prompt_tokens), ("completion tokens", s.completion_tokens),
                 ("time", f"{s.seconds:.1f}s")]:
        t.add_row(k, str(v))
    console.print(t)
    for f in s.failures[:20]:
        console.print(f"[red]✗[/] {f['article_id']} ({f['stage']}): {f['message']}", highlight=False)
    if len(s.failures) > 20:
        console.print(f"... and {len(s.failures) - 20} more; see the error records in {output}")
    if s.warnings:
        console.print(f"[yellow]{s.warnings} article(s) were read with warnings (a damaged encoding): "
                      "see provenance.input.warnings in their records[/]", highlight=False)
