"""Several endpoints as one backend (pipeline.backends.pool), against real loopback fault servers."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from pipeline.backends.base import LLMRequest
from pipeline.backends.factory import open_backend
from pipeline.backends.openai_compat import OpenAICompatBackend
from pipeline.backends.pool import EndpointPool, split_urls
from pipeline.core.config import Settings
from pipeline.core.errors import BackendError, ExtractionError
from pipeline.methods.models import Extraction
from tests.support.faultserver import FaultServer

ARTICLE = "Kazakh and Chinese delegations met in Astana to discuss a new plant.\nThe talks went well."


def req(i: int = 0) -> LLMRequest:
    return LLMRequest(messages=({"role": "system", "content": "s"},
                                {"role": "user", "content": f"Published: x\nTitle: t{i}\n\nArticle:\n{ARTICLE}"}),
                      response_model=Extraction, model="m")


def client(url: str, **kw: Any) -> OpenAICompatBackend:
    opts: dict[str, Any] = dict(base_url=url, api_key="k", model="m", timeout_s=0.5, transport_retries=0,
                                validation_retries=1)
    opts.update(kw)
    return OpenAICompatBackend(**opts)


def pool(*urls: str, attempts: int = 5, **kw: Any) -> EndpointPool:
    return EndpointPool([(u, client(u)) for u in urls], attempts=attempts, cooldown_s=0.05, **kw)


def dead_url() -> str:
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def test_split_urls() -> None:
    assert split_urls(None) == [] and split_urls("") == []
    assert split_urls(" http://a/v1, http://b/v1,,http://a/v1 ") == ["http://a/v1", "http://b/v1"]


def test_requests_are_spread_evenly_over_healthy_endpoints() -> None:
    with FaultServer() as a, FaultServer() as b, FaultServer() as c:
        p = pool(a.base_url, b.base_url, c.base_url)
        for i in range(15):
            assert p.extract(req(i)).data["events"]
    assert [len(s.requests) for s in (a, b, c)] == [5, 5, 5]
    assert [e["served"] for e in p.stats()] == [5, 5, 5]


def test_a_failing_endpoint_is_retried_on_another_at_once() -> None:
    with FaultServer(choose=lambda body, attempt: "503") as bad, FaultServer() as good:
        p = pool(bad.base_url, good.base_url)
        t0 = time.perf_counter()
        results = [p.extract(req(i)) for i in range(12)]
        elapsed = time.perf_counter() - t0
    assert all(r.data["events"] for r in results) and len(good.requests) == 12
    # the bad one is tried, then rests (cooldown doubling) while the good one serves
    assert 1 <= len(bad.requests) < 12 and elapsed < 5
    assert p.stats()[0]["failed"] == len(bad.requests)


def test_a_dead_endpoint_fails_over() -> None:
    with FaultServer() as good:
        p = pool(dead_url(), good.base_url)
        assert all(p.extract(req(i)).data["events"] for i in range(6))
    assert len(good.requests) == 6


def test_every_endpoint_down_ends_in_a_bounded_backend_error() -> None:
    with FaultServer(choose=lambda body, attempt: "500") as a, FaultServer(choose=lambda body, attempt: "429") as b:
        p = pool(a.base_url, b.base_url, attempts=4)
        with pytest.raises(BackendError, match="2 endpoints failed 4 attempt") as ei:
            p.extract(req())
    assert len(a.requests) + len(b.requests) == 4
    assert len(a.requests) == 2 and len(b.requests) == 2  # alternating, never the same one twice in a row
    assert ei.value.attempts == 4


def test_transient_faults_on_both_are_retried_then_succeed() -> None:
    with FaultServer(script=["429", "reset"]) as a, FaultServer(script=["503", "truncated"]) as b:
        p = pool(a.base_url, b.base_url, attempts=5)
        r = p.extract(req())
    assert r.data["events"] and len(a.requests) + len(b.requests) == 5


def test_an_invalid_answer_is_the_models_not_retried_elsewhere() -> None:
    with FaultServer(choose=lambda body, attempt: "schema_invalid") as a, FaultServer() as b:
        p = pool(a.base_url, b.base_url)
        with pytest.raises(ExtractionError):
            p.extract(req())
    assert len(a.requests) == 2 and not b.requests  # instructor's re-ask on the same endpoint, no failover


def test_the_factory_builds_a_pool_from_a_comma_list(tmp_path: Any) -> None:
    with FaultServer() as a, FaultServer() as b:
        s = Settings(base_url=f"{a.base_url},{b.base_url}", api_key="k", model="m", cache_dir=tmp_path)
        with open_backend(s) as backend:
            assert isinstance(backend, EndpointPool) and backend.kind == "openai" and backend.model == "m"
            assert backend.attempts == s.transport_retries + 1
            for i in range(4):
                backend.extract(req(i))
        with open_backend(Settings(base_url=a.base_url, model="m", cache_dir=tmp_path)) as one:
            assert isinstance(one, OpenAICompatBackend)  # a single endpoint is as before
    assert len(a.requests) == 2 and len(b.requests) == 2
