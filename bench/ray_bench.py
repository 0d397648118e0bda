"""Benchmark: threaded local `batch` against `batch --ray`, on this machine, with the loopback fault server.

Figures, not assertions. The same articles (made from the corpus texts, as in
bench/load.py) go through both runners with the same number of requests in
flight, against one fault server in its own process that answers every request
after a fixed latency:

1. with the latency (default 0.5 s): wall time, start-up (from the start of the
   run to the first record written; for Ray this includes starting Ray and its
   workers), throughput after start-up, and the wall time per article Ray adds;
2. with no latency: what the pipeline itself costs, in CPU seconds per article
   over every process of the run (coopex, and for Ray its workers and Ray's own
   services; the fault server is left out), and the driver's own time per record.
   The same runs on 40 articles give the fixed part (for Ray: its services and
   the workers' start-up) apart from the cost per article.

    .venv/bin/python -m bench.ray_bench [--articles 1000] [--latency 0.5] [--workers 2] [--threads 8]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.load import make_corpus
from pipeline.backends.factory import open_backend
from pipeline.core.config import Settings, repo_root
from pipeline.extract import Extractor, Params
from pipeline.ingest.articles import iter_inputs
from pipeline.methods.prompts import load_prompt
from pipeline.run.batch import run_batch
from pipeline.run.ray_batch import RayRunner
from pipeline.schema import load_schema

SMALL = 40
PROMPT = "extract-v1"  # as bench/load.py: the full record shape, so grounding and validation have work


@contextmanager
def fault_server(latency: float) -> Iterator[tuple[str, int]]:
    """The fault server in a process of its own, so its threads take no time from the runner measured."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.Popen([sys.executable, "-m", "tests.support.faultserver", "--port", str(port), "--latency", str(latency)],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert p.stdout and "fault server on" in p.stdout.readline()
        yield f"http://127.0.0.1:{port}/v1", p.pid
    finally:
        p.terminate()
        p.wait(timeout=10)


class CpuMeter:
    """CPU seconds used by this process and every process under it (Ray's services and workers),
    but the fault server's: /proc sampled every 0.2 s, each process counted at its last sample."""

    def __init__(self, exclude: int) -> None:
        self.exclude = exclude
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuMeter:
        self._base = self._sample(record=False)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values()) - self._base

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def _sample(self, record: bool = True) -> float:
        tick = os.sysconf("SC_CLK_TCK")
        parent: dict[int, int] = {}
        used: dict[int, float] = {}
        for p in Path("/proc").iterdir():
            if not p.name.isdigit():
                continue
            try:
                fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(p.name)] = int(fields[1])
            used[int(p.name)] = (int(fields[11]) + int(fields[12])) / tick
        me = os.getpid()

        def mine(pid: int) -> bool:
            while pid > 1:
                if pid == self.exclude:
                    return False
                if pid == me:
                    return True
                pid = parent.get(pid, 0)
            return False

        ours = {pid: t for pid, t in used.items() if mine(pid)}
        if record:
            self.seen.update(ours)
        return ours.get(me, 0.0)  # the base: this process's CPU before the run


def settings(url: str, tmp: Path) -> Settings:
    return Settings(base_url=url, api_key="bench", model="bench", prompt_id=PROMPT, use_cache=False,
                    cache_dir=tmp / "cache", timeout_s=60.0)


class First:
    """Progress callback: when the first record was written."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.first: float | None = None

    def __call__(self, _s: Any, _rec: Any) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.t0


def local_run(corpus: Path, out: Path, s: Settings, inflight: int, server: int) -> dict[str, Any]:
    with CpuMeter(exclude=server) as meter:
        mark = First()
        with open_backend(s) as backend:
            ex = Extractor(backend, load_prompt(PROMPT), load_schema("record.v1"), None, Params(), False)
            summary = run_batch(iter_inputs([corpus]), ex, out, concurrency=inflight, progress=mark)
        total = time.perf_counter() - mark.t0
    return _row("local", summary, total, mark.first or 0.0, meter.seconds, {"concurrency": inflight})


def ray_run(corpus: Path, out: Path, s: Settings, workers: int, threads: int, server: int) -> dict[str, Any]:
    with CpuMeter(exclude=server) as meter:
        mark = First()
        r = RayRunner(s, load_prompt(PROMPT), load_schema("record.v1"), address="local", workers=workers,
                      threads=threads)
        summary = run_batch(r.plan([corpus]), None, out, runner=r, progress=mark)
        total = time.perf_counter() - mark.t0
    return _row("ray", summary, total, mark.first or 0.0, meter.seconds, dict(r.stats))


def _row(kind: str, summary: Any, total: float, first: float, cpu_s: float, extra: dict[str, Any]) -> dict[str, Any]:
    n = summary.done + summary.failed
    return {"runner": kind, "articles": n, "failed": summary.failed, "wall_s": round(total, 2),
            "startup_s": round(first, 2), "articles_per_s": round(n / total, 2),
            "after_startup_articles_per_s": round((n - 1) / max(total - first, 1e-9), 2),
            "cpu_s": round(cpu_s, 2), "cpu_ms_per_article": round(1000 * cpu_s / n, 2), **extra}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--latency", type=float, default=0.5, help="server latency per request (s)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="Ray workers (default: one per core)")
    ap.add_argument("--threads", type=int, default=8, help="requests in flight per Ray worker")
    ap.add_argument("--out", type=Path, default=repo_root() / "bench" / "results" / "ray.json")
    a = ap.parse_args()
    inflight = a.workers * a.threads
    result: dict[str, Any] = {"articles": a.articles, "latency_s": a.latency, "in_flight": inflight,
                              "cores": os.cpu_count(), "prompt": PROMPT,
                              "load_average_before": os.getloadavg()}  # the machine may be shared
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        corpus = make_corpus(tmp / "in", a.articles)
        small = make_corpus(tmp / "small", SMALL)  # the same runs on a few articles: the fixed part of the cost
        for label, latency, sets in (("latency", a.latency, [corpus]), ("zero_latency", 0.0, [small, corpus])):
            rows = []
            with fault_server(latency) as (url, server):
                s = settings(url, tmp)
                for c in sets:
                    rows.append(local_run(c, tmp / f"{label}-{c.name}-local.jsonl", s, inflight, server))
                    print(json.dumps(rows[-1]), flush=True)
                    rows.append(ray_run(c, tmp / f"{label}-{c.name}-ray.jsonl", s, a.workers, a.threads, server))
                    print(json.dumps(rows[-1]), flush=True)
            result[label] = rows
    lo, ry = result["latency"]
    zls, zrs, zl, zr = result["zero_latency"]
    n = a.articles

    def marginal(big: dict[str, Any], little: dict[str, Any]) -> tuple[float, float]:
        per = (big["cpu_s"] - little["cpu_s"]) / (big["articles"] - little["articles"])
        return round(1000 * per, 2), round(little["cpu_s"] - per * little["articles"], 2)

    (local_ms, local_fixed), (ray_ms, ray_fixed) = marginal(zl, zls), marginal(zr, zrs)
    result["summary"] = {
        "ideal_articles_per_s": round(inflight / a.latency, 2),
        "local_articles_per_s": lo["articles_per_s"], "ray_articles_per_s": ry["articles_per_s"],
        "ray_after_startup_articles_per_s": ry["after_startup_articles_per_s"],
        "local_startup_s": lo["startup_s"], "ray_startup_s": ry["startup_s"], "ray_ready_s": ry.get("ray_ready_s"),
        "ray_wall_ms_per_article_added": round(1000 * (ry["wall_s"] - lo["wall_s"]) / n, 2),
        "ray_wall_ms_per_article_added_after_startup":
            round(1000 * ((ry["wall_s"] - ry["startup_s"]) - (lo["wall_s"] - lo["startup_s"])) / n, 2),
        "cpu_ms_per_article_local": local_ms, "cpu_ms_per_article_ray": ray_ms,
        "ray_cpu_ms_per_article_added": round(ray_ms - local_ms, 2),
        "cpu_s_fixed_local": local_fixed, "cpu_s_fixed_ray": ray_fixed,
        "zero_latency_articles_per_s_local": zl["articles_per_s"], "zero_latency_articles_per_s_ray": zr["articles_per_s"],
        "driver_ms_per_record": zr.get("driver_ms_per_record"),
    }
    result["load_average_after"] = os.getloadavg()
    for k, v in result["summary"].items():
        print(f"{k}: {v}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written: {a.out}")


if __name__ == "__main__":
    main()
