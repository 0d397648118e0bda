"""The command line, through typer's runner, on the scripted backend."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.core.errors import BackendError
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

from .conftest import CORPUS, event, fake_factory

runner = CliRunner()
ARTICLE = CORPUS / "001_be4784d53189d83b.txt"


def invoke(fake: FakeBackend, settings: Settings, args: list[str], input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, obj={"settings": settings, "backend_factory": fake_factory(fake)},
                         input=input)


def test_extract_json_prints_a_valid_record(fake: FakeBackend, settings: Settings) -> None:
    fake.enqueue({"events": [event(evidence=["Роман Скляр"])]})
    r = invoke(fake, settings, ["extract", str(ARTICLE), "--json"])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)
    load_schema("record.v1").validate(rec)
    assert rec["article_id"] == "001_be4784d53189d83b" and rec["language"] == "ru"


def test_extract_table_and_stdin(fake: FakeBackend, settings: Settings) -> None:
    fake.enqueue({"events": [event()]}, {"events": []})
    r = invoke(fake, settings, ["extract", str(ARTICLE)])
    assert r.exit_code == 0
    assert "Roman Sklyar" in r.stdout and "Wang Hao" in r.stdout and "1 event(s)" in r.stdout
    r = invoke(fake, settings, ["extract", "-", "--no-cache"], input=ARTICLE.read_bytes())
    assert r.exit_code == 0 and "No Kazakhstan–China cooperation event" in r.stdout


def test_extract_bad_input_and_missing_file(fake: FakeBackend, settings: Settings, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = invoke(fake, settings, ["extract", str(empty), "--json"])
    assert r.exit_code == 1
    assert json.loads(r.stdout)["error"]["stage"] == "ingest"
    r = invoke(fake, settings, ["extract", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_extract_endpoint_failure_exit_1(fake: FakeBackend, settings: Settings) -> None:
    fake.enqueue(BackendError("endpoint failed after 5 attempt(s): APIConnectionError"))
    r = invoke(fake, settings, ["extract", str(ARTICLE)])
    assert r.exit_code == 1 and "endpoint failed" in r.stderr


def test_unknown_prompt_is_a_usage_error(fake: FakeBackend, settings: Settings) -> None:
    r = invoke(fake, settings, ["extract", str(ARTICLE), "--prompt", "nope-v9"])
    assert r.exit_code == 2 and "unknown prompt" in r.stderr and "extract-v1" in r.stderr


def test_batch_over_the_corpus_then_resume(fake: FakeBackend, settings: Settings, tmp_path: Path) -> None:
    fake.default = {"events": [event()]}
    out = tmp_path / "events.jsonl"
    r = invoke(fake, settings, ["batch", str(CORPUS), "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["total"] == 5 and summary["done"] == 5 and summary["events"] == 5
    assert len(out.read_text().splitlines()) == 5
    r = invoke(fake, settings, ["batch", str(CORPUS), "-o", str(out), "--json"])
    summary = json.loads(r.stdout)
    assert summary["skipped"] == 5 and summary["done"] == 0
    assert len(fake.requests) == 5


def test_batch_cache_hits_on_a_new_output(fake: FakeBackend, settings: Settings, tmp_path: Path) -> None:
    fake.default = {"events": []}
    invoke(fake, settings, ["batch", str(CORPUS), "-o", str(tmp_path / "a.jsonl")])
    r = invoke(fake, settings, ["batch", str(CORPUS), "-o", str(tmp_path / "b.jsonl"), "--json"])
    assert json.loads(r.stdout)["cache_hits"] == 5
    assert len(fake.requests) == 5
    r = invoke(fake, settings, ["cache", "info"])
    assert json.loads(r.stdout)["entries"] == 5
    r = invoke(fake, settings, ["cache", "clear"])
    assert "removed 5" in r.stdout


def test_batch_with_failures_exits_1_and_reports(fake: FakeBackend, settings: Settings, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "bad.txt").write_bytes(b"\x00\x01" * 100)
    fake.default = {"events": []}
    r = invoke(fake, settings, ["batch", str(d), "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 1
    assert "bad" in r.stderr and "binary" in r.stderr


def test_batch_no_articles_and_help(fake: FakeBackend, settings: Settings, tmp_path: Path) -> None:
    r = invoke(fake, settings, ["batch", str(tmp_path), "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 2 and "no articles found" in r.stderr
    r = runner.invoke(app, ["batch", "--help"])
    assert r.exit_code == 0 and "resumes" in r.stdout


def test_model_info_without_model(settings: Settings, fake: FakeBackend) -> None:
    r = invoke(fake, settings, ["model", "info"])
    assert r.exit_code == 0 and json.loads(r.stdout)["verified"] is False


def test_extract_with_the_default_choose_prompt(fake: FakeBackend, tmp_path: Path) -> None:
    """The default prompt's answer is numbers: the record's names, English names and evidence come
    from the article."""
    from pipeline.core.config import DEFAULT_PROMPT

    settings = Settings(cache_dir=tmp_path / "cache", model_dir=tmp_path / "models")
    assert settings.prompt_id == DEFAULT_PROMPT
    fake.enqueue({"events": [{"sentences": [2], "type": "meeting", "kz": [1, 2, 3], "cn": [4, 5, 6, 7, 8],
                              "amounts": [], "document": "none", "status": "none"}]})
    r = invoke(fake, settings, ["extract", str(ARTICLE), "--json"])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)
    assert rec["provenance"]["prompt_id"] == DEFAULT_PROMPT and rec["provenance"]["grounding_rate"] == 1.0
    assert rec["provenance"]["analysis"]["candidates"] >= 5
    ev = rec["events"][0]
    assert ev["evidence"] and all(q in ARTICLE.read_text(encoding="utf-8") for q in ev["evidence"])
    assert ev["kz_parties"] and ev["cn_parties"]


def test_extract_with_the_compact_prompt(fake: FakeBackend, tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", model_dir=tmp_path / "models", prompt_id="extract-v8")
    fake.enqueue({"events": [{
        "sentences": [2], "type": "meeting", "date": None, "place": "Ханчжоу", "country": "CN",
        "kz": [{"name": "Роман Скляр", "en": "Roman Sklyar", "kind": "person", "title": "First Deputy Prime Minister"}],
        "cn": [{"name": "Ван Хао", "en": "Wang Hao", "kind": "person", "title": "Party Secretary"}],
        "docs": [], "projects": [], "sectors": ["machine_building"], "summary": "Talks."}]})
    r = invoke(fake, settings, ["extract", str(ARTICLE), "--json"])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)
    assert rec["provenance"]["prompt_id"] == "extract-v8" and rec["provenance"]["grounding_rate"] == 1.0
    ev = rec["events"][0]
    assert ev["location"]["place"] == "Hangzhou" and {p["name_en"] for p in ev["cn_parties"]} >= {"Wang Hao"}


# ---------------------------------------------------------------- extract's input, as a shell gives it


def _shell(cmd: str, tmp_path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``cmd`` in bash, with `coopex` the command line of this checkout and no endpoint set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COOPEX_"))}
    env["COOPEX_HOME"] = str(tmp_path / "home")
    coopex = f"{shlex.quote(sys.executable)} -m pipeline.cli.main"
    p = subprocess.Popen(["bash", "-c", f"coopex() {{ {coopex} \"$@\"; }}; {cmd}"], env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                         cwd=Path(__file__).resolve().parent.parent)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # the whole pipeline, not only bash
        out, err = p.communicate()
        raise AssertionError(f"{cmd!r} did not end within {timeout} s") from None
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def test_extract_with_standard_input_closed_says_so(tmp_path: Path) -> None:
    r = _shell("coopex extract - <&-", tmp_path)
    assert r.returncode == 2, r.stderr
    assert "standard input is closed" in r.stderr and "Traceback" not in r.stderr


def test_extract_stops_reading_an_endless_stream_and_says_so(tmp_path: Path) -> None:
    # no endpoint is contacted: the input fails before any request
    r = _shell("yes | coopex extract - --max-chars 1000 --json --base-url http://127.0.0.1:9/v1", tmp_path,
               timeout=60)
    assert r.returncode == 1, r.stderr
    err = json.loads(r.stdout)["error"]
    assert err["stage"] == "ingest" and "reading stopped" in err["message"] and "standard input" in err["message"]


def test_extract_reads_a_fifo_and_a_process_substitution_and_sends_a_folder_to_batch(
        fake: FakeBackend, settings: Settings, tmp_path: Path) -> None:
    fifo = tmp_path / "article.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(ARTICLE.read_bytes()), daemon=True)
    writer.start()
    fake.enqueue({"events": []})
    r = invoke(fake, settings, ["extract", str(fifo), "--json", "--no-cache"])
    writer.join(5)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["language"] == "ru" and len(fake.requests) == 1
    # <(cat file): a /dev/fd path, in a real shell (the article fails after reading: no endpoint)
    short = tmp_path / "short.txt"
    short.write_text("too short", "utf-8")
    r2 = _shell(f"coopex extract <(cat {shlex.quote(str(short))}) --json --base-url http://127.0.0.1:9/v1", tmp_path)
    assert r2.returncode == 1, r2.stderr
    assert "not an article" in json.loads(r2.stdout)["error"]["message"]
    r = invoke(fake, settings, ["extract", str(tmp_path)])
    assert r.exit_code == 2 and "is a folder" in r.stderr and "coopex batch" in r.stderr
    assert "no such file" not in r.stderr


# ---------------------------------------------------------------- minor refusals


def test_an_empty_model_name_is_refused(fake: FakeBackend, settings: Settings) -> None:
    r = invoke(fake, settings, ["extract", str(ARTICLE), "--model", ""])
    assert r.exit_code == 2 and "--model" in r.stderr and "must name a model" in r.stderr
    assert not fake.requests


def test_ray_with_a_bad_address_says_what_is_wrong_with_it(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE.read_text("utf-8"), "utf-8")
    inp, out = str(tmp_path / "in"), str(tmp_path / "o.jsonl")
    for args in (["batch", inp, "-o", out, "--ray", "notanaddress"], ["batch", "--ray", "notanaddress", inp, "-o", out]):
        r = runner.invoke(app, args, obj={"settings": settings.with_overrides(base_url="http://127.0.0.1:9/v1")})
        assert r.exit_code == 2, r.output
        assert "'notanaddress' is not a Ray address" in r.output and "no such file" not in r.output
    assert not (tmp_path / "o.jsonl").exists()


def test_a_refused_export_or_report_leaves_no_folder_behind(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not coopex records\n", "utf-8")
    for cmd in ("export", "report"):
        out = tmp_path / "new" / cmd
        r = runner.invoke(app, [cmd, str(notes), "-o", str(out)])
        assert r.exit_code == 2 and "not a JSON line" in r.output, r.output
        assert not out.exists() and not (tmp_path / "new").exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    r = runner.invoke(app, ["export", str(notes), "-o", str(kept)])
    assert r.exit_code == 2 and kept.is_dir()  # a folder that was there before stays


def test_eval_refuses_an_empty_model_name_too(settings: Settings) -> None:
    r = runner.invoke(app, ["eval", "--model", ""], obj={"settings": settings})
    assert r.exit_code == 2 and "must name a model" in r.output
