"""A scripted OpenAI-compatible endpoint on 127.0.0.1 for tests: each request gets the next
queued reply (a body, a status, a delay), and every request is kept for the test to read."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.loopback import LoopbackServer


def chat_completion(arguments: str | dict[str, Any], *, tool: str | None = "Extraction",
                    prompt_tokens: int = 100, completion_tokens: int = 20,
                    finish_reason: str = "stop") -> dict[str, Any]:
    """A chat-completions body answering with a tool call (or plain content when tool is None)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    msg: dict[str, Any] = {"role": "assistant", "content": None if tool else args}
    if tool:
        msg["tool_calls"] = [{"id": "call_1", "type": "function", "function": {"name": tool, "arguments": args}}]
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "scripted",
        "choices": [{"index": 0, "message": msg, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


@dataclass
class Reply:
    """One scripted reply: a status, headers and body, after an optional delay."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] | None = None
    delay_s: float = 0.0


class ScriptedServer(LoopbackServer):
    """An OpenAI-compatible HTTP server on 127.0.0.1 that answers from a script.

        with ScriptedServer([Reply(429, {"error": "slow down"}, {"Retry-After": "0"}),
                             Reply(200, chat_completion({"events": []}))]) as srv:
            backend = OpenAICompatBackend(base_url=srv.base_url, ...)
    """

    def __init__(self, replies: list[Reply] | None = None, default: Reply | None = None,
                 get: Reply | None = None):
        self.replies: deque[Reply] = deque(replies or [])
        self.default = default
        self.get = get  # the answer to every GET (default: a model list)
        self.gets = 0
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.gets += 1
                self._send(server.get or Reply(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]}))

            def do_POST(self) -> None:
                n = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(n) or b"{}")
                with server._lock:
                    server.requests.append({"path": self.path, "body": body,
                                            "authorization": self.headers.get("authorization")})
                    reply = server.replies.popleft() if server.replies else server.default
                self._send(reply or Reply(500, {"error": {"message": "script exhausted"}}))

            def _send(self, r: Reply) -> None:
                if r.delay_s:
                    time.sleep(r.delay_s)
                data = r.body if isinstance(r.body, bytes) else json.dumps(r.body).encode()
                self.send_response(r.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in (r.headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self._listen(Handler)
