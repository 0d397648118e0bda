"""Several endpoints as one backend: requests spread over them, a failed one retried on another.

``--base-url`` given more than once, or a comma list (there or in
``OPENAI_BASE_URL``), makes a pool. Every endpoint must serve the same model:
the cache key and the record's provenance name the model, never the endpoint.

- Each request goes to the endpoint with the fewest requests in flight among
  those that are up; ties go round the list, so equal endpoints get equal shares.
- An endpoint that fails a request (a transport fault: timeout, connection
  error, 429, 5xx, a garbled body; or an error status) is marked down for a
  cooldown that doubles with each failure in a row (or for its Retry-After), and
  the request goes at once to another endpoint. Only when every endpoint is down
  does a request wait, until the first one is back.
- The pool makes the retries: each endpoint's client makes one attempt per
  request. A request gets ``attempts`` tries in all (the single endpoint's
  ``transport_retries + 1``, and at least one on each endpoint), then it fails
  with ``BackendError``, as a single endpoint does.
- An answer that does not validate (``ExtractionError``) is the model's, not the
  endpoint's: it is not retried elsewhere (instructor has re-asked already).
- Before the first request, every endpoint is checked at once (``probe``, as a
  single endpoint is): one that cannot be reached, or serves no OpenAI-compatible
  API, is left out with a warning; when none is left the run stops
  (``EndpointUnreachableError``, exit 2) before any article is marked failed.

The state is per process: each Ray worker keeps its own view of which endpoint is down.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from pipeline.backends.base import LLMRequest, LLMResult
from pipeline.backends.openai_compat import retry_after_s
from pipeline.core.errors import BackendError, EndpointUnreachableError, ExtractionError
from pipeline.core.redact import redact_url


def split_urls(value: str | None) -> list[str]:
    """'a, b,,c' -> ['a', 'b', 'c'], each once, in order."""
    out: list[str] = []
    for part in (value or "").split(","):
        u = part.strip()
        if u and u not in out:
            out.append(u)
    return out


class EndpointBackend(Protocol):
    kind: str
    model: str
    mode: str

    def extract(self, request: LLMRequest) -> LLMResult: ...


@dataclass
class Endpoint:
    url: str
    backend: EndpointBackend
    in_flight: int = 0
    down_until: float = 0.0
    failures_in_a_row: int = 0
    served: int = 0  # requests answered
    failed: int = 0  # requests that failed here (and went elsewhere or gave up)


class EndpointPool:
    """A ``Backend`` over several endpoints serving one model."""

    kind = "openai"

    def __init__(self, endpoints: Sequence[tuple[str, EndpointBackend]], *, attempts: int,
                 cooldown_s: float = 1.0, cooldown_cap_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 probe: Callable[[str], None] | None = None, say: Callable[[str], None] | None = None):
        if not endpoints:
            raise ValueError("an endpoint pool needs at least one endpoint")
        models = {b.model for _, b in endpoints}
        if len(models) > 1:
            raise ValueError(f"endpoints of one pool serve one model, got {sorted(models)}")
        self.endpoints = [Endpoint(url, b) for url, b in endpoints]
        first = self.endpoints[0].backend
        self.model = first.model
        self.mode = first.mode
        self.attempts = max(attempts, len(self.endpoints))
        self._cooldown_s = cooldown_s
        self._cooldown_cap_s = cooldown_cap_s
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._turn = 0
        self._probe = probe
        self._say = say or (lambda _m: None)
        self._probe_lock = threading.Lock()
        self._unreachable: EndpointUnreachableError | None = None

    def _check_reachable(self) -> None:
        """Once, before the first request: every endpoint probed at once; the dead ones left out."""
        with self._probe_lock:
            if self._probe is not None:
                probe, self._probe = self._probe, None
                errors: dict[str, EndpointUnreachableError] = {}

                def check(url: str) -> None:
                    try:
                        probe(url)
                    except EndpointUnreachableError as e:
                        errors[url] = e

                threads = [threading.Thread(target=check, args=(e.url,), daemon=True) for e in self.endpoints]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                if len(errors) == len(self.endpoints):
                    self._unreachable = EndpointUnreachableError(
                        f"none of the {len(self.endpoints)} endpoints can be used: "
                        + "; ".join(str(e) for e in errors.values()))
                elif errors:
                    with self._lock:
                        self.endpoints = [e for e in self.endpoints if e.url not in errors]
                    for e in errors.values():
                        self._say(f"left out: {e}")
        if self._unreachable is not None:
            raise self._unreachable

    def _acquire(self, avoid: Endpoint | None) -> tuple[Endpoint, float]:
        """The endpoint for the next try, and how long to wait before it (0 unless all are down)."""
        with self._lock:
            now = self._clock()
            n = len(self.endpoints)
            order = [self.endpoints[(self._turn + i) % n] for i in range(n)]
            self._turn = (self._turn + 1) % n
            up = [e for e in order if e.down_until <= now]
            if len(up) > 1 and avoid in up:
                up.remove(avoid)  # the one that just failed is the last choice
            if up:
                ep, wait = min(up, key=lambda e: e.in_flight), 0.0
            else:
                ep = min(order, key=lambda e: e.down_until)
                wait = ep.down_until - now
            ep.in_flight += 1
            return ep, wait

    def _release(self, ep: Endpoint, *, ok: bool, retry_after: float | None = None) -> None:
        with self._lock:
            ep.in_flight -= 1
            if ok:
                ep.served += 1
                ep.failures_in_a_row = 0
                ep.down_until = 0.0
                return
            ep.failed += 1
            ep.failures_in_a_row += 1
            if retry_after is not None:
                pause = retry_after
            else:
                pause = min(self._cooldown_cap_s, self._cooldown_s * 2 ** (ep.failures_in_a_row - 1))
                pause *= random.uniform(0.5, 1.0)  # jitter: workers do not come back in step
            ep.down_until = max(ep.down_until, self._clock() + pause)

    def extract(self, request: LLMRequest) -> LLMResult:
        self._check_reachable()
        usage: list[dict[str, int]] = []
        tries = 0
        last: BackendError | None = None
        failed_at: Endpoint | None = None
        for _ in range(self.attempts):
            ep, wait = self._acquire(failed_at)
            try:
                if wait > 0:
                    self._sleep(wait)
                result = ep.backend.extract(request)
            except BackendError as e:
                cause = e.__cause__
                self._release(ep, ok=False, retry_after=retry_after_s(cause) if cause else None)
                usage += e.usage
                tries += max(e.attempts, 1)
                last, failed_at = e, ep
                continue
            except ExtractionError as e:
                self._release(ep, ok=True)  # the endpoint answered; the answer was the model's
                e.usage = usage + e.usage
                raise
            except BaseException:
                self._release(ep, ok=True)
                raise
            self._release(ep, ok=True)
            return replace(result, usage=usage + result.usage) if usage else result
        assert last is not None
        raise BackendError(
            f"{len(self.endpoints)} endpoints failed {tries} attempt(s); last ({redact_url(failed_at.url) if failed_at else '?'}): {last}",
            attempts=tries, usage=usage,
        ) from last

    def stats(self) -> list[dict[str, object]]:
        with self._lock:
            return [{"url": redact_url(e.url), "served": e.served, "failed": e.failed, "in_flight": e.in_flight}
                    for e in self.endpoints]

    def close(self) -> None:
        for e in self.endpoints:
            close = getattr(e.backend, "close", None)
            if close:
                close()
