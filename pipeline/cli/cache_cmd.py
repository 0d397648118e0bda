"""`coopex cache info|clear`."""

from __future__ import annotations

import json

import typer

from pipeline.cli.common import AppState, fail, state, warn
from pipeline.core.cache import ResultCache
from pipeline.core.errors import CoopexError


def _open(st: AppState) -> ResultCache:
    try:
        c = ResultCache(st.settings.cache_dir, warn=lambda m: warn(st, m))
    except CoopexError as e:
        raise fail(st, str(e)) from e
    if c.rebuilt:
        warn(st, c.rebuilt)
    return c

app = typer.Typer(help="Inspect or clear the result cache.", no_args_is_help=True)


@app.command()
def info(ctx: typer.Context) -> None:
    """Where the cache is, how many results it holds, and its size."""
    st = state(ctx)
    c = _open(st)
    try:
        print(json.dumps(c.info(), indent=2))
    finally:
        c.close()


@app.command()
def clear(ctx: typer.Context) -> None:
    """Remove every cached result."""
    st = state(ctx)
    c = _open(st)
    try:
        n = c.clear()
    finally:
        c.close()
    print(f"removed {n} cached result(s) from {st.settings.cache_dir}")
