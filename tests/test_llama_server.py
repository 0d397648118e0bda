"""The embedded server's HTTP layer and where it cuts a prompt (no model: a stand-in ``Llama``)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from pipeline.backends.embedded import free_port
from pipeline.backends.llama_server import completion_args, serve, split_point

START = 7  # the id of the turn-start token in these tests


def test_the_fixed_part_ends_where_the_last_user_turn_starts() -> None:
    system, user, assistant = [START, 1, 2], [START, 3, 4, 5], [START, 6]
    assert split_point(system + user + assistant, START) == len(system)
    # more turns before (worked examples): still the start of the last user turn
    example = [START, 8, 9, START, 10]
    assert split_point(system + example + user + assistant, START) == len(system + example)


def test_no_marker_means_no_fixed_part() -> None:
    assert split_point([1, 2, 3], START) == 0
    assert split_point([START, 1, 2], START) == 0
    assert split_point([1, 2, 3], None) == 0


class _Stub:
    """Stands in for llama_cpp.Llama: records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def create_chat_completion(self, messages: list[dict[str, str]], tools: Any = None, tool_choice: Any = None,
                               temperature: float = 0.2, max_tokens: int | None = None, seed: int | None = None,
                               response_format: Any = None, stream: bool = False) -> dict[str, Any]:
        self.calls.append({"messages": messages, "tools": tools, "tool_choice": tool_choice,
                           "temperature": temperature, "max_tokens": max_tokens, "seed": seed})
        return {"id": "x", "object": "chat.completion", "created": 0, "model": "stub",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": '{"events": []}'}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 3, "total_tokens": 13}}


def test_unknown_fields_are_left_out_and_streaming_is_not_passed() -> None:
    stub = _Stub()
    args = completion_args({"messages": [], "temperature": 0, "stream": False, "model": "m", "logit_bias": None,
                            "frequency_penalty_x": 1}, stub.create_chat_completion)
    assert args == {"messages": [], "temperature": 0}


@pytest.fixture()
def server() -> Any:
    stub = _Stub()
    port = free_port()
    t = threading.Thread(target=serve, args=(stub, "local-model", "127.0.0.1", port), daemon=True)
    t.start()
    base = f"http://127.0.0.1:{port}/v1"
    for _ in range(100):
        try:
            httpx.get(f"{base}/models", timeout=0.5)
            break
        except httpx.HTTPError:
            threading.Event().wait(0.05)
    return stub, base


def test_a_real_http_round_trip(server: Any) -> None:
    stub, base = server
    assert httpx.get(f"{base}/models").json()["data"][0]["id"] == "local-model"
    r = httpx.post(f"{base}/chat/completions", json={"model": "local-model", "temperature": 0, "seed": 0,
                                                     "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 200
    body = r.json()
    assert body["model"] == "local-model" and body["choices"][0]["message"]["content"] == '{"events": []}'
    assert stub.calls[0]["temperature"] == 0 and stub.calls[0]["seed"] == 0


def test_streaming_and_bad_bodies_are_refused_clearly(server: Any) -> None:
    _, base = server
    r = httpx.post(f"{base}/chat/completions", json={"messages": [], "stream": True})
    assert r.status_code == 400 and "streaming" in r.json()["error"]["message"]
    r = httpx.post(f"{base}/chat/completions", content=b"not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert httpx.get(f"{base}/nowhere").status_code == 404


def test_a_server_started_from_a_short_lived_thread_outlives_that_thread(tmp_path: Any) -> None:
    """PR_SET_PDEATHSIG fires when the thread that started the child ends: the embedded server is
    started from a thread of its own, so the worker whose article started it may finish."""
    import sys
    import time
    from pathlib import Path

    from pipeline.backends.embedded import EmbeddedServer

    class Stand(EmbeddedServer):  # the fault server stands in for the model server
        def command(self) -> list[str]:
            return [sys.executable, "-m", "tests.support.faultserver", "--port", str(self.port)]

    server = Stand(Path("unused.gguf"), alias="m", log_path=Path(tmp_path) / "server.log")
    worker = threading.Thread(target=server.start)
    try:
        worker.start()
        worker.join(timeout=60)
        assert not worker.is_alive()
        time.sleep(1.0)  # the worker thread is gone: a server tied to it would have been killed
        assert server._proc is not None and server._proc.poll() is None
        assert httpx.get(f"{server.base_url}/models", timeout=5).status_code == 200
    finally:
        server.stop()
    assert server._proc is None
