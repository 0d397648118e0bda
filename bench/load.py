"""Benchmark: throughput, pipeline overhead and the warm cache, against the loopback fault server.

Figures, not assertions. Three measurements:

1. Throughput for concurrency 1, 2, 4, 8, 16, 32 against a server that answers
   every request after a fixed latency (default 0.5 s), as articles per second
   and as a share of the ideal N x the single-stream rate.
2. The pipeline's own cost per article (ingest, prompt, HTTP, parsing,
   grounding, schema validation, writing the output) with a zero-latency
   server, set against a real model call (bench/results/embedded.json).
3. A batch of 1,000 articles cold (a 1 s model call, concurrency 4), then the
   same batch again to a new output with the cache warm.

    .venv/bin/python -m bench.load [--latency 0.5] [--articles 1000] [--out bench/results/load.json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.backends.openai_compat import OpenAICompatBackend
from pipeline.core.cache import ResultCache
from pipeline.core.config import repo_root
from pipeline.extract import Extractor
from pipeline.ingest.articles import iter_inputs
from pipeline.methods.prompts import load_prompt
from pipeline.run.batch import run_batch
from pipeline.schema import load_schema
from tests.support.faultserver import FaultServer


def sample_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted((repo_root() / "eval" / "corpus").glob("*.txt"))]


def make_corpus(d: Path, n: int) -> Path:
    """n distinct articles made from the corpus texts (a numbered line keeps them apart)."""
    texts = sample_texts()
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (d / f"{i:05d}.txt").write_text(f"{texts[i % len(texts)]}\n\nBench copy {i}.\n", "utf-8")
    return d


def extractor(srv: FaultServer, cache: ResultCache | None = None) -> Extractor:
    backend = OpenAICompatBackend(base_url=srv.base_url, api_key="bench", model="bench", timeout_s=60,
                                  transport_retries=2, validation_retries=1)
    return Extractor(backend, load_prompt("extract-v1"), load_schema("record.v1"), cache)


def batch(corpus: Path, out: Path, ex: Extractor, concurrency: int) -> tuple[float, Any]:
    t0 = time.perf_counter()
    s = run_batch(iter_inputs([corpus]), ex, out, concurrency=concurrency)
    return time.perf_counter() - t0, s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=0.5, help="server latency per request (s)")
    ap.add_argument("--articles", type=int, default=1000, help="articles in the cache run")
    ap.add_argument("--call-latency", type=float, default=1.0, help="server latency in the cold run (s)")
    ap.add_argument("--cold-concurrency", type=int, default=4)
    ap.add_argument("--out", type=Path, default=repo_root() / "bench" / "results" / "load.json")
    a = ap.parse_args()
    result: dict[str, Any] = {"latency_s": a.latency}
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)

        # 1. throughput by concurrency
        rows = []
        with FaultServer(latency_s=a.latency) as srv:
            srv.keep_requests = False
            ex = extractor(srv)
            base_rate = None
            for c in (1, 2, 4, 8, 16, 32):
                n = max(16, 4 * c)
                corpus = make_corpus(tmp / f"tp{c}", n)
                secs, s = batch(corpus, tmp / f"tp{c}.jsonl", ex, c)
                rate = s.done / secs
                base_rate = base_rate or rate
                rows.append({"concurrency": c, "articles": n, "seconds": round(secs, 2),
                             "articles_per_s": round(rate, 2), "vs_ideal": round(rate / (base_rate * c), 3)})
                print(f"concurrency {c:>2}: {rate:6.2f} articles/s  ({rate / (base_rate * c):.0%} of {c} x single)")
        result["throughput"] = rows

        # 2. the pipeline's own cost with a zero-latency server
        with FaultServer(latency_s=0.0) as srv:
            srv.keep_requests = False
            corpus = make_corpus(tmp / "zero", 300)
            secs, s = batch(corpus, tmp / "zero.jsonl", extractor(srv), 1)
        per = secs / s.done
        emb = repo_root() / "bench" / "results" / "embedded.json"
        model_call = None
        if emb.exists():
            model_call = json.loads(emb.read_text())["summary"]["cold_mean_s"]
        result["overhead"] = {"articles": s.done, "ms_per_article": round(per * 1000, 2),
                              "model_call_s": model_call,
                              "share_of_model_call": round(per / model_call, 6) if model_call else None}
        print(f"pipeline cost with a zero-latency server: {per * 1000:.1f} ms per article"
              + (f" = {per / model_call:.3%} of a {model_call:.0f} s embedded model call" if model_call else ""))

        # 3. cold run, then warm-cache rerun of the same articles to a new output
        corpus = make_corpus(tmp / "many", a.articles)
        cache = ResultCache(tmp / "cache")
        with FaultServer(latency_s=a.call_latency) as srv:
            srv.keep_requests = False
            ex = extractor(srv, cache)
            cold, s1 = batch(corpus, tmp / "cold.jsonl", ex, a.cold_concurrency)
            warm, s2 = batch(corpus, tmp / "warm.jsonl", ex, 1)
            calls = sum(srv.counts.values())
        cache.close()
        result["cache"] = {"articles": a.articles, "cold_s": round(cold, 2), "cold_concurrency": a.cold_concurrency,
                           "call_latency_s": a.call_latency,
                           "warm_s": round(warm, 3), "warm_ms_per_article": round(warm / a.articles * 1000, 3),
                           "speedup": round(cold / warm, 1), "cache_hits": s2.cache_hits,
                           "model_calls": calls}
        print(f"{a.articles} articles: cold {cold:.1f} s ({a.call_latency} s calls, concurrency {a.cold_concurrency}), warm rerun {warm:.2f} s "
              f"({warm / a.articles * 1000:.2f} ms/article), {cold / warm:.0f}x faster; "
              f"{s2.cache_hits} cache hits, {calls} model calls in all")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written: {a.out}")


if __name__ == "__main__":
    main()
