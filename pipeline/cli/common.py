"""What the commands share: settings from flags, the backend factory, the extractor."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from pipeline.backends.base import Backend
from pipeline.backends.factory import budget_for, open_backend
from pipeline.core.cache import ResultCache
from pipeline.core.config import DEFAULT_PROMPT, Settings
from pipeline.core.errors import ConfigError, CoopexError
from pipeline.core.redact import redact
from pipeline.extract import Extractor, Params
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema

BackendFactory = Callable[[Settings, Callable[[str], None]], AbstractContextManager[Backend]]

# Exit codes scripts can rely on.
EXIT_OK = 0
EXIT_ARTICLE_FAILED = 1  # the run finished, but some article got an error record
EXIT_USAGE = 2  # bad arguments, configuration or endpoint
EXIT_PARTIAL = 3  # batch: the output could not be written to the end (a full disk); lines kept, resume
EXIT_INTERRUPTED = 130


@dataclass
class AppState:
    settings: Settings
    backend_factory: BackendFactory
    err: Console


def state(ctx: typer.Context) -> AppState:
    """The command's settings (the environment, validated up front), backend factory and console."""
    obj = ctx.ensure_object(dict)
    if "state" not in obj:
        err = Console(stderr=True)
        try:
            settings = obj.get("settings") or Settings.from_env()
        except ConfigError as e:
            err.print(f"[bold red]error:[/] {escape(redact(str(e)))}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None
        obj["state"] = AppState(settings=settings, backend_factory=obj.get("backend_factory") or open_backend, err=err)
    st: AppState = obj["state"]
    return st


def fail(st: AppState, message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print one line (never wrapped, never read as markup) and return the exit to raise."""
    st.err.print(f"[bold red]error:[/] {escape(redact(message))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def warn(st: AppState, message: str) -> None:
    st.err.print(f"[yellow]warning:[/] {escape(redact(message))}", highlight=False, soft_wrap=True)


def settings_from(st: AppState, **overrides: Any) -> Settings:
    return st.settings.with_overrides(**overrides)


@contextmanager
def no_new_folder_left_on_failure(folder: Path) -> Iterator[None]:
    """The folders the block creates for an output (``folder`` and any missing parents) are
    removed again, if still empty, when the block fails: a refused command leaves nothing behind."""
    missing: list[Path] = []  # deepest first
    p = folder.absolute()
    while not os.path.lexists(p) and p != p.parent:
        missing.append(p)
        p = p.parent
    try:
        yield
    except BaseException:
        for d in missing:
            try:
                d.rmdir()
            except OSError:
                break  # not empty (or not ours to remove): left as it is
        raise


@contextmanager
def extractor_for(st: AppState, settings: Settings) -> Iterator[Extractor]:
    """A ready extractor; the backend (and an embedded server) is closed afterwards."""
    try:
        prompt = load_prompt(settings.prompt_id)
        schema = load_schema(settings.schema_id)
    except CoopexError as e:
        raise fail(st, str(e)) from e
    try:
        cache = ResultCache(settings.cache_dir, warn=lambda m: warn(st, m)) if settings.use_cache else None
    except CoopexError as e:
        raise fail(st, str(e)) from e
    if cache and cache.rebuilt:
        warn(st, f"{cache.rebuilt}; results will be recomputed")
    try:
        with st.backend_factory(settings, lambda m: st.err.print(f"[dim]{escape(redact(m))}...[/]")) as backend:
            yield Extractor(backend, prompt, schema, cache,
                            Params(settings.temperature, settings.max_tokens, settings.seed),
                            strict_grounding=settings.strict_grounding, budget=budget_for(settings))
    finally:
        if cache:
            cache.close()


# Options shared by extract, batch and eval.
BaseUrlOpt = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL; unset: embedded model).")
ModelOpt = typer.Option(None, "--model", help="Model name (default: $COOPEX_MODEL).")
PromptOpt = typer.Option(None, "--prompt", help=f"Prompt version under prompts/ (default: {DEFAULT_PROMPT}).")
SchemaOpt = typer.Option(None, "--schema", help="Schema version under schemas/ (default: record.v1).")
NoCacheOpt = typer.Option(False, "--no-cache", help="Neither read nor write the result cache.")
ModeOpt = typer.Option(None, "--mode", help="Structured-output mode: tools (default), json or md_json.")
MaxTokensOpt = typer.Option(None, "--max-tokens", help="Most tokens the model may write per answer.")
MaxCharsOpt = typer.Option(None, "--max-chars", help="Refuse articles longer than this many characters (default 60000).")
StrictGroundingOpt = typer.Option(False, "--strict-grounding", help="Drop values the article does not support "
                                  "(evidence not in the text, party names, amounts and places not found in it); "
                                  "without it they are kept and flagged in provenance.grounded.")


def apply_common(st: AppState, *, base_url: str | None, model: str | None, prompt: str | None,
                 schema: str | None, no_cache: bool, mode: str | None, max_tokens: int | None,
                 max_chars: int | None, strict_grounding: bool = False) -> Settings:
    s = settings_from(st, base_url=base_url, model=model, prompt_id=prompt, schema_id=schema,
                      mode=mode, max_tokens=max_tokens, max_chars=max_chars)
    if no_cache:
        s = s.with_overrides(use_cache=False)
    if strict_grounding:
        s = s.with_overrides(strict_grounding=True)
    try:
        return s.validate()
    except ConfigError as e:
        raise fail(st, str(e)) from e
