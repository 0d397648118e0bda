"""Configuration is validated up front: a bad variable or option is one line and exit 2, never a
traceback; an endpoint that cannot be reached at all stops the run before any article is failed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.core.errors import ConfigError
from pipeline.testing import FakeBackend

from .conftest import fake_factory, one_line_error, write_articles

runner = CliRunner()


def env_for(tmp_path: Path, **kw: str) -> dict[str, str]:
    env = {k: "" for k in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "COOPEX_MODEL", "COOPEX_MODE", "COOPEX_PROMPT",
                           "COOPEX_TIMEOUT", "COOPEX_THREADS", "COOPEX_MODEL_DIR")}
    env["COOPEX_HOME"] = str(tmp_path / "home")
    env.update(kw)
    return env


@pytest.mark.parametrize("name,value,words", [
    ("COOPEX_TIMEOUT", "abc", "COOPEX_TIMEOUT must be a number"),
    ("COOPEX_TIMEOUT", "-1", "COOPEX_TIMEOUT must be a number of seconds above 0"),
    ("COOPEX_TIMEOUT", "0", "above 0"),
    ("COOPEX_TIMEOUT", "nan", "above 0"),
    ("COOPEX_TIMEOUT", "inf", "above 0"),
    ("COOPEX_THREADS", "many", "COOPEX_THREADS must be a whole number"),
    ("COOPEX_THREADS", "-3", "COOPEX_THREADS must be 0"),
    ("COOPEX_MODE", "xml", "unknown mode"),
    ("OPENAI_BASE_URL", "not a url", "not an http(s) URL"),
    ("OPENAI_BASE_URL", "http//127.0.0.1:8080/v1", "not an http(s) URL"),
    ("OPENAI_BASE_URL", "ftp://127.0.0.1/v1", "not an http(s) URL"),
    ("OPENAI_BASE_URL", "http://127.0.0.1:99999/v1", "not a valid URL"),
    ("OPENAI_BASE_URL", "http://[::1/v1", "not a valid URL"),
])
def test_a_bad_environment_variable_is_one_line_and_exit_2(tmp_path: Path, name: str, value: str, words: str) -> None:
    fake = FakeBackend(default={"events": []})
    art = write_articles(tmp_path / "in", 1) / "a0.txt"
    for args in (["extract", str(art)], ["batch", str(art.parent), "-o", str(tmp_path / "o.jsonl")]):
        r = runner.invoke(app, args, env=env_for(tmp_path, **{name: value}),
                          obj={"backend_factory": fake_factory(fake)})
        assert words in one_line_error(r)
    assert fake.requests == [] and not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("args,words", [
    (["--max-chars", "0"], "--max-chars must be at least 40"),
    (["--max-chars", "-5"], "--max-chars must be at least 40"),
    (["--max-tokens", "0"], "--max-tokens must be at least 1"),
    (["--mode", "yaml"], "unknown mode"),
    (["--base-url", "localhost:8080"], "not an http(s) URL"),
])
def test_a_bad_option_is_one_line_and_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    fake = FakeBackend(default={"events": []})
    settings = Settings(cache_dir=tmp_path / "cache", model_dir=tmp_path / "models", prompt_id="extract-v1")
    d = write_articles(tmp_path / "in", 2)
    r = runner.invoke(app, ["batch", str(d), "-o", str(tmp_path / "o.jsonl"), *args],
                      obj={"settings": settings, "backend_factory": fake_factory(fake)})
    assert words in one_line_error(r)
    assert fake.requests == [] and not (tmp_path / "o.jsonl").exists()


def test_settings_from_the_environment() -> None:
    s = Settings.from_env({"COOPEX_TIMEOUT": " 2.5 ", "COOPEX_THREADS": "3", "OPENAI_BASE_URL": " http://h:1/v1 ",
                           "COOPEX_HOME": "/tmp/x"})
    assert (s.timeout_s, s.n_threads, s.base_url) == (2.5, 3, "http://h:1/v1")
    assert Settings.from_env({"COOPEX_TIMEOUT": "", "COOPEX_MODE": ""}).mode == "tools"
    with pytest.raises(ConfigError, match="COOPEX_TIMEOUT"):
        Settings.from_env({"COOPEX_TIMEOUT": "1e999"})
    with pytest.raises(ConfigError, match="--max-chars"):
        Settings(max_chars=10).validate()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_endpoint_stops_the_run_before_any_article_is_failed(tmp_path: Path) -> None:
    settings = Settings(base_url=f"http://127.0.0.1:{closed_port()}/v1", model="m", prompt_id="extract-v1",
                        cache_dir=tmp_path / "cache", model_dir=tmp_path / "models", timeout_s=2,
                        transport_retries=1)
    d = write_articles(tmp_path / "in", 5)
    out = tmp_path / "o.jsonl"
    t0 = time.perf_counter()
    r = runner.invoke(app, ["batch", str(d), "-o", str(out), "--concurrency", "3"], obj={"settings": settings})
    elapsed = time.perf_counter() - t0
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and "cannot reach the endpoint" in r.stderr
    assert "no article was extracted" in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if "error" in ln.lower()]
    assert len(errors) == 1, r.stderr  # one line, not one per article
    assert not out.exists() or '"error"' not in out.read_text()  # no article marked failed
    assert elapsed < 15
    r = runner.invoke(app, ["extract", str(d / "a0.txt")], obj={"settings": settings})
    assert r.exit_code == 2 and "cannot reach the endpoint" in r.stderr


def test_a_run_served_from_the_cache_needs_no_endpoint(tmp_path: Path) -> None:
    """The endpoint is checked at the first request to it, so a warm cache still works offline."""
    from tests.support.faultserver import FaultServer

    d = write_articles(tmp_path / "in", 3)
    with FaultServer() as srv:
        settings = Settings(base_url=srv.base_url, model="m", prompt_id="extract-v1", cache_dir=tmp_path / "cache",
                            model_dir=tmp_path / "models", timeout_s=5)
        r = runner.invoke(app, ["batch", str(d), "-o", str(tmp_path / "a.jsonl")], obj={"settings": settings})
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["batch", str(d), "-o", str(tmp_path / "b.jsonl"), "--json"], obj={"settings": settings})
    assert r.exit_code == 0, r.output  # the server is gone, the cache answers
    assert '"cache_hits": 3' in r.stdout


def test_an_unparseable_endpoint_in_a_real_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COOPEX_"))}
    env.update(OPENAI_BASE_URL="htp:/nowhere", COOPEX_HOME=str(tmp_path / "home"))
    art = write_articles(tmp_path / "in", 1) / "a0.txt"
    p = subprocess.run([sys.executable, "-m", "pipeline.cli.main", "extract", str(art)], env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "OPENAI_BASE_URL" in p.stderr
