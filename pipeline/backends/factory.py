"""Build the backend the settings ask for: a remote endpoint, or the embedded model."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pipeline.backends.base import Backend, LLMRequest, LLMResult
from pipeline.backends.embedded import EmbeddedServer
from pipeline.backends.model_store import ensure_model, installed_model
from pipeline.backends.openai_compat import OpenAICompatBackend, probe_endpoint
from pipeline.backends.pool import EndpointPool, split_urls
from pipeline.core.budget import Budget, GGUFCounter, TokenCounter
from pipeline.core.config import Settings

ENDPOINT_CONTEXT = 8192  # an endpoint's context when COOPEX_CONTEXT_TOKENS does not say


def budget_for(settings: Settings) -> Budget:
    """How much of an article one request carries: the embedded model's context counted with its own
    tokenizer; an endpoint's (COOPEX_CONTEXT_TOKENS, else 8192) with a byte-length estimate."""
    if settings.embedded:
        path = installed_model(settings.model_dir)
        counter = GGUFCounter(path) if path is not None else TokenCounter()
        return Budget(context=settings.context_tokens or settings.n_ctx, counter=counter)
    return Budget(context=settings.context_tokens or ENDPOINT_CONTEXT)


@contextmanager
def open_backend(settings: Settings, on_status: Callable[[str], None] | None = None) -> Iterator[Backend]:
    """Yield a ready backend; an embedded server is stopped when the block ends."""
    say = on_status or (lambda _m: None)

    def remote(base_url: str | None, probe: bool = False,
               transport_retries: int = settings.transport_retries) -> OpenAICompatBackend:
        return OpenAICompatBackend(
            base_url=base_url, api_key=settings.api_key, model=settings.model_name,
            mode=settings.mode, timeout_s=settings.timeout_s,
            transport_retries=transport_retries,
            validation_retries=settings.validation_retries,
            probe=probe,
        )

    if not settings.embedded:
        # a remote endpoint is checked at the first request (a run served from the cache needs none):
        # one that cannot be reached at all stops the run before any article is marked failed
        urls = split_urls(settings.base_url)
        b: OpenAICompatBackend | EndpointPool
        if len(urls) > 1:  # several endpoints: the pool makes the retries, moving to another endpoint
            # and checks every endpoint before the first request, as one endpoint checks itself
            b = EndpointPool([(u, remote(u, transport_retries=0)) for u in urls],
                             attempts=settings.transport_retries + 1,
                             probe=lambda u: probe_endpoint(u, min(settings.timeout_s, 10.0)), say=say)
        else:
            b = remote(urls[0] if urls else settings.base_url, probe=True)
        try:
            yield b
        finally:
            b.close()
        return

    lazy = LazyEmbedded(settings, remote, say)
    try:
        yield lazy
    finally:
        lazy.close()


class LazyEmbedded:
    """The embedded backend, started on the first request: a run served from the cache starts no server."""

    kind = "embedded"

    def __init__(self, settings: Settings, remote: Callable[[str | None], OpenAICompatBackend],
                 say: Callable[[str], None]):
        self.model = settings.model_name
        self.mode = settings.mode
        self._settings = settings
        self._remote = remote
        self._say = say
        self._lock = threading.Lock()
        self._server: EmbeddedServer | None = None
        self._backend: OpenAICompatBackend | None = None

    def _ready(self) -> OpenAICompatBackend:
        with self._lock:
            if self._backend is None:
                s = self._settings
                self._say("preparing the embedded model")
                path = ensure_model(s.model_dir)
                self._say("starting the embedded model server")
                server = EmbeddedServer(path, alias=s.model_name, n_ctx=s.n_ctx, n_threads=s.n_threads)
                server.start()
                self._server = server
                self._backend = self._remote(server.base_url)
            return self._backend

    def extract(self, request: LLMRequest) -> LLMResult:
        return self._ready().extract(request)

    def close(self) -> None:
        with self._lock:
            if self._backend is not None:
                self._backend.close()
            if self._server is not None:
                self._server.stop()
            self._backend = self._server = None
