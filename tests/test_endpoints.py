"""Endpoints given by address: dead or useless ones stop a run at once, and the secrets an
address holds are written nowhere. Real HTTP servers on 127.0.0.1; nothing leaves the machine."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.core.redact import install_log_redaction, redact, redact_url
from tests.support.scripted_server import Reply, ScriptedServer, chat_completion

from .conftest import write_articles

runner = CliRunner()
PASSWORD = "Pa55-w0rd-canary-4e1b"
QUERY_KEY = "qkey-canary-90d2"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def settings(tmp_path: Path, base_url: str) -> Settings:
    return Settings(base_url=base_url, model="m", prompt_id="extract-v1", cache_dir=tmp_path / "cache",
                    model_dir=tmp_path / "models", timeout_s=2, transport_retries=4)


class NoApi:
    """An HTTP server on 127.0.0.1 that answers every request with one status (404: a wrong path;
    501: http.server's own answer to a method it does not implement)."""

    def __init__(self, status: int):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_POST = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler if status != 501 else BaseHTTPRequestHandler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> NoApi:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------- dead and useless endpoints


def test_two_dead_endpoints_stop_the_run_at_once_with_exit_2(tmp_path: Path) -> None:
    urls = f"http://127.0.0.1:{closed_port()}/v1,http://127.0.0.1:{closed_port()}/v1"
    d = write_articles(tmp_path / "in", 5)
    out = tmp_path / "o.jsonl"
    t0 = time.perf_counter()
    r = runner.invoke(app, ["batch", str(d), "-o", str(out), "-j", "3"], obj={"settings": settings(tmp_path, urls)})
    elapsed = time.perf_counter() - t0
    assert r.exit_code == 2, r.output
    assert "none of the 2 endpoints can be used" in r.stderr and "Traceback" not in r.output
    assert not out.exists() or '"error"' not in out.read_text()  # no article marked failed
    assert elapsed < 15


def test_a_dead_endpoint_beside_a_live_one_is_left_out_with_a_warning(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{closed_port()}/v1"
    with ScriptedServer(default=Reply(200, chat_completion({"events": []}))) as live:
        d = write_articles(tmp_path / "in", 5)
        out = tmp_path / "o.jsonl"
        r = runner.invoke(app, ["batch", str(d), "-o", str(out), "-j", "2"],
                          obj={"settings": settings(tmp_path, f"{dead},{live.base_url}")})
    assert r.exit_code == 0, r.output
    assert "left out" in r.stderr and "cannot reach the endpoint" in r.stderr
    assert len(live.requests) == 5 and len(out.read_text().splitlines()) == 5


@pytest.mark.parametrize("status", [404, 501])
@pytest.mark.parametrize("pool", [False, True])
def test_an_endpoint_that_answers_404_or_501_to_everything_fails_fast_with_exit_2(
        tmp_path: Path, status: int, pool: bool) -> None:
    with NoApi(status) as a, NoApi(status) as b:
        url = f"{a.base_url},{b.base_url}" if pool else a.base_url
        d = write_articles(tmp_path / "in", 5)
        out = tmp_path / "o.jsonl"
        t0 = time.perf_counter()
        r = runner.invoke(app, ["batch", str(d), "-o", str(out)], obj={"settings": settings(tmp_path, url)})
        elapsed = time.perf_counter() - t0
    assert r.exit_code == 2, r.output
    assert "serves no OpenAI-compatible API" in r.stderr and f"answers {status}" in r.stderr
    assert not out.exists() or '"error"' not in out.read_text()
    assert elapsed < 10


def test_a_real_endpoint_that_refuses_an_empty_request_passes_the_check(tmp_path: Path) -> None:
    # a server without /models (404 there) that does serve chat completions is an endpoint
    with ScriptedServer([Reply(400, {"error": {"message": "messages is required"}})],
                        default=Reply(200, chat_completion({"events": []})), get=Reply(404, {})) as srv:
        d = write_articles(tmp_path / "in", 2)
        r = runner.invoke(app, ["batch", str(d), "-o", str(tmp_path / "o.jsonl")],
                          obj={"settings": settings(tmp_path, srv.base_url)})
    assert r.exit_code == 0, r.output
    assert srv.gets == 1 and srv.requests[0]["body"] == {} and len(srv.requests) == 3


# ---------------------------------------------------------------- credentials in an address


def test_redact_hides_user_information_and_query_values() -> None:
    assert redact_url(f"http://user:{PASSWORD}@host:8080/v1") == "http://***@host:8080/v1"
    assert redact_url(f"https://{PASSWORD}@host/v1?api-key={QUERY_KEY}&x=1&Signature=s#f") == \
        "https://***@host/v1?api-key=***&x=1&Signature=***#f"
    text = f"last (http://u:{PASSWORD}@127.0.0.1:9/v1?key={QUERY_KEY}): Connection refused; see https://a.example/doc."
    clean = redact(text)
    assert PASSWORD not in clean and QUERY_KEY not in clean
    assert "(http://***@127.0.0.1:9/v1?key=***):" in clean and "see https://a.example/doc." in clean
    assert redact("no address here") == "no address here"


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli.main", *args], env=env, text=True,
                          capture_output=True, timeout=120)


def test_credentials_in_base_url_are_written_nowhere(tmp_path: Path) -> None:
    """Error records, the summary, stderr, the cache and every file the runs wrote: no password,
    no query-string key, for one endpoint, a pool, and an unreachable one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COOPEX_"))}
    env.update(COOPEX_HOME=str(tmp_path / "home"), COOPEX_MODEL="m", COOPEX_PROMPT="extract-v1", COOPEX_TIMEOUT="2")
    d = write_articles(tmp_path / "in", 3)
    seen = ""
    failing = Reply(500, {"error": {"message": "down"}}, {"Retry-After": "0"})
    with ScriptedServer(default=failing) as a, ScriptedServer(default=failing) as b:
        def secret(url: str) -> str:
            return url.replace("http://", f"http://user:{PASSWORD}@") + f"?api-key={QUERY_KEY}"

        runs = [
            ["batch", str(d), "-o", str(tmp_path / "pool.jsonl"), "--base-url", secret(a.base_url),
             "--base-url", secret(b.base_url)],
            ["batch", str(d), "-o", str(tmp_path / "one.jsonl"), "--base-url", secret(a.base_url)],
            ["extract", str(d / "a0.txt"), "--json", "--base-url", secret(a.base_url)],
            ["batch", str(d), "-o", str(tmp_path / "dead.jsonl"),
             "--base-url", secret(f"http://127.0.0.1:{closed_port()}/v1")],
            ["extract", str(d / "a0.txt"), "--base-url", f"ftp://user:{PASSWORD}@host/v1"],
        ]
        codes = []
        for args in runs:
            p = _cli(args, env)
            codes.append(p.returncode)
            seen += p.stdout + p.stderr
    assert codes == [1, 1, 1, 2, 2], seen
    records = [json.loads(ln) for f in ("pool", "one") for ln in (tmp_path / f"{f}.jsonl").read_text().splitlines()]
    assert len(records) == 6 and all(r["error"]["stage"] == "llm" for r in records)
    assert any("***@127.0.0.1" in r["error"]["message"] for r in records)  # the pool names the endpoint, redacted
    assert "cannot reach the endpoint http://***@127.0.0.1" in seen and "api-key=***" in seen
    assert PASSWORD not in seen and QUERY_KEY not in seen
    for f in tmp_path.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert PASSWORD.encode() not in data and QUERY_KEY.encode() not in data, f


def test_log_lines_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    install_log_redaction()  # once is enough; twice changes nothing
    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info("HTTP Request: %s %s", "POST", f"http://u:{PASSWORD}@h/v1?key={QUERY_KEY}")
    assert "HTTP Request: POST http://***@h/v1?key=***" in caplog.text
    assert PASSWORD not in caplog.text and QUERY_KEY not in caplog.text
