"""Build the backend the settings ask for: a remote endpoint, or the embedded model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..config import Settings
from ..model_store import ensure_model
from .base import Backend
from .embedded import EmbeddedServer
from .openai_compat import OpenAICompatBackend


@contextmanager
def open_backend(settings: Settings, on_status: Callable[[str], None] | None = None) -> Iterator[Backend]:
    """Yield a ready backend; an embedded server is stopped when the block ends."""
    say = on_status or (lambda _m: None)

    def remote(base_url: str | None) -> OpenAICompatBackend:
        return OpenAICompatBackend(
            base_url=base_url, api_key=settings.api_key, model=settings.model_name,
            mode=settings.mode, timeout_s=settings.timeout_s,
            transport_retries=settings.transport_retries,
            validation_retries=settings.validation_retries,
        )

    if not settings.embedded:
        b = remote(settings.base_url)
        try:
            yield b
        finally:
            b.close()
        return

    say("preparing the embedded model")
    path = ensure_model(settings.model_dir)
    say("starting the embedded model server")
    with EmbeddedServer(path, alias=settings.model_name, n_ctx=settings.n_ctx,
                        n_threads=settings.n_threads) as server:
        b = remote(server.base_url)
        b.kind = "embedded"
        try:
            yield b
        finally:
            b.close()
