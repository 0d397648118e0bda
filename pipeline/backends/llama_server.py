"""The embedded model's OpenAI-compatible server, built for answers that do not depend on history.

``python -m pipeline.backends.llama_server --model FILE --port N`` serves
``GET /v1/models`` and ``POST /v1/chat/completions`` (no streaming) on
127.0.0.1 over llama-cpp-python's ``Llama``, one request at a time.

Why not llama-cpp-python's own server: it reuses the longest token prefix
that the previous request happens to share with this one, so where the
prompt's evaluation is split, and with it the floating-point path, depends on
what ran before. The greedy answer to the same request could differ after a
different article. Here the prompt is cut at a fixed point, the start of the
last user turn (everything before it is the prompt version's fixed part):

- the fixed part is evaluated once from an empty context and its model state
  kept (a few per server, keyed by the tokens);
- every request restores that state and evaluates the rest from there, in
  batches of a fixed size, with a fixed thread count.

So an answer is a function of the request alone, on a given build; the build
itself is pinned to one instruction set by ``scripts/install.sh``.
"""

from __future__ import annotations

import argparse
import ctypes
import inspect
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_THREADS = 2  # fixed, not the machine's core count: see the module docstring
DEFAULT_BATCH = 512
PREFIX_STATES = 4  # prompt versions whose fixed part is kept in memory at once


def split_point(tokens: Sequence[int], turn_start: int | None) -> int:
    """Where the fixed part ends: the start of the last user turn (the turn before the
    assistant's), or 0 when the prompt has no such marker."""
    if turn_start is None:
        return 0
    starts = [i for i, t in enumerate(tokens) if t == turn_start]
    return starts[-2] if len(starts) >= 2 else 0


def make_llama(model_path: str, n_ctx: int, n_threads: int, n_batch: int) -> Any:
    import llama_cpp  # here: an optional extra, loaded in the server process only

    class PinnedLlama(llama_cpp.Llama):  # type: ignore[misc]
        """``Llama`` whose evaluation of a prompt starts from a kept state after its fixed part."""

        def __init__(self, *a: Any, **kw: Any) -> None:
            super().__init__(*a, **kw)
            self._states: OrderedDict[tuple[int, ...], Any] = OrderedDict()
            self._turn_start = self._special("<|im_start|>")

        def _special(self, piece: str) -> int | None:
            ids = self.tokenize(piece.encode(), add_bos=False, special=True)
            return ids[0] if len(ids) == 1 else None

        def _save(self) -> tuple[bytes, Any, int]:
            # The context's own state (the KV cache of the prefix) and the prefix's tokens; not
            # Llama.save_state, which also copies a logits buffer of hundreds of MB.
            size = llama_cpp.llama_state_get_size(self._ctx.ctx)
            buf = (ctypes.c_uint8 * int(size))()
            n = int(llama_cpp.llama_state_get_data(self._ctx.ctx, buf, size))
            return bytes(buf)[:n], self.input_ids[: self.n_tokens].copy(), self.n_tokens

        def _load(self, state: tuple[bytes, Any, int]) -> None:
            data, ids, n = state
            buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
            if llama_cpp.llama_state_set_data(self._ctx.ctx, buf, len(data)) != len(data):
                raise RuntimeError("the model state after the prompt's fixed part could not be restored")
            self.input_ids[:n] = ids
            self.n_tokens = n
            self._requires_eval = True

        def generate(self, tokens: Sequence[int], *a: Any, **kw: Any) -> Any:
            cut = split_point(tokens, self._turn_start)
            prefix = tuple(tokens[:cut])
            state = self._states.get(prefix)
            if state is None:
                self.reset()
                self._ctx.kv_cache_clear()
                if prefix:
                    self.eval(list(prefix))
                state = self._save()
                self._states[prefix] = state
                while len(self._states) > PREFIX_STATES:
                    self._states.popitem(last=False)
            else:
                self._states.move_to_end(prefix)
            self._load(state)
            # llama-cpp-python then reuses exactly the restored prefix and evaluates the rest.
            kw["reset"] = True
            return super().generate(tokens, *a, **kw)

    return PinnedLlama(model_path=model_path, n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads,
                       n_batch=n_batch, n_ubatch=n_batch, verbose=False)


_ACCEPTED: set[str] = set()


def completion_args(body: dict[str, Any], create: Any) -> dict[str, Any]:
    """The request's fields that ``create_chat_completion`` takes; streaming is refused."""
    global _ACCEPTED  # noqa: PLW0603 - a read-only memo of a signature
    if not _ACCEPTED:
        _ACCEPTED = set(inspect.signature(create).parameters) - {"self", "stream", "model"}
    return {k: v for k, v in body.items() if k in _ACCEPTED and v is not None}


def serve(llm: Any, alias: str, host: str, port: int) -> None:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: Any) -> None:
            pass

        def _send(self, code: int, obj: Any) -> None:
            data = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            if self.path.rstrip("/") in ("/v1/models", "/models"):
                self._send(200, {"object": "list", "data": [{"id": alias, "object": "model", "owned_by": "coopex"}]})
            else:
                self._send(404, {"error": {"message": f"no route {self.path}"}})

        def do_POST(self) -> None:  # noqa: N802
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                self._send(404, {"error": {"message": f"no route {self.path}"}})
                return
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                if body.get("stream"):
                    raise ValueError("streaming is not supported by the embedded server")
                args = completion_args(body, llm.create_chat_completion)
            except (ValueError, TypeError) as e:
                self._send(400, {"error": {"message": str(e)}})
                return
            try:
                with lock:
                    out = llm.create_chat_completion(**args)
            except ValueError as e:  # a request that cannot fit the context is the client's to fix: never retried
                code = 400 if "context window" in str(e) else 500
                self._send(code, {"error": {"message": f"{type(e).__name__}: {e}", "code": "context_length_exceeded"
                                            if code == 400 else None}})
                return
            except Exception as e:  # the model's error, reported to the client as a server error
                self._send(500, {"error": {"message": f"{type(e).__name__}: {e}"}})
                return
            out["model"] = alias
            self._send(200, out)

    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    httpd.serve_forever()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--model_alias", default="local")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--n_ctx", type=int, default=8192)
    ap.add_argument("--n_threads", type=int, default=DEFAULT_THREADS)
    ap.add_argument("--n_batch", type=int, default=DEFAULT_BATCH)
    a = ap.parse_args(argv)
    llm = make_llama(a.model, a.n_ctx, a.n_threads, a.n_batch)
    serve(llm, a.model_alias, a.host, a.port)


if __name__ == "__main__":
    main()
