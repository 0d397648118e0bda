"""Benchmark: long pages with the embedded model, cold (no cache).

1. The five corpus articles alone, then the same five one after another as one digest: events and
   model seconds of each, and the digest's time against the five's sum (target: at most 1.3x,
   at least 80 % of their events).
2. A page of about 60,000 characters (the corpus articles repeated): that it completes, its
   windows, its time, and the analysis's own time against a page half as long (linear: about 2x).

    .venv/bin/python -m bench.length [--prompt extract-v9] [--out bench/results/length.json]

Figures, not assertions. Run it alone: a timing taken while something else heavy runs is not a figure.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from pipeline.analyse import analyse
from pipeline.backends.factory import budget_for, open_backend
from pipeline.core.config import Settings, repo_root
from pipeline.extract import Extractor, Params
from pipeline.ingest.articles import Article, iter_inputs
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema

LONG_CHARS = 60_000


def _row(name: str, rec: dict, wall: float) -> dict:
    prov = rec.get("provenance", {})
    return {"article": name, "chars": None, "events": len(rec.get("events", [])),
            "model_seconds": round(float(prov.get("latency_s", 0.0)), 2), "wall_seconds": round(wall, 2),
            "windows": len((prov.get("windows") or {}).get("sentences", [])) or 1,
            "error": (rec.get("error") or {}).get("message")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=repo_root() / "eval" / "corpus")
    ap.add_argument("--prompt", default=None, help="prompt version (default: the default prompt)")
    ap.add_argument("--out", type=Path, default=repo_root() / "bench" / "results" / "length.json")
    ap.add_argument("--skip-long", action="store_true", help="only the digest")
    args = ap.parse_args()

    settings = replace(Settings.from_env(), base_url=None, api_key=None, model=None, use_cache=False)
    if args.prompt:
        settings = replace(settings, prompt_id=args.prompt)
    articles = sorted(iter_inputs([args.corpus], 10**6), key=lambda a: a.id)
    digest = Article(id="digest", text="\n\n".join(a.text for a in articles), language="kk",
                     published=next((a.published for a in articles if a.published), None))
    reps = LONG_CHARS // len(digest.text) + 1
    long_page = Article(id="long", text="\n\n".join([digest.text] * reps)[:LONG_CHARS], language="kk",
                        published=digest.published)
    rows = []
    with open_backend(settings, print) as backend:
        ex = Extractor(backend, load_prompt(settings.prompt_id), load_schema(settings.schema_id), None,
                       Params(settings.temperature, settings.max_tokens, settings.seed), budget=budget_for(settings))
        for art in [*articles, digest] + ([] if args.skip_long else [long_page]):
            t0 = time.perf_counter()
            rec = ex.run(art)
            r = _row(art.id, rec, time.perf_counter() - t0)
            r["chars"] = len(art.text)
            rows.append(r)
            print(f"{r['article']:22} {r['chars']:7} chars  windows {r['windows']:3}  model {r['model_seconds']:8.2f}s  "
                  f"events {r['events']}" + (f"  ERROR {r['error'][:100]}" if r["error"] else ""), flush=True)
    alone = rows[:len(articles)]
    dig = rows[len(articles)]
    prompt = load_prompt(settings.prompt_id)
    half = Article(id="half", text=long_page.text[:LONG_CHARS // 2], language="kk")
    analyse(articles[0], prompt.splitter, prompt.finders)  # the readers' models load once, before timing
    t0 = time.perf_counter()
    analyse(half, prompt.splitter, prompt.finders)
    t_half = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyse(long_page, prompt.splitter, prompt.finders)
    t_full = time.perf_counter() - t0
    summary = {
        "model": settings.model_name, "prompt": settings.prompt_id, "budget": budget_for(settings).describe(),
        "alone_events": sum(r["events"] for r in alone), "digest_events": dig["events"],
        "alone_model_seconds": round(sum(r["model_seconds"] for r in alone), 2),
        "digest_model_seconds": dig["model_seconds"],
        "digest_time_ratio": round(dig["model_seconds"] / max(sum(r["model_seconds"] for r in alone), 1e-9), 2),
        "long_page": rows[-1] if not args.skip_long else None,
        "analysis_seconds": {"30k_chars": round(t_half, 2), "60k_chars": round(t_full, 2)},
    }
    print(json.dumps(summary, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
