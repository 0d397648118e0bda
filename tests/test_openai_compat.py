"""The OpenAI-compatible backend against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from pipeline.backends.base import LLMRequest
from pipeline.backends.openai_compat import OpenAICompatBackend
from pipeline.core.errors import BackendError, ExtractionError
from pipeline.methods.models import Extraction
from tests.support.scripted_server import Reply, ScriptedServer, chat_completion

from .conftest import event

REQ = LLMRequest(messages=({"role": "user", "content": "article"},), response_model=Extraction, model="m")
GOOD = Reply(200, chat_completion({"events": [event()]}, prompt_tokens=100, completion_tokens=30))


def backend(srv: ScriptedServer, **kw) -> OpenAICompatBackend:  # type: ignore[no-untyped-def]
    opts = dict(base_url=srv.base_url, api_key="sk-secret", model="m", timeout_s=5,
                transport_retries=3, validation_retries=1, backoff_base_s=0.01, backoff_cap_s=0.05)
    opts.update(kw)
    return OpenAICompatBackend(**opts)  # type: ignore[arg-type]


def test_tool_call_answer_is_parsed_with_usage() -> None:
    with ScriptedServer([GOOD]) as srv:
        r = backend(srv).extract(REQ)
    assert r.data["events"][0]["kz_parties"][0]["name_en"] == "Roman Sklyar"
    assert r.usage == [{"prompt_tokens": 100, "completion_tokens": 30}]
    body = srv.requests[0]["body"]
    assert body["tool_choice"]["function"]["name"] == "Extraction"  # grammar-constrained on llama.cpp
    assert srv.requests[0]["authorization"] == "Bearer sk-secret"


def test_429_honours_retry_after_then_succeeds() -> None:
    with ScriptedServer([Reply(429, {"error": {"message": "slow"}}, {"Retry-After": "0.3"}), GOOD]) as srv:
        t0 = time.perf_counter()
        r = backend(srv).extract(REQ)
        waited = time.perf_counter() - t0
    assert len(srv.requests) == 2 and r.data["events"]
    assert waited >= 0.3  # the server's Retry-After, not the 0.05 s backoff cap


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_retried(status: int) -> None:
    with ScriptedServer([Reply(status, {"error": {"message": "boom"}}), GOOD]) as srv:
        r = backend(srv).extract(REQ)
    assert len(srv.requests) == 2 and r.data["events"]


def test_transport_retries_are_bounded() -> None:
    with ScriptedServer(default=Reply(503, {"error": {"message": "down"}})) as srv:
        with pytest.raises(BackendError, match="after 4 attempt"):
            backend(srv).extract(REQ)
    assert len(srv.requests) == 4


def test_timeout_is_retried_then_reported() -> None:
    with ScriptedServer(default=Reply(200, chat_completion({"events": []}), delay_s=1.0)) as srv:
        with pytest.raises(BackendError):
            backend(srv, timeout_s=0.2, transport_retries=1).extract(REQ)
    assert len(srv.requests) == 2


def test_client_errors_are_not_retried() -> None:
    with ScriptedServer(default=Reply(401, {"error": {"message": "bad key"}})) as srv:
        with pytest.raises(BackendError):
            backend(srv).extract(REQ)
    assert len(srv.requests) == 1


def test_invalid_output_is_reasked_and_usage_of_every_attempt_kept() -> None:
    bad = Reply(200, chat_completion({"events": [event(type="party")]}, prompt_tokens=100, completion_tokens=40))
    with ScriptedServer([bad, GOOD]) as srv:
        r = backend(srv).extract(REQ)
    assert r.attempts == 2
    assert r.usage == [{"prompt_tokens": 100, "completion_tokens": 40}, {"prompt_tokens": 100, "completion_tokens": 30}]
    # the re-ask tells the model what was wrong
    assert "party" in str(srv.requests[1]["body"]["messages"][-1])


def test_reasks_are_bounded_and_the_last_raw_output_kept() -> None:
    junk = Reply(200, chat_completion('{"events": [{"type": "meeting"', completion_tokens=9))
    with ScriptedServer(default=junk) as srv:
        with pytest.raises(ExtractionError) as ei:
            backend(srv, validation_retries=2).extract(REQ)
    assert len(srv.requests) == 3
    assert ei.value.attempts == 3 and ei.value.last_raw == '{"events": [{"type": "meeting"'
    assert sum(u["completion_tokens"] for u in ei.value.usage) == 27


def test_malformed_body_is_an_error_not_a_crash() -> None:
    with ScriptedServer(default=Reply(200, b"{not json")) as srv:
        with pytest.raises((BackendError, ExtractionError)):
            backend(srv, transport_retries=1).extract(REQ)
