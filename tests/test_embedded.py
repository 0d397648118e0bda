"""The real embedded model, end to end (slow: run with `pytest -m embedded`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.schema import load_schema

from .conftest import CORPUS

pytestmark = pytest.mark.embedded


def test_extract_shortest_corpus_article_with_the_embedded_model(tmp_path: Path) -> None:
    article = min(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "COOPEX_MODEL")}
    env["COOPEX_HOME"] = str(tmp_path)  # a fresh result cache: the model must really run
    env["COOPEX_MODEL_DIR"] = os.environ.get("COOPEX_MODEL_DIR", str(Path.home() / ".cache" / "coopex" / "models"))
    before = _servers()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "extract", str(article), "--json", "--max-tokens", "1500"],
        capture_output=True, text=True, env=env, timeout=1500,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    record = json.loads(proc.stdout)
    if "error" in record:
        pytest.fail(f"the embedded model gave an error record: {record['error']}")
    load_schema("record.v1").validate(record)
    prov = record["provenance"]
    assert prov["backend"] == "embedded" and prov["cached"] is False
    assert prov["usage"]["prompt_tokens"] > 500 and prov["usage"]["completion_tokens"] > 0
    assert record["language"] == "kk"
    # the server was stopped on exit: no llama.cpp server left behind
    assert _servers() <= before


def _servers() -> set[str]:
    out = subprocess.run(["pgrep", "-f", "pipeline.backends.llama_server"], capture_output=True, text=True).stdout
    return set(out.split())



def _interactive_signals() -> None:
    """Ctrl-C as in a terminal, even when the tests themselves run as a background job
    (which starts every child with SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_batch(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, set[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "COOPEX_MODEL")}
    env["COOPEX_HOME"] = str(tmp_path)
    env["COOPEX_MODEL_DIR"] = os.environ.get("COOPEX_MODEL_DIR", str(Path.home() / ".cache" / "coopex" / "models"))
    out = tmp_path / "events.jsonl"
    before = _servers()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli.main", "batch", str(CORPUS), "-o", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_interactive_signals)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (_servers() - before):
        time.sleep(0.5)
    assert _servers() - before, "the embedded server did not start"
    return proc, out, before


def _gone(before: set[str], within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if _servers() <= before:
            return True
        time.sleep(0.5)
    return False


@pytest.mark.parametrize("sig,wait_s", [(signal.SIGINT, 3), (signal.SIGTERM, 3), (signal.SIGINT, 25)],
                         ids=["ctrl-c-while-loading", "sigterm-while-loading", "ctrl-c-mid-request"])
def test_interrupt_stops_the_embedded_server_and_leaves_whole_lines(tmp_path: Path, sig: int, wait_s: float) -> None:
    proc, out, before = _start_batch(tmp_path)
    time.sleep(wait_s)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-1500:]
    assert "run the same command to resume" in err
    assert _gone(before), "the embedded server outlived the interrupted run"
    data = out.read_bytes() if out.exists() else b""
    assert data == b"" or data.endswith(b"\n")


def test_kill_9_takes_the_embedded_server_with_it(tmp_path: Path) -> None:
    proc, _, before = _start_batch(tmp_path)
    time.sleep(3)
    proc.kill()
    proc.communicate(timeout=30)
    assert _gone(before), "a SIGKILLed run left its embedded server behind"


def test_same_answer_whatever_ran_before_and_as_recorded() -> None:
    """Reproducible inference: one article, then others, then the first again, through one live
    embedded server with no cache, give the same answer; and it is the answer recorded for
    the evaluation (made on another server process, after other articles)."""
    from pipeline.backends.factory import open_backend
    from pipeline.core.config import DEFAULT_SCHEMA, Settings
    from pipeline.evaluation.evaluate import RecordingStore, recordings_path
    from pipeline.extract import Extractor, Params
    from pipeline.ingest.articles import iter_inputs
    from pipeline.methods.prompts import load_prompt

    from .conftest import ROOT

    settings = Settings.from_env({k: v for k, v in os.environ.items()
                                  if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "COOPEX_MODEL")})
    settings = settings.with_overrides(use_cache=False)
    assert settings.embedded
    prompt = load_prompt(settings.prompt_id)
    articles = sorted(iter_inputs([CORPUS], 10**6), key=lambda a: len(a.text))[:3]
    first, second, third = articles
    store = RecordingStore(recordings_path(ROOT / "eval" / "recordings", prompt.id, settings.model_name))
    with open_backend(settings) as backend:
        ex = Extractor(backend, prompt, load_schema(DEFAULT_SCHEMA), None, Params(max_tokens=settings.max_tokens))

        def answer(a: object) -> dict[str, object]:
            question = ex.prepare(a).questions[0]  # type: ignore[arg-type]
            return ex.backend.extract(ex.request(question)).data

        a1 = answer(first)
        answer(second)
        answer(third)
        a2 = answer(first)
    assert a1 == a2, "the same article gave another answer after other articles"
    recorded = store.get(ex.key(first))  # type: ignore[arg-type]
    assert recorded is not None, "no recorded answer for this article under the default prompt"
    assert recorded["data"] == a1, "the live answer differs from the recorded one"


def test_a_digest_of_the_five_corpus_articles_yields_their_events() -> None:
    """A long page: the five corpus articles one after another, read in windows by the live embedded
    model, give at least 80 % of the events the five give alone (their recorded answers), with no
    error. The time against the five alone is a figure of bench/length.py, not asserted here."""
    from pipeline.backends.factory import budget_for, open_backend
    from pipeline.core.config import DEFAULT_SCHEMA, Settings
    from pipeline.evaluation.evaluate import RecordingCache, RecordingStore, ReplayOnlyBackend, recordings_path
    from pipeline.extract import Extractor, Params
    from pipeline.ingest.articles import Article, iter_inputs
    from pipeline.methods.prompts import load_prompt

    from .conftest import ROOT

    settings = Settings.from_env({k: v for k, v in os.environ.items()
                                  if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "COOPEX_MODEL")})
    settings = settings.with_overrides(use_cache=False)
    prompt = load_prompt(settings.prompt_id)
    schema = load_schema(DEFAULT_SCHEMA)
    params = Params(max_tokens=settings.max_tokens)
    articles = sorted(iter_inputs([CORPUS], 10**6), key=lambda a: a.id)
    store = RecordingStore(recordings_path(ROOT / "eval" / "recordings", prompt.id, settings.model_name))
    alone = Extractor(ReplayOnlyBackend(settings.model_name, settings.mode), prompt, schema,
                      RecordingCache(store), params, budget=budget_for(settings))
    alone_events = sum(len(alone.run(a).get("events", [])) for a in articles)
    digest = Article(id="digest", text="\n\n".join(a.text for a in articles), language="kk",
                     published=next(a.published for a in articles if a.published))
    with open_backend(settings) as backend:
        ex = Extractor(backend, prompt, schema, None, params, budget=budget_for(settings))
        record = ex.run(digest)
    assert "error" not in record, record.get("error")
    assert len(record["provenance"]["windows"]["sentences"]) > 1, "the digest was not read in windows"
    assert len(record["events"]) >= 0.8 * alone_events, (len(record["events"]), alone_events)
