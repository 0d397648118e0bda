"""Any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp server), via instructor.

Two retry loops, each bounded:
- transport faults (timeouts, connection errors, 429 honouring Retry-After, 5xx)
  are retried here with tenacity, exponential backoff with jitter;
- invalid model output is re-asked by instructor (``validation_retries``).
Usage is recorded for every attempt of both loops through instructor's hooks.

An endpoint that cannot be reached at all is not a transient fault of one
article: with ``probe=True`` the first request first checks that the endpoint
answers at all, and raises ``EndpointUnreachableError`` (a configuration error:
the run stops) when it does not.
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any

import httpx
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from pipeline.backends.base import LLMRequest, LLMResult
from pipeline.core.errors import BackendError, EndpointUnreachableError, ExtractionError
from pipeline.core.redact import redact

MODES = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}
MAX_RETRY_AFTER_S = 120.0


def _root(exc: BaseException) -> BaseException:
    """The transport error behind instructor's wrapper, if any."""
    seen = 0
    while isinstance(exc, InstructorRetryException) and exc.__cause__ is not None and seen < 5:
        exc, seen = exc.__cause__, seen + 1
    return exc


_CONTEXT_EXCEEDED = re.compile(r"context[ _](?:window|length)|maximum context|too many tokens", re.IGNORECASE)


def exceeds_context(exc: BaseException) -> bool:
    """The endpoint says the request does not fit its context: the same request would fail again."""
    e = _root(exc)
    return isinstance(e, openai.APIStatusError) and bool(_CONTEXT_EXCEEDED.search(str(e)))


def is_transient(exc: BaseException) -> bool:
    e = _root(exc)
    if exceeds_context(e):
        return False
    if isinstance(e, json.JSONDecodeError):  # a body cut or garbled on the way: the endpoint's fault
        return True
    if isinstance(e, (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError,
                      openai.InternalServerError, httpx.TransportError)):
        return True
    return isinstance(e, openai.APIStatusError) and e.status_code in (408, 409, 429, 500, 502, 503, 504)


def retry_after_s(exc: BaseException) -> float | None:
    e = _root(exc)
    resp = getattr(e, "response", None)
    if resp is None:
        return None
    value = resp.headers.get("retry-after")
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S)
    except ValueError:
        return None


class _Wait:
    """Exponential backoff with jitter; a server's Retry-After wins when it gives one."""

    def __init__(self, base: float = 1.0, cap: float = 30.0):
        self._exp = wait_random_exponential(multiplier=base, max=cap)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        ra = retry_after_s(exc) if exc else None
        return ra if ra is not None else float(self._exp(state))


def _raw_text(resp: Any) -> str | None:
    try:
        msg = resp.choices[0].message
    except (AttributeError, IndexError):
        return None
    calls = getattr(msg, "tool_calls", None)
    if calls:
        return calls[0].function.arguments
    return getattr(msg, "content", None)


def _usage(resp: Any) -> dict[str, int]:
    u = getattr(resp, "usage", None)
    return {
        "prompt_tokens": int(getattr(u, "prompt_tokens", 0) or 0),
        "completion_tokens": int(getattr(u, "completion_tokens", 0) or 0),
    }


PROBE_WAITS_S = (0.5, 1.5)  # an endpoint still starting gets two more chances
NO_API = (404, 405, 501)  # statuses of a server with no such route: no OpenAI-compatible API there


def probe_endpoint(base_url: str, timeout_s: float = 10.0, waits: tuple[float, ...] = PROBE_WAITS_S) -> None:
    """Raise ``EndpointUnreachableError`` unless the endpoint answers HTTP and serves an
    OpenAI-compatible API: any status to ``GET /models`` will do (a 401 still proves it is
    there), but one that answers 404, 405 or 501 there and to an empty ``POST
    /chat/completions`` too (which a real endpoint refuses as a bad request, 400 or 422)
    serves none, and every request would fail alike. Proxies are honoured as the client
    honours them; no key is sent, and no model is asked anything."""
    root = base_url.rstrip("/")
    last: BaseException | None = None
    for wait in (0.0, *waits):
        time.sleep(wait)
        try:
            with httpx.Client(timeout=timeout_s, follow_redirects=False) as client:
                models = client.get(root + "/models").status_code
                chat = client.post(root + "/chat/completions", json={}).status_code if models in NO_API else None
            if chat in NO_API:
                raise EndpointUnreachableError(
                    f"the endpoint {redact(base_url)} serves no OpenAI-compatible API: it answers {models} to "
                    f"GET /models and {chat} to POST /chat/completions; check the path in OPENAI_BASE_URL or "
                    "--base-url (it usually ends in /v1): no article was extracted")
            return
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError) as e:
            last = e
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
            last = e
            break
        except httpx.HTTPError:
            return  # it connected (a slow or odd answer is the requests' business, with their retries)
    reason = str(last) or type(last).__name__
    raise EndpointUnreachableError(
        f"cannot reach the endpoint {redact(base_url)} ({redact(reason)}); check OPENAI_BASE_URL or --base-url "
        "(or unset it to use the embedded model): no article was extracted")


class OpenAICompatBackend:
    kind = "openai"

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        model: str,
        mode: str = "tools",
        timeout_s: float = 600.0,
        transport_retries: int = 4,
        validation_retries: int = 2,
        backoff_base_s: float = 1.0,
        backoff_cap_s: float = 30.0,
        probe: bool = False,
    ):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        self.model = model
        self.mode = mode
        self.base_url = base_url
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",  # local servers take any key
            timeout=timeout_s,
            max_retries=0,  # retries are ours, below
        )
        self._transport_retries = transport_retries
        self._validation_retries = validation_retries
        self._wait = _Wait(backoff_base_s, backoff_cap_s)
        self._probe = probe and base_url is not None
        self._probe_timeout_s = min(timeout_s, 10.0)
        self._probe_lock = threading.Lock()
        self._unreachable: EndpointUnreachableError | None = None

    def close(self) -> None:
        self._client.close()

    def _check_reachable(self) -> None:
        """Once per backend, before the first request; every later request sees the same answer."""
        with self._probe_lock:
            if self._probe:
                try:
                    probe_endpoint(str(self.base_url), self._probe_timeout_s)
                except EndpointUnreachableError as e:
                    self._unreachable = e
                self._probe = False
        if self._unreachable is not None:
            raise self._unreachable

    def extract(self, request: LLMRequest) -> LLMResult:
        self._check_reachable()
        usage: list[dict[str, int]] = []
        raws: list[str | None] = []
        client = instructor.from_openai(self._client, mode=MODES[self.mode])

        def on_response(resp: Any) -> None:
            usage.append(_usage(resp))
            raws.append(_raw_text(resp))

        client.on("completion:response", on_response)

        def call() -> Any:
            return client.chat.completions.create(
                model=request.model,
                messages=list(request.messages),  # type: ignore[arg-type]
                response_model=request.response_model,
                max_retries=self._validation_retries,
                **request.params(),
            )

        transport_attempts = 0

        def count(_: RetryCallState) -> None:
            nonlocal transport_attempts
            transport_attempts += 1

        retrying = Retrying(
            stop=stop_after_attempt(self._transport_retries + 1),
            wait=self._wait,
            retry=retry_if_exception(is_transient),
            before=count,
            reraise=True,
        )
        t0 = time.perf_counter()
        try:
            obj = retrying(call)
        except IncompleteOutputException as e:
            raise ExtractionError(
                "the model's answer was cut off at max_tokens; raise --max-tokens",
                attempts=max(len(usage), 1), last_raw=raws[-1] if raws else None, usage=usage,
            ) from e
        except Exception as e:
            root = _root(e)
            if exceeds_context(e):
                raise ExtractionError(
                    f"the request does not fit the model's context ({root}); it was not retried",
                    attempts=max(transport_attempts, 1), usage=usage,
                ) from e
            if is_transient(e) or isinstance(root, (openai.APIStatusError, openai.APIConnectionError)):
                raise BackendError(
                    f"endpoint failed after {transport_attempts} attempt(s): {type(root).__name__}: {root}",
                    attempts=transport_attempts, usage=usage,
                ) from e
            if isinstance(e, InstructorRetryException):
                raise ExtractionError(
                    f"no valid answer after {len(usage)} attempt(s): {str(e)[:500]}",
                    attempts=len(usage), last_raw=raws[-1] if raws else None, usage=usage,
                ) from e
            raise
        return LLMResult(
            data=obj.model_dump(mode="json"),
            usage=usage,
            raw=raws[-1] if raws else None,
            latency_s=time.perf_counter() - t0,
        )
