"""`coopex batch --ray [ADDRESS]`: the options, and the runner they build (pipeline.run.ray_batch)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import typer
from typer._click.core import ParameterSource
from typer.core import TyperCommand

from pipeline.cli.common import AppState, fail
from pipeline.core.config import Settings
from pipeline.core.errors import CoopexError
from pipeline.methods.prompts import load_prompt
from pipeline.run.ray_batch import DEFAULT_THREADS, RayRunner
from pipeline.schema import load_schema

RayOpt = typer.Option(
    None, "--ray", metavar="[ADDRESS]",
    help="Run on Ray: alone, a local Ray on all cores; with ADDRESS (host:port, ray://host:port, auto), "
         "join that cluster (default: $COOPEX_RAY_ADDRESS). Needs pip install 'coopex\\[ray]' and an endpoint.")
WorkersOpt = typer.Option(
    None, "--workers", min=1, max=4096,
    help="With --ray: worker actors, each with --concurrency requests in flight (default: one per CPU of the cluster).")
BaseUrlsOpt = typer.Option(
    None, "--base-url",
    help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL; unset: embedded model). Give it more than once, "
         "or a comma list, to spread requests over several endpoints serving one model.")

# A token after a bare --ray is its address only if it looks like one, so `--ray corpus/ -o out`
# reads corpus/ as a path. typer has no options whose value may be left out.
_ADDRESS_LIKE = re.compile(r"^(auto|local|ray://\S+|[\w.-]+:\d{1,5}|\[[0-9a-fA-F:.]+\]:\d{1,5})$")


class BatchCommand(TyperCommand):
    """`batch` with `--ray` taking an optional value: `--ray`, `--ray ADDRESS`, `--ray=ADDRESS`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(args):
            a = args[i]
            if a == "--":
                out.extend(args[i:])
                break
            if a == "--ray":
                nxt = args[i + 1] if i + 1 < len(args) else None
                if nxt is not None and (_ADDRESS_LIKE.match(nxt) or _meant_as_address(nxt)):
                    out.append(f"--ray={nxt}")
                    i += 2
                    continue
                out.append("--ray=")
            else:
                out.append(a)
            i += 1
        return super().parse_args(ctx, out)


def _meant_as_address(token: str) -> bool:
    """A token after a bare --ray that is neither an option, nor a URI, nor an existing file or
    folder: a mistyped address (said so by the address check), not a missing input."""
    return not token.startswith("-") and "://" not in token and not os.path.lexists(token)


def join_urls(urls: list[str] | None) -> str | None:
    return ",".join(urls) if urls else None


def ray_address(flag: str | None, settings: Settings) -> str | None:
    """The Ray address for this run, or None for a local run without Ray."""
    if flag is None:
        return settings.ray_address
    return flag or settings.ray_address or "local"


def ray_runner(ctx: Any, st: AppState, s: Settings, *, ray: str | None, workers: int | None,
               concurrency: int) -> Any:
    """A batch.Runner on Ray when --ray or COOPEX_RAY_ADDRESS asks for one, else None. A bad
    setting (Ray not installed, no endpoint, not an address) exits with code 2."""
    address = ray_address(ray, s)
    if address is None:
        if workers is not None:
            raise fail(st, "--workers goes with --ray")
        return None
    given = ctx.get_parameter_source("concurrency") not in (None, ParameterSource.DEFAULT)
    say: Callable[[str], None] = lambda m: st.err.print(f"[dim]{m}[/]", highlight=False)  # noqa: E731
    try:
        return RayRunner(s, load_prompt(s.prompt_id), load_schema(s.schema_id), address=address,
                         workers=workers, threads=concurrency if given else DEFAULT_THREADS, say=say)
    except CoopexError as e:
        raise fail(st, str(e)) from e  # fail() prints it as text, never as markup
