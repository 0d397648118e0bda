"""Benchmark: the five corpus articles with the embedded model, cold and with a warm cache.

Prints seconds and prompt/completion tokens per article, and the pipeline's own
overhead (everything outside the model call: ingest, prompt rendering, cache,
grounding, schema validation). Figures, not assertions.

    .venv/bin/python -m bench.embedded [--out bench/results/embedded.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from pipeline.backends.factory import open_backend
from pipeline.core.cache import ResultCache
from pipeline.core.config import Settings, repo_root
from pipeline.extract import Extractor, Params
from pipeline.ingest.articles import read_article
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=repo_root() / "eval" / "corpus")
    ap.add_argument("--prompt", default="extract-v1")
    ap.add_argument("--out", type=Path, default=repo_root() / "bench" / "results" / "embedded.json")
    args = ap.parse_args()

    # Always the embedded model, whatever endpoint the environment names.
    settings = replace(Settings.from_env(), base_url=None, api_key=None, model=None, prompt_id=args.prompt)
    files = sorted(args.corpus.glob("*.txt"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp, open_backend(settings, print) as backend:
        cache = ResultCache(Path(tmp) / "cache")
        ex = Extractor(backend, load_prompt(args.prompt), load_schema(settings.schema_id), cache,
                       Params(settings.temperature, settings.max_tokens, settings.seed))
        for phase in ("cold", "warm"):
            for f in files:
                t0 = time.perf_counter()
                art = read_article(f)
                t_ingest = time.perf_counter() - t0
                rec = ex.run(art)
                wall = time.perf_counter() - t0
                prov = rec.get("provenance", {})
                usage = prov.get("usage", {})
                model_s = 0.0 if prov.get("cached") else float(prov.get("latency_s", 0.0))
                rows.append({
                    "phase": phase, "article": f.stem, "language": art.language, "chars": len(art.text),
                    "seconds": round(wall, 3), "model_seconds": round(model_s, 3),
                    "overhead_ms": round((wall - model_s) * 1000, 2), "ingest_ms": round(t_ingest * 1000, 2),
                    "prompt_tokens": usage.get("prompt_tokens"), "completion_tokens": usage.get("completion_tokens"),
                    "events": len(rec.get("events", [])), "error": rec.get("error", {}).get("message"),
                })
                r = rows[-1]
                print(f"{phase:4} {r['article']:22} {r['language']} {r['seconds']:8.2f}s  model {r['model_seconds']:7.2f}s  "
                      f"overhead {r['overhead_ms']:7.2f} ms  tokens {r['prompt_tokens']}+{r['completion_tokens']}  "
                      f"events {r['events']}" + (f"  ERROR {r['error'][:80]}" if r["error"] else ""), flush=True)
        cache.close()
    cold = [r for r in rows if r["phase"] == "cold"]
    warm = [r for r in rows if r["phase"] == "warm"]
    summary = {
        "model": settings.model_name, "prompt": args.prompt, "articles": len(cold),
        "cold_mean_s": round(sum(r["seconds"] for r in cold) / len(cold), 2),
        "warm_mean_ms": round(sum(r["seconds"] for r in warm) / len(warm) * 1000, 2),
        "overhead_mean_ms": round(sum(r["overhead_ms"] for r in cold) / len(cold), 2),
        "peak_rss_client_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(summary, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
