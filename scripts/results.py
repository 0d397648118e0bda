"""docs/results.md: every figure the documentation quotes, generated from the JSON reports (never typed).

    .venv/bin/python scripts/results.py            # writes docs/results.md
    .venv/bin/python scripts/results.py --out -    # prints it instead

It reads, all of them committed:
  eval/baseline*.json                     what the gates hold (the corpus, dev, check and merge sets)
  eval/reports/<prompt>__<model>.json     each prompt version on the five corpus articles
  eval/reports/dev/, eval/reports/check/  the development set and the confirmation split (check: aggregate-only)
  eval/reports/dev/*__cold-run*.json      cold runs of one version (model time)
  eval/reports/dev/*__ablation.txt        `coopex eval --ablation`'s table, as printed
  bench/results/*.json                    the benchmarks

Only aggregate figures are written: no article of the development set or of the confirmation split is named.
tests/test_results_doc.py fails when docs/results.md is not what this script writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETS = ("dev", "check")
LANGS = ("kk", "ru", "en", "zh")
SLOTS = ("type", "date", "location.country", "location.place", "kz_parties", "cn_parties", "sectors",
         "agreements", "projects", "money")


def _json(p: Path) -> Any:
    return json.loads(p.read_text(encoding="utf-8"))


def _f(x: Any) -> str:
    return "–" if x is None else f"{x:.3f}"


def _n(x: Any) -> str:
    return "–" if x is None else f"{x:,}"


def _day(r: dict[str, Any]) -> str:
    return str(r["meta"].get("created", ""))[:10] or "–"


def _version_key(p: str) -> tuple[int, str]:
    return (len(p), p)


def _reports(folder: Path) -> tuple[dict[str, dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """The folder's eval reports: the one per prompt named `<prompt>__<model>.json`, and the others (cold runs)."""
    main: dict[str, dict[str, Any]] = {}
    runs: list[tuple[str, dict[str, Any]]] = []
    for p in sorted(folder.glob("*__*.json")):
        r = _json(p)
        if "headline" not in r or "meta" not in r:
            continue
        prompt, _, tail = p.stem.partition("__")
        if tail == r["meta"].get("model") and prompt == r["meta"]["prompt_id"]:
            main[r["meta"]["prompt_id"]] = r
        else:
            runs.append((p.name, r))
    return main, runs


def _outcomes(r: dict[str, Any]) -> tuple[str, str]:
    o = r.get("outcomes", {})

    def n(v: Any) -> int:
        return v if isinstance(v, int) else len(v or [])

    return (f"{n(o.get('negatives_with_events'))} of {o.get('negatives', '?')}",
            f"{n(o.get('positives_with_none'))} of {o.get('positives', '?')}")


def _table(head: list[str], align: str, rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def versions_table(reports: Path) -> str:
    """Each prompt version on the development set and the confirmation split side by side, with the gap."""
    by_set = {s: _reports(reports / s)[0] for s in SETS}
    prompts = sorted(set(by_set["dev"]) | set(by_set["check"]), key=_version_key)
    head = ("| version | set | event F1 | lenient | strict | kk / ru / en / zh event F1 | no-event with events "
            "| events given none | party recall | median / p95 s |\n|---|---|---:|---:|---:|---|---:|---:|---:|---|")
    rows = [head]
    for p in prompts:
        for s in SETS:
            r = by_set[s].get(p)
            if r is None:
                continue
            h = r["headline"]
            neg, pos = _outcomes(r)
            cost = r.get("cost", {})
            recall = (r.get("candidates") or {}).get("recall", {}).get("parties")
            langs = " / ".join(_f(r.get("by_language", {}).get(k, {}).get("event_f1")) for k in LANGS)
            rows.append(f"| {p} | {s} ({r['meta']['articles']}) | {_f(h['event_f1'])} | {_f(h['slot_f1_lenient'])} "
                        f"| {_f(h['slot_f1_strict'])} | {langs} | {neg} | {pos} | {_f(recall)} "
                        f"| {cost.get('seconds_median')} / {cost.get('seconds_p95')} |")
        d, c = by_set["dev"].get(p), by_set["check"].get(p)
        if d and c:
            gap = {k: d["headline"][k] - c["headline"][k] for k in ("event_f1", "slot_f1_lenient", "slot_f1_strict")}
            rows.append(f"| {p} | gap (dev − check) | {gap['event_f1']:+.3f} | {gap['slot_f1_lenient']:+.3f} "
                        f"| {gap['slot_f1_strict']:+.3f} | | | | | |")
    return "\n".join(rows)


README_START = "<!-- versions table: written by scripts/results.py -->"
README_END = "<!-- end of versions table -->"


def side_by_side(reports: Path) -> str:
    """The README's table: each version with both sets recorded, the development set and the
    confirmation split in adjacent columns, and the gap in event F1."""
    by_set = {s: _reports(reports / s)[0] for s in SETS}
    rows = []
    for p in sorted(set(by_set["dev"]) & set(by_set["check"]), key=_version_key):
        d, c = by_set["dev"][p], by_set["check"][p]

        def pair(key: str, d: dict[str, Any] = d, c: dict[str, Any] = c) -> str:
            return f"{_f(d['headline'][key])} / {_f(c['headline'][key])}"

        def recall(r: dict[str, Any]) -> str:
            return _f((r.get("candidates") or {}).get("recall", {}).get("parties"))

        def time(r: dict[str, Any]) -> str:
            cost = r.get("cost", {})
            return f"{cost.get('seconds_median')} / {cost.get('seconds_p95')}"

        rows.append([p, pair("event_f1"), f"{d['headline']['event_f1'] - c['headline']['event_f1']:+.3f}",
                     pair("slot_f1_lenient"), pair("slot_f1_strict"), f"{recall(d)} / {recall(c)}",
                     f"{_outcomes(d)[0]} / {_outcomes(c)[0]}", time(d), time(c)])
    return _table(["version", "event F1 dev / check", "gap", "lenient dev / check", "strict dev / check",
                   "party recall dev / check", "no-event with events dev / check", "median / p95 s, dev",
                   "median / p95 s, check"], "lrrrrrrll", rows)


def readme(root: Path = ROOT) -> str:
    """README.md with its versions table rewritten from the reports."""
    text = (root / "README.md").read_text("utf-8")
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    return text[:start] + "\n" + side_by_side(root / "eval" / "reports") + "\n" + text[end:]


def _baselines(root: Path) -> str:
    names = {"baseline.json": "the corpus (5)", "baseline-dev.json": "the development set",
             "baseline-check.json": "the confirmation split (aggregate)"}
    rows = []
    for name, what in names.items():
        p = root / "eval" / name
        if p.exists():
            b = _json(p)
            h = b["headline"]
            rows.append([f"`eval/{name}`", what, b["prompt_id"], _f(h["event_f1"]), _f(h["slot_f1_lenient"]),
                         _f(h["slot_f1_strict"]), _f(h["grounding_rate"]), f"{b['margin']}"])
    out = [_table(["baseline", "set", "version", "event F1", "lenient", "strict", "grounding", "margin"],
                  "lllrrrrr", rows)]
    p = root / "eval" / "baseline-merge.json"
    if p.exists():
        b = _json(p)
        m = b["merge"]
        out.append("The merge gate (`coopex eval --merge` on the merge set, pairs of articles merged together):\n\n"
                   + _table(["baseline", "version", "pairwise precision", "pairwise recall", "margin"], "llrrr",
                            [["`eval/baseline-merge.json`", b["prompt_id"], _f(m["precision"]), _f(m["recall"]),
                              f"{b['margin']}"]]))
    return "\n\n".join(out)


def _corpus_versions(reports: Path, default: str) -> str:
    main, _ = _reports(reports)
    v1 = main.get("extract-v1", {}).get("cost", {}).get("seconds_per_article")
    rows = []
    for p in sorted(main, key=_version_key):
        r = main[p]
        h, c = r["headline"], r.get("cost", {})
        s = c.get("seconds_per_article")
        name = f"**{p}** (gated)" if p == default else p
        rows.append([name, _f(h["event_f1"]), _f(h["slot_f1_lenient"]), _f(h["slot_f1_strict"]),
                     _f(h["grounding_rate"]), "–" if s is None else f"{s:.1f}",
                     "–" if not (s and v1) else f"{s / v1:.2f}x",
                     f"{_n(c.get('prompt_tokens'))} + {_n(c.get('completion_tokens'))}", _day(r)])
    return _table(["version", "event F1", "lenient", "strict", "grounding", "model s/article", "vs v1 time",
                   "tokens (prompt + completion)", "report of"], "lrrrrrrrl", rows)


def _by_language(root: Path) -> str:
    sets = [("corpus", root / "eval" / "reports")] + [(s, root / "eval" / "reports" / s) for s in SETS]
    rows = []
    for name, folder in sets:
        main, _ = _reports(folder)
        for p in sorted(main, key=_version_key):
            by = main[p].get("by_language", {})
            cells = []
            for k in LANGS:
                x = by.get(k)
                cells.append("–" if not x else
                             f"{_f(x['event_f1'])} / {_f(x['slot_f1_lenient'])} ({x['articles']})")
            rows.append([p, name] + cells)
    return _table(["version", "set", "kk", "ru", "en", "zh"], "llllll", rows)


def _slots(root: Path, default: str) -> str:
    reps = []
    for name, folder in [("corpus", root / "eval" / "reports")] + [(s, root / "eval" / "reports" / s) for s in SETS]:
        r = _reports(folder)[0].get(default)
        if r is not None:
            reps.append((f"{name} ({r['meta']['articles']})", r))
    rows = []
    for slot in SLOTS:
        rows.append([slot] + [f"{_f(r['slots']['lenient'].get(slot, {}).get('f1'))} / "
                              f"{_f(r['slots']['strict'].get(slot, {}).get('f1'))}" for _, r in reps])
    for what in ("parties", "amounts", "dates"):
        rows.append([f"candidate recall: {what}"]
                    + [_f((r.get("candidates") or {}).get("recall", {}).get(what)) for _, r in reps])
    rows.append(["candidates per article"]
                + ["–" if (m := (r.get("candidates") or {}).get("mean_candidates")) is None else f"{m:.1f}"
                   for _, r in reps])
    for label, i in (("no-event articles given events", 0), ("articles with events given none", 1)):
        rows.append([label] + [_outcomes(r)[i] for _, r in reps])
    return _table(["slot F1, lenient / strict"] + [n for n, _ in reps], "l" + "r" * len(reps), rows)


def _cold_runs(root: Path) -> str:
    rows = []
    for s in SETS:
        for name, r in sorted(_reports(root / "eval" / "reports" / s)[1], key=lambda x: _version_key(x[0])):
            c = r.get("cost", {})
            rows.append([f"`eval/reports/{s}/{name}`", r["meta"]["prompt_id"], f"{s} ({r['meta']['articles']})",
                         f"{c.get('seconds_per_article')}", f"{c.get('seconds_median')}", f"{c.get('seconds_p95')}",
                         f"{c.get('answer_tokens_median')}", _f(r["headline"]["event_f1"]), _day(r)])
    if not rows:
        return "No cold-run report is committed."
    return _table(["report", "version", "set", "mean s/article", "median", "95th percentile",
                   "median answer tokens", "event F1 (scored then)", "run of"], "lllrrrrrl", rows)


def _ablation(root: Path) -> str:
    out = []
    for s in SETS:
        for p in sorted((root / "eval" / "reports" / s).glob("*__ablation.txt")):
            rows = []
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.startswith("│"):
                    cells = [c.strip() for c in line.strip("│").split("│")]
                    rows.append([f"`{cells[0]}`" if cells[1] else cells[0]] + cells[1:])
            out.append(f"`eval/reports/{s}/{p.name}` (Δ = with the rule minus without it, all other rules "
                       "in place):\n\n" + _table(["rule", "stage", "event F1", "Δ event", "lenient", "Δ lenient",
                                                 "strict", "Δ strict"], "llrrrrrr", rows))
    return "\n\n".join(out) or "No ablation table is committed."


def _bench(root: Path) -> str:
    res = root / "bench" / "results"
    out = []
    p = res / "embedded.json"
    if p.exists():
        b = _json(p)
        s = b["summary"]
        warm = {r["article"]: r for r in b["rows"] if r["phase"] == "warm"}
        rows = []
        for r in (r for r in b["rows"] if r["phase"] == "cold"):
            w = warm.get(r["article"], {})
            rows.append([r["article"], r["language"], f"{r['seconds']:.1f}",
                         f"{r['prompt_tokens']:,} + {r['completion_tokens']:,}",
                         "–" if not w else f"{w['overhead_ms']:.1f}", f"{r['overhead_ms']:.1f}"])
        out.append(f"**The embedded model** (`bench/results/embedded.json`, `python -m bench.embedded`): "
                   f"{s['model']}, prompt {s['prompt']}, {s['cpu_count']} cores, the {s['articles']} corpus "
                   f"articles cold (an empty cache), then again with the cache warm. Cold mean "
                   f"{s['cold_mean_s']} s per article; warm mean {s['warm_mean_ms']} ms; peak client RSS "
                   f"{s['peak_rss_client_mb']} MB.\n\n"
                   + _table(["article", "language", "cold: seconds", "prompt + completion tokens", "warm cache: ms",
                             "pipeline overhead, cold (ms)"], "llrrrr", rows))
    p = res / "load.json"
    if p.exists():
        b = _json(p)
        t = b["throughput"]
        o, c = b["overhead"], b["cache"]
        out.append(f"**Load** (`bench/results/load.json`, `python -m bench.load`): the fault server with no faults, "
                   f"{b['latency_s']} s per model call.\n\n"
                   + _table(["concurrency"] + [str(r["concurrency"]) for r in t], "l" + "r" * len(t),
                            [["articles/s"] + [f"{r['articles_per_s']:.2f}" for r in t],
                             ["share of N x the single-stream rate"] + [f"{r['vs_ideal']:.0%}" for r in t]])
                   + f"\n\n- The pipeline's own cost per article with a zero-latency server: {o['ms_per_article']} ms "
                     f"({o['articles']} articles), {o['share_of_model_call']:.2%} of a {o['model_call_s']} s model "
                     "call.\n"
                   f"- {c['articles']:,} articles cold ({c['call_latency_s']} s a model call, concurrency "
                   f"{c['cold_concurrency']}): {c['cold_s']} s; the same again with the cache warm: {c['warm_s']} s "
                   f"({c['warm_ms_per_article']} ms an article, {c['speedup']}x), {c['cache_hits']:,} cache hits.")
    p = res / "ray.json"
    if p.exists():
        b = _json(p)
        s = b["summary"]
        lat = {r["runner"]: r for r in b["latency"]}
        zero = {r["runner"]: r for r in b["zero_latency"] if r["articles"] == b["articles"]}
        lo, ra = lat.get("local", {}), lat.get("ray", {})
        rows = [
            ["wall time", f"{lo.get('wall_s')} s", f"{ra.get('wall_s')} s"],
            ["articles/s, whole run", f"{s['local_articles_per_s']}", f"{s['ray_articles_per_s']}"],
            ["articles/s after the first record", f"{lo.get('after_startup_articles_per_s')}",
             f"{s['ray_after_startup_articles_per_s']}"],
            ["start-up: run start to the first record", f"{s['local_startup_s']} s",
             f"{s['ray_startup_s']} s (Ray up in {s['ray_ready_s']} s)"],
            ["no latency: articles/s, whole run / after the first record",
             f"{zero.get('local', {}).get('articles_per_s')} / "
             f"{zero.get('local', {}).get('after_startup_articles_per_s')}",
             f"{zero.get('ray', {}).get('articles_per_s')} / {zero.get('ray', {}).get('after_startup_articles_per_s')}"],
            ["CPU per article, all processes", f"{s['cpu_ms_per_article_local']} ms", f"{s['cpu_ms_per_article_ray']} ms"],
            ["fixed CPU (services, start-up)", f"{s['cpu_s_fixed_local']} s", f"{s['cpu_s_fixed_ray']} s"],
            ["the driver's time per record", "", f"{s['driver_ms_per_record']} ms"],
        ]
        load = b.get("load_average_before") or []
        out.append(f"**`batch --ray` against a threaded local run** (`bench/results/ray.json`, "
                   f"`python -m bench.ray_bench`): {b['articles']:,} articles, {b['latency_s']} s per model call "
                   f"(ideal {s['ideal_articles_per_s']} articles/s), {b['in_flight']} requests in flight in both, "
                   f"prompt {b['prompt']}, {b['cores']} cores"
                   + (f" (load average {load[0]:.1f} before the run)" if load else "") + ".\n\n"
                   + _table([f"{b['articles']:,} articles", "local, threads",
                             f"`--ray`, {ra.get('workers')} workers x {ra.get('threads')}"], "lrr", rows))
    p = res / "length.json"
    if p.exists():
        b = _json(p)
        s = b["summary"]
        rows = [[r["article"], f"{r['chars']:,}", str(r["windows"]), f"{r['model_seconds']:.1f}", str(r["events"]),
                 r.get("error") or ""] for r in b["rows"]]
        lp = s.get("long_page") or {}
        an = s.get("analysis_seconds", {})
        out.append(f"**Long pages** (`bench/results/length.json`, `python -m bench.length`): prompt {s['prompt']}, "
                   f"the embedded model, no cache. The five corpus articles alone gave {s['alone_events']} events in "
                   f"{s['alone_model_seconds']} s of model time; the same five as one digest gave "
                   f"{s['digest_events']} in {s['digest_model_seconds']} s ({s['digest_time_ratio']}x; targets: at "
                   f"least 80 % of the events, at most 1.3x). A {lp.get('chars', 0):,}-character page: "
                   + ("completed" if lp and not lp.get("error") else "did not complete" if lp else "not run")
                   + f". The analysis alone: {an.get('30k_chars')} s for 30,000 characters, {an.get('60k_chars')} s "
                   "for 60,000.\n\n"
                   + _table(["input", "characters", "windows", "model s", "events", "error"], "lrrrrl", rows))
    return "\n\n".join(out) or "No benchmark result is committed."


def render(root: Path = ROOT) -> str:
    reports = root / "eval" / "reports"
    default = _json(root / "eval" / "baseline.json")["prompt_id"]
    parts = [
        "# Results",
        "Generated by `.venv/bin/python scripts/results.py` from the JSON reports under `eval/reports/`, the "
        "gates' baselines (`eval/baseline*.json`) and `bench/results/`; do not edit it by hand. "
        "`tests/test_results_doc.py` fails when this page is not what the script writes, so after writing a "
        "report, a baseline or a benchmark result, run the script and commit the page with it. The confirmation "
        "split appears in aggregate only. How the figures are made: [evaluation.md](evaluation.md); the "
        "benchmarks: [operations.md](operations.md#benchmarks).",
        "## What the gates hold",
        f"`scripts/test.sh` replays the recorded answers and fails when a headline figure falls below its baseline "
        f"by more than the margin. The gated version, {default}, is the default prompt.",
        _baselines(root),
        "## Slots of the gated version",
        f"{default}'s slot F1 (lenient / strict) on each set, what the analysis offers the model (candidate "
        "recall: the share of gold values among the candidates), and the articles it gets wrong as a whole.",
        _slots(root, default),
        "## Prompt versions on the corpus",
        "The five corpus articles, each version's recorded answers scored with the current pipeline "
        "(`coopex eval --replay --prompt V`; reports `eval/reports/<version>__<model>.json`). Model time is from "
        "the run that recorded the answers, on the machine of that day.",
        _corpus_versions(reports, default),
        "## The development set and the confirmation split",
        "Each version on the development set (`eval/reports/dev/`) and on the confirmation split "
        "(`eval/reports/check/`, aggregate-only), with the gap where both exist "
        "(also `.venv/bin/python scripts/versions_table.py`).",
        versions_table(reports),
        "## By language",
        "Event F1 / lenient slot F1 (articles) per language, each version and set.",
        _by_language(root),
        "## Model time: cold runs",
        "Runs from an empty cache with the embedded model (2 threads), each on the machine of that day: "
        "the spread between runs of the same tokens is the machines' speed.",
        _cold_runs(root),
        "## What each rule adds",
        _ablation(root),
        "## Benchmarks",
        _bench(root),
    ]
    return "\n\n".join(parts) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout (default: this one)")
    ap.add_argument("--out", default="docs/results.md", help="where to write, relative to --root; - prints it")
    a = ap.parse_args()
    text = render(a.root)
    if a.out == "-":
        sys.stdout.write(text)
        return
    out = a.root / a.out
    out.write_text(text, encoding="utf-8")
    (a.root / "README.md").write_text(readme(a.root), encoding="utf-8")
    print("wrote README.md's versions table")
    print(f"wrote {out.relative_to(a.root) if out.is_relative_to(a.root) else out}")


if __name__ == "__main__":
    main()
