"""A fault-injecting OpenAI-compatible server on 127.0.0.1, for tests, benchmarks and by hand.

It speaks ``POST /v1/chat/completions`` as coopex uses it (tools mode: a tool
call; JSON modes: message content) and ``GET /v1/models``. Each request gets
one fault, chosen in this order: the next entry of ``script``, then
``choose(body, attempt)``, then ``rates`` (seeded, so runs repeat), else "ok".

Faults:
  ok              a valid answer (from ``answer``), after ``latency_s``
  429             Too Many Requests with Retry-After
  500, 503        server errors
  hang            no answer for ``hang_s`` (longer than the client's timeout)
  reset           the connection is reset with no answer
  malformed       HTTP 200 with a body that is not JSON
  schema_invalid  a well-formed answer whose arguments break the schema
  ungrounded      a valid answer whose evidence is not in the article
  truncated       HTTP 200 whose body stops short of its Content-Length

By hand:  python -m tests.support.faultserver --port 8089 --latency 0.5 --rate 429=0.1 --rate hang=0.02
then     OPENAI_BASE_URL=http://127.0.0.1:8089/v1 coopex batch eval/corpus -o out.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import signal
import socket
import struct
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.loopback import LoopbackServer

FAULTS = ("ok", "429", "500", "503", "hang", "reset", "malformed", "schema_invalid", "ungrounded", "truncated")
NOT_IN_ARTICLE = "This sentence does not occur in the article."


def article_of(body: dict[str, Any]) -> str:
    """The article part of the last user message (after the prompt's header lines)."""
    msgs = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = str(msgs[-1].get("content", "")) if msgs else ""
    head, _, rest = content.partition("\n\n")
    _, _, text = rest.partition("\n")
    return text or content


def tool_name(body: dict[str, Any]) -> str | None:
    tools = body.get("tools") or []
    return tools[0]["function"]["name"] if tools else None


def default_answer(body: dict[str, Any], *, grounded: bool = True) -> dict[str, Any]:
    """A schema-valid answer for the requested response model: one event quoting the article."""
    text = article_of(body)
    if tool_name(body) == "CExtraction" or '"sentences"' in json.dumps(body.get("tools") or body.get("response_format") or {}):
        return {"events": []}
    quote = text.strip().splitlines()[0][:80].strip() if text.strip() else ""
    if not quote:
        return {"events": []}
    party = {"name": "Kazakh side", "name_en": "Kazakh side", "kind": "organization", "title": None, "affiliation": None}
    cn = {**party, "name": "Chinese side", "name_en": "Chinese side"}
    return {"events": [{
        "type": "meeting", "date": None, "location": {"place": None, "country": None},
        "kz_parties": [party], "cn_parties": [cn], "sectors": [], "agreements": [], "projects": [],
        "summary": "A meeting.", "evidence": [quote if grounded else NOT_IN_ARTICLE],
    }]}


def completion(arguments: dict[str, Any] | str, body: dict[str, Any], *, completion_tokens: int = 50) -> dict[str, Any]:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    name = tool_name(body)
    msg: dict[str, Any] = {"role": "assistant", "content": None if name else args}
    if name:
        msg["tool_calls"] = [{"id": "call_1", "type": "function", "function": {"name": name, "arguments": args}}]
    prompt_tokens = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4
    return {
        "id": "chatcmpl-fault", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", "fault"),
        "choices": [{"index": 0, "message": msg, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


class FaultServer(LoopbackServer):
    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        script: list[str] | None = None,
        rates: dict[str, float] | None = None,
        choose: Callable[[dict[str, Any], int], str] | None = None,
        answer: Callable[[dict[str, Any]], dict[str, Any]] = default_answer,
        seed: int = 0,
        hang_s: float = 30.0,
        retry_after: str = "0",
        port: int = 0,
    ):
        for f in list(script or []) + list(rates or {}):
            if f not in FAULTS:
                raise ValueError(f"unknown fault {f!r}; choose from {', '.join(FAULTS)}")
        self.latency_s = latency_s
        self.script: deque[str] = deque(script or [])
        self.rates = dict(rates or {})
        self.choose = choose
        self.answer = answer
        self.hang_s = hang_s
        self.retry_after = retry_after
        self.counts: Counter[str] = Counter()
        self.requests: list[dict[str, Any]] = []
        self.keep_requests = True
        self._attempts: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._json(200, {"object": "list", "data": [{"id": "fault", "object": "model"}]})

            def do_POST(self) -> None:
                n = int(self.headers.get("content-length", 0))
                try:
                    body = json.loads(self.rfile.read(n) or b"{}")
                except ValueError:
                    self._json(400, {"error": {"message": "request body is not JSON"}})
                    return
                fault = server._pick(body, self.headers.get("authorization"))
                server._serve(self, fault, body)

            def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
                self._bytes(status, json.dumps(obj).encode(), headers)

            def _bytes(self, status: int, data: bytes, headers: dict[str, str] | None = None,
                       length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data) if length is None else length))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

        self._listen(Handler, port).request_queue_size = 128

    # -- choosing and serving faults

    def _pick(self, body: dict[str, Any], authorization: str | None) -> str:
        key = hashlib.sha256(json.dumps(body.get("messages", []), sort_keys=True).encode()).hexdigest()
        with self._lock:
            self._attempts[key] += 1
            attempt = self._attempts[key]
            if self.script:
                fault = self.script.popleft()
            elif self.choose is not None:
                fault = self.choose(body, attempt)
            else:
                fault = "ok"
                r = self._rng.random()
                for name, p in self.rates.items():
                    if r < p:
                        fault = name
                        break
                    r -= p
            self.counts[fault] += 1
            if self.keep_requests:
                self.requests.append({"fault": fault, "attempt": attempt, "authorization": authorization,
                                      "body": body})
        return fault

    def _serve(self, h: Any, fault: str, body: dict[str, Any]) -> None:
        if self.latency_s:
            time.sleep(self.latency_s)
        if fault == "ok":
            h._json(200, completion(self.answer(body), body))
        elif fault == "ungrounded":
            h._json(200, completion(default_answer(body, grounded=False), body))
        elif fault == "schema_invalid":
            h._json(200, completion({"events": [{"type": "party", "evidence": 7}]}, body))
        elif fault == "429":
            h._json(429, {"error": {"message": "rate limited", "type": "rate_limit"}},
                    {"retry-after": self.retry_after})
        elif fault in ("500", "503"):
            h._json(int(fault), {"error": {"message": f"injected {fault}"}})
        elif fault == "malformed":
            h._bytes(200, b'{"id": "chatcmpl-fault", "choices": [{"index": 0, "mess')
        elif fault == "truncated":
            data = json.dumps(completion(self.answer(body), body)).encode()
            h._bytes(200, data[: len(data) // 2], length=len(data))
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
        elif fault == "reset":
            h.close_connection = True
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
        elif fault == "hang":
            self._stop.wait(self.hang_s)
            h.close_connection = True

    # -- lifecycle

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        super().__exit__(*exc)


def _rates(values: list[str]) -> dict[str, float]:
    out = {}
    for v in values:
        name, _, p = v.partition("=")
        out[name] = float(p)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m tests.support.faultserver", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8089)
    ap.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    ap.add_argument("--rate", action="append", default=[], metavar="FAULT=P",
                    help=f"inject FAULT with probability P; faults: {', '.join(FAULTS[1:])}")
    ap.add_argument("--script", default="", help="comma-separated faults for the first requests")
    ap.add_argument("--hang", type=float, default=30.0, help="how long a hang lasts (s)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    srv = FaultServer(latency_s=a.latency, rates=_rates(a.rate), script=[s for s in a.script.split(",") if s],
                      hang_s=a.hang, seed=a.seed, port=a.port)
    srv.keep_requests = False
    # Ctrl-C stops it even when started from a shell that runs background jobs with SIGINT ignored
    # (which a child inherits, and Python then leaves ignored)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with srv:
        print(f"fault server on {srv.base_url} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("faults served: " + ", ".join(f"{k}={v}" for k, v in sorted(srv.counts.items())))


if __name__ == "__main__":
    main()
