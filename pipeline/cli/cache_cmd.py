"""`coopex cache info|clear`."""

from __future__ import annotations

import json

import typer

from ..cache import ResultCache
from .common import state

app = typer.Typer(help="Inspect or clear the result cache.", no_args_is_help=True)


@app.command()
def info(ctx: typer.Context) -> None:
    """Where the cache is, how many results it holds, and its size."""
    st = state(ctx)
    c = ResultCache(st.settings.cache_dir)
    try:
        print(json.dumps(c.info(), indent=2))
    finally:
        c.close()


@app.command()
def clear(ctx: typer.Context) -> None:
    """Remove every cached result."""
    st = state(ctx)
    c = ResultCache(st.settings.cache_dir)
    try:
        n = c.clear()
    finally:
        c.close()
    print(f"removed {n} cached result(s) from {st.settings.cache_dir}")
