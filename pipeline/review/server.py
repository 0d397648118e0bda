"""The review server: the page and its few JSON requests, on 127.0.0.1 only.

Every request must carry the run's token (a new one each run, in the address printed at start)
and name this server as its Host; every write must also come from this server's own page (its
Origin) as JSON. One page at a time may save: the first page to claim the review holds it while
it is open (it renews its claim every few seconds); another page is told so, and may take over.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pipeline.core.errors import CoopexError
from pipeline.grounding import locate
from pipeline.review.items import Item, marks, suggest_party
from pipeline.review.page import csp, render_page
from pipeline.review.store import ArticleState, DecisionError, ReviewFolder

LEASE_S = 15.0  # a page that has not renewed its claim for this long has gone away
MAX_BODY = 1 << 20


class ReviewServer:
    def __init__(self, review: ReviewFolder, items: list[Item], source_name: str, port: int = 0):
        self.review = review
        self.items = {it.article_id: it for it in items}
        self.order = [it.article_id for it in items]
        self.source_name = source_name
        self.token = secrets.token_urlsafe(24)
        self._marks: dict[str, list[dict[str, Any]]] = {}
        self._lease: tuple[str, float] | None = None
        self._lease_lock = threading.Lock()
        server = self

        class Handler(_Handler):
            owner = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/?token={self.token}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> threading.Thread:
        t = threading.Thread(target=self.serve_forever, daemon=True)
        t.start()
        return t

    def shutdown(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -------------------------------------------------------------- what the page asks for

    def queue(self) -> dict[str, Any]:
        out = []
        for aid in self.order:
            it, st = self.items[aid], self.review.states[aid]
            out.append({"article_id": aid, "title": it.title, "score": it.score, "reasons": it.reasons,
                        "done": st.done, "negative": st.negative, "has_text": it.text is not None})
        return {"items": out, "progress": self.review.progress()}

    def spans(self, it: Item, st: ArticleState) -> dict[str, list[dict[str, Any]]]:
        if it.text is None:
            return {}
        return {e.id: [locate(q, it.text).as_dict() for q in e.event.get("evidence") or []] for e in st.events}

    def article(self, aid: str) -> dict[str, Any]:
        it = self.items.get(aid)
        if it is None:
            raise DecisionError(f"no article {aid!r} in this review")
        if aid not in self._marks:
            self._marks[aid] = marks(it)
        st = self.review.states[aid]
        return {"article_id": aid, "title": it.title, "text": it.text, "text_problem": it.text_problem,
                "language": it.record.get("language"), "published": it.record.get("published"),
                "score": it.score, "reasons": it.reasons, "marks": self._marks[aid],
                "state": st.as_dict(), "spans": self.spans(it, st)}

    def claim(self, page: str, force: bool) -> bool:
        now = time.monotonic()
        with self._lease_lock:
            if self._lease and self._lease[0] != page and now - self._lease[1] < LEASE_S and not force:
                return False
            self._lease = (page, now)
            return True

    def release(self, page: Any) -> None:
        with self._lease_lock:
            if self._lease and self._lease[0] == page:
                self._lease = None

    def holds(self, page: Any) -> bool:
        with self._lease_lock:
            if not self._lease or self._lease[0] != page:
                return False
            self._lease = (page, time.monotonic())
            return True

    def decide(self, body: dict[str, Any]) -> dict[str, Any]:
        line, st = self.review.decide(body)
        it = self.items[line["article_id"]]
        return {"seq": line["seq"], "article_id": line["article_id"], "action": line["action"],
                "event": line.get("event"), "state": st.as_dict(), "spans": self.spans(it, st),
                "progress": self.review.progress()}


class _Handler(BaseHTTPRequestHandler):
    owner: ReviewServer
    server_version = "coopex-review"
    sys_version = ""

    def log_message(self, *a: Any) -> None:
        pass

    # -------------------------------------------------------------- replies

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _refuse(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    # -------------------------------------------------------------- checks

    def _host_ok(self) -> bool:
        return self.headers.get("Host") == f"127.0.0.1:{self.owner.port}"

    def _token_ok(self, given: str | None) -> bool:
        return isinstance(given, str) and secrets.compare_digest(given.encode(), self.owner.token.encode())

    # -------------------------------------------------------------- requests

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._refuse(403, "wrong Host: open the address coopex review printed")
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        if url.path == "/":
            if not self._token_ok((q.get("token") or [""])[0]):
                return self._send(403, b"open the address coopex review printed (it holds this run's token)\n",
                                  "text/plain; charset=utf-8")
            page = render_page(self.owner.token, self.owner.source_name).encode("utf-8")
            return self._send(200, page, "text/html; charset=utf-8",
                              {"Content-Security-Policy": csp() + "; frame-ancestors 'none'"})
        if url.path == "/favicon.ico":
            return self._send(404, b"", "text/plain")
        if not self._token_ok(self.headers.get("X-Coopex-Token")):
            return self._refuse(403, "this run's token is missing or wrong")
        try:
            if url.path == "/api/queue":
                return self._json(200, self.owner.queue())
            if url.path == "/api/article":
                return self._json(200, self.owner.article((q.get("id") or [""])[0]))
        except CoopexError as e:
            return self._refuse(404, str(e))
        return self._refuse(404, "no such request")

    def do_POST(self) -> None:
        if not self._host_ok():
            return self._refuse(403, "wrong Host: open the address coopex review printed")
        if self.headers.get("Origin") != self.owner.origin:
            return self._refuse(403, "writes are accepted only from this review's own page")
        if not self._token_ok(self.headers.get("X-Coopex-Token")):
            return self._refuse(403, "this run's token is missing or wrong")
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return self._refuse(415, "send JSON")
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = -1
        if not 0 <= n <= MAX_BODY:
            return self._refuse(413, "request too large")
        try:
            body = json.loads(self.rfile.read(n) or b"{}")
        except ValueError:
            return self._refuse(400, "not JSON")
        if not isinstance(body, dict):
            return self._refuse(400, "send a JSON object")
        path = urlsplit(self.path).path
        o = self.owner
        try:
            if path == "/api/claim":
                page = body.get("page")
                if not isinstance(page, str) or not page:
                    return self._refuse(400, "no page id")
                if not o.claim(page, bool(body.get("force"))):
                    return self._refuse(409, "this review is open in another page")
                return self._json(200, {"ok": True})
            if path == "/api/release":
                o.release(body.get("page"))
                return self._json(200, {"ok": True})
            if path == "/api/decide":
                if not o.holds(body.get("page")):
                    return self._refuse(409, "another page holds this review now: this page cannot save")
                return self._json(200, o.decide(body))
            if path == "/api/suggest":
                it = o.items.get(str(body.get("article_id")))
                if it is None:
                    return self._refuse(404, "no such article")
                start, end = body.get("start"), body.get("end")
                if not isinstance(start, int) or not isinstance(end, int):
                    return self._refuse(400, "start and end are character offsets")
                return self._json(200, suggest_party(it, start, end))
        except CoopexError as e:
            return self._refuse(400, str(e))
        except OSError as e:  # the decision could not be written: the page must not show it as saved
            return self._refuse(500, f"could not save the decision: {e}")
        return self._refuse(404, "no such request")
