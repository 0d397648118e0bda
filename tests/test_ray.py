"""`coopex batch --ray` on a real local Ray against the fault-injecting server on 127.0.0.1.

One Ray session (4 logical CPUs, on loopback only) serves the whole module; a run
takes one or two workers. Each run pays Ray's worker start-up (about 10 s on 2
cores), so the tests are few and each checks several things.
"""

from __future__ import annotations

import faulthandler
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.backends.openai_compat import OpenAICompatBackend
from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.extract import Extractor
from pipeline.ingest.articles import iter_inputs
from pipeline.methods.prompts import load_prompt
from pipeline.run.batch import run_batch
from pipeline.run.ray_batch import LOOPBACK_ONLY, RayRunner, job_runtime_env, plan_inputs
from pipeline.schema import load_schema
from tests.support.faultserver import FaultServer

from .conftest import ARTICLE, mixed_corpus

os.environ.setdefault(*LOOPBACK_ONLY)  # before ray is imported: the test cluster listens on 127.0.0.1 only
ray = pytest.importorskip("ray")

ROOT = Path(__file__).resolve().parent.parent
TIMING = ("latency_s", "pipeline_s")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False, runtime_env=job_runtime_env())
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    """A Ray run that hangs ends the test process with a traceback instead of eating CI's time."""
    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def corpus(d: Path, n: int) -> Path:
    """The mixed corpus and a feed of two items and a broken line."""
    mixed_corpus(d, n)
    feed = [json.dumps({"id": f"feed-{i}", "text": f"Feed item {i}. {ARTICLE}", "date": "2026-01-0{i}"}) for i in (1, 2)]
    (d / "feed.jsonl").write_text("\n".join([*feed, "{not json"]) + "\n", "utf-8")
    return d


def settings(base_url: str, tmp_path: Path, **kw: Any) -> Settings:
    opts: dict[str, Any] = dict(base_url=base_url, api_key="sk-test", model="fault", prompt_id="extract-v1",
                                cache_dir=tmp_path / "cache", timeout_s=2.0)
    opts.update(kw)
    return Settings(**opts)


def ray_runner(s: Settings, **kw: Any) -> RayRunner:
    return RayRunner(s, load_prompt(s.prompt_id), load_schema(s.schema_id), address="local",
                     **{"workers": 2, "threads": 4, **kw})


def lines(p: Path) -> list[dict[str, Any]]:
    raw = p.read_bytes()
    assert raw.endswith(b"\n")  # no partial last line
    return [json.loads(x) for x in raw.decode("utf-8").splitlines()]


def once(recs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    ids = Counter(r["article_id"] for r in recs)
    assert set(ids.values()) == {1}, [k for k, v in ids.items() if v > 1]
    return {r["article_id"]: r for r in recs}


def untimed(rec: dict[str, Any]) -> dict[str, Any]:
    rec = json.loads(json.dumps(rec))
    for k in TIMING:
        rec.get("provenance", {}).pop(k, None)
    return rec


def one_transient_fault_each(body: dict[str, Any], attempt: int) -> str:
    """Every article's first request fails with a transient fault (which one depends on the article)."""
    if attempt > 1:
        return "ok"
    h = int(hashlib.sha256(json.dumps(body["messages"]).encode()).hexdigest(), 16)
    return ["429", "503", "reset", "truncated", "hang", "500"][h % 6]


def test_ray_output_equals_a_local_run_under_transient_faults_and_the_cache_spares_the_model(
        cluster: str, tmp_path: Path) -> None:
    d = corpus(tmp_path / "in", 40)
    n = 40 + 5  # the articles, empty, binary, two feed items and a bad feed line

    with FaultServer(choose=one_transient_fault_each, hang_s=4) as srv:  # a local run, as batch runs today
        backend = OpenAICompatBackend(base_url=srv.base_url, api_key="sk-test", model="fault", timeout_s=2.0,
                                      backoff_base_s=0.05, backoff_cap_s=0.1)
        local = run_batch(iter_inputs([d]), Extractor(backend, load_prompt("extract-v1"), load_schema("record.v1")),
                          tmp_path / "local.jsonl", concurrency=8)

    with FaultServer(choose=one_transient_fault_each, hang_s=4) as srv:  # the same script, through Ray
        r = ray_runner(settings(srv.base_url, tmp_path), workers=1, threads=8)
        remote = run_batch(plan_inputs([d], 60_000), None, tmp_path / "ray.jsonl", runner=r)
        faults = Counter(q["fault"] for q in srv.requests)

    assert all(faults[f] > 0 for f in ("429", "503", "reset", "truncated", "hang", "500")), faults
    a, b = once(lines(tmp_path / "local.jsonl")), once(lines(tmp_path / "ray.jsonl"))
    assert len(b) == n and set(a) == set(b)
    assert {k: untimed(v) for k, v in a.items()} == {k: untimed(v) for k, v in b.items()}  # same records, same ids
    assert sorted(k for k, v in b.items() if "error" in v) == ["binary", "empty", "feed:3"]  # transient faults retried
    assert (remote.total, remote.done, remote.failed, remote.events) == (local.total, local.done, local.failed, local.events)
    assert (remote.prompt_tokens, remote.completion_tokens) == (local.prompt_tokens, local.completion_tokens)
    assert r.stats["workers"] == 1 and r.stats["duplicates_dropped"] == 0

    # the workers imported the driver's own package (shipped by Ray), not another installed copy
    src = (ROOT / "pipeline" / "run" / "ray_batch.py").read_bytes()

    @ray.remote
    def worker_copy() -> bytes:
        import pipeline.run.ray_batch as m

        return Path(m.__file__).read_bytes()

    assert ray.get(worker_copy.remote()) == src

    # the same articles to a new output: every record from the workers' cache, no model call
    with FaultServer() as srv:
        again = run_batch(plan_inputs([d], 60_000), None, tmp_path / "again.jsonl",
                          runner=ray_runner(settings(srv.base_url, tmp_path), workers=1))
        assert srv.requests == []
    c = once(lines(tmp_path / "again.jsonl"))
    assert again.cache_hits == n - 3 and all(v["provenance"]["cached"] for k, v in c.items() if "error" not in v)
    assert {k: untimed(v) for k, v in c.items() if "error" not in v} == \
        {k: {**untimed(v), "provenance": {**untimed(v)["provenance"], "cached": True}} for k, v in b.items() if "error" not in v}


def _workers() -> list[int]:
    pids = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if b"MapBatches(ExtractWorker)" in (p / "cmdline").read_bytes():
                    pids.append(int(p.name))
            except OSError:
                continue
    return pids


def test_a_worker_killed_mid_run_is_replaced_and_an_interrupted_run_resumes(cluster: str, tmp_path: Path) -> None:
    d = corpus(tmp_path / "in", 80)
    n = 80 + 5
    out = tmp_path / "out.jsonl"
    killed: list[int] = []

    def kill_one_then_interrupt(s: Any, _rec: dict[str, Any]) -> None:
        if not killed and s.done + s.failed >= 12:
            pids = _workers()
            assert pids, "no worker process found"
            os.kill(pids[0], signal.SIGKILL)  # a worker dies mid-run
            killed.append(pids[0])
        if s.done + s.failed >= 50:
            raise KeyboardInterrupt  # as Ctrl-C reaches the driver

    with FaultServer(latency_s=0.3) as a, FaultServer(latency_s=0.3) as b:
        # two endpoints: the workers spread their requests over both
        s = settings(f"{a.base_url},{b.base_url}", tmp_path, use_cache=False)
        with pytest.raises(KeyboardInterrupt):
            run_batch(plan_inputs([d], 60_000), None, out, runner=ray_runner(s), progress=kill_one_then_interrupt)
        part = once(lines(out))  # whole lines only, each article once
        assert killed and 50 <= len(part) < n
        sent = len(a.requests) + len(b.requests)
        assert sent > len([k for k, v in part.items() if "error" not in v])  # the dead worker's batches went again
        assert min(len(a.requests), len(b.requests)) >= sent // 4  # to both endpoints

        resumed = run_batch(plan_inputs([d], 60_000), None, out, runner=ray_runner(s))

    assert resumed.skipped == len(part) and resumed.done + resumed.failed == n - len(part)
    recs = once(lines(out))
    assert len(recs) == n
    assert sorted(k for k, v in recs.items() if "error" in v) == ["binary", "empty", "feed:3"]
    schema, err_schema = load_schema("record.v1"), load_schema("error.v1")
    for rec in recs.values():
        (err_schema if "error" in rec else schema).validate(rec)


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli.main", *args], env=env, text=True, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def test_cli_joins_a_cluster_is_killed_then_resumes(cluster: str, tmp_path: Path) -> None:
    canary = "sk-coopex-ray-canary-51d2"
    d = corpus(tmp_path / "in", 60)
    n = 60 + 5
    out = tmp_path / "out.jsonl"
    with FaultServer(latency_s=0.25) as srv:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COOPEX_"))}
        env.update(OPENAI_API_KEY=canary, COOPEX_MODEL="fault", COOPEX_HOME=str(tmp_path / "home"),
                   COOPEX_TIMEOUT="5", COOPEX_RAY_ADDRESS=cluster)
        args = ["batch", str(d), "-o", str(out), "--base-url", srv.base_url, "--workers", "1", "-j", "4"]
        p = _cli(args, env)  # COOPEX_RAY_ADDRESS alone runs on the cluster
        deadline = time.time() + 120
        while time.time() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 10) \
                and p.poll() is None:
            time.sleep(0.1)
        os.killpg(p.pid, signal.SIGKILL)  # the driver dies: its workers go with it
        _, err1 = p.communicate()
        first = out.read_bytes().count(b"\n")
        assert 10 <= first < n, err1[-2000:]

        p2 = _cli([*args[:4], "--ray", cluster, *args[4:]], env)  # the same command, with --ray ADDRESS
        stdout, err = p2.communicate(timeout=150)
    assert p2.returncode == 1, err[-2000:]  # the empty, binary and bad-feed inputs are error records
    assert f"resuming: {first} of {n}" in err and "joining the Ray cluster" in err
    recs = once(lines(out))
    assert len(recs) == n
    assert "batch summary" in err and "articles" in err
    assert any(q["authorization"] == f"Bearer {canary}" for q in srv.requests)
    for f in list(tmp_path.rglob("*")) + list(Path(ray._private.worker._global_node.get_session_dir_path()).rglob("*")):
        if f.is_file() and f.stat().st_size < 50_000_000:
            assert canary.encode() not in f.read_bytes(), f
    assert canary not in stdout + err + err1


def test_cli_refuses_what_it_cannot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = corpus(tmp_path / "in", 1)
    out = str(tmp_path / "o.jsonl")
    cli = CliRunner()

    def run(args: list[str], **s: Any) -> Any:
        st = Settings(cache_dir=tmp_path / "cache", prompt_id="extract-v1", **s)
        return cli.invoke(app, ["batch", str(d), "-o", out, *args], obj={"settings": st})

    r = run(["--ray"])  # no endpoint: the embedded model is not spread over a cluster
    assert r.exit_code == 2 and "--base-url" in r.output
    r = run(["--ray=not an address"], base_url="http://127.0.0.1:9/v1")
    assert r.exit_code == 2 and "is not a Ray address" in r.output
    r = run(["--ray", "127.0.0.1:9"], base_url="http://127.0.0.1:9/v1")  # nothing listens there
    assert r.exit_code == 2 and "nothing answers there" in r.output
    r = run(["--workers", "2"], base_url="http://127.0.0.1:9/v1")
    assert r.exit_code == 2 and "--workers goes with --ray" in r.output
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    r = run(["--ray"], base_url="http://127.0.0.1:9/v1")
    assert r.exit_code == 2 and "pip install 'coopex[ray]'" in r.output
    r = run([], base_url="http://127.0.0.1:9/v1", ray_address="auto")  # COOPEX_RAY_ADDRESS alone asks for Ray too
    assert r.exit_code == 2 and "pip install 'coopex[ray]'" in r.output
    assert not Path(out).exists()
