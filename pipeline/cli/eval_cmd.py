"""`coopex eval`: score a prompt/schema/model version against gold records, gate it, compare two."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from pipeline.backends.factory import budget_for
from pipeline.cli.common import (
    EXIT_ARTICLE_FAILED,
    EXIT_OK,
    AppState,
    BaseUrlOpt,
    ModelOpt,
    ModeOpt,
    SchemaOpt,
    fail,
    settings_from,
    state,
    warn,
)
from pipeline.core.cache import ResultCache
from pipeline.core.config import DEFAULT_PROMPT, Settings, repo_root
from pipeline.core.errors import ConfigError, CoopexError
from pipeline.evaluation.evaluate import (
    HEADLINE,
    MERGE_PROMPT,
    RecordingCache,
    RecordingStore,
    ReplayOnlyBackend,
    aggregate_only,
    article_changes,
    baseline_from,
    gate,
    load_gold,
    merge_baseline_from,
    merge_gate,
    recordings_path,
    run_eval,
    run_merge_eval,
    safe_name,
    slot_diff,
)
from pipeline.evaluation.report_html import render
from pipeline.extract import Extractor, Params
from pipeline.methods.choose.rules import RULE_NAMES, RULES
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema

ROOT = repo_root()


def eval_command(
    ctx: typer.Context,
    prompt: str | None = typer.Option(None, "--prompt", help=f"Prompt version under prompts/ (default: {DEFAULT_PROMPT})."),
    corpus: Path = typer.Option(ROOT / "eval" / "corpus", "--corpus", help="Directory of articles."),
    gold: Path = typer.Option(ROOT / "eval" / "gold", "--gold", help="Directory of gold records (*.json, schema gold.v1); "
                              "only the corpus articles that have one are scored (e.g. `coopex review export`'s)."),
    replay: bool = typer.Option(False, "--replay", help="Use recorded model answers only; never run a model."),
    record: bool = typer.Option(False, "--record", help="Run the model (through the cache) and save its answers as recordings."),
    recordings: Path = typer.Option(ROOT / "eval" / "recordings", "--recordings", help="Where recordings are kept."),
    out: Path | None = typer.Option(None, "--out", help="JSON report (default: eval/reports/PROMPT__MODEL.json)."),
    html_out: Path | None = typer.Option(None, "--html", help="Also write an HTML review page here."),
    baseline: Path | None = typer.Option(None, "--gate", help="Fail (exit 1) if a headline figure falls below this baseline by more than its margin."),
    margin: float | None = typer.Option(None, "--margin", help="Margin for --gate (default: the baseline file's)."),
    update_baseline: Path | None = typer.Option(None, "--update-baseline", help="Write this run's scores as the new baseline file."),
    compare: tuple[str, str] | None = typer.Option(None, "--compare", help="Two reports (JSON files) or two prompt ids, side by side."),
    as_json: bool = typer.Option(False, "--json", help="Print the headline and slot scores as JSON."),
    base_url: str | None = BaseUrlOpt, model: str | None = ModelOpt, schema: str | None = SchemaOpt,
    mode: str | None = ModeOpt,
    without: list[str] = typer.Option([], "--without", help="Leave out a rule of the choose method (repeatable): "
                                      "an ablation; see `coopex eval --rules`."),
    ablation: bool = typer.Option(False, "--ablation", help="Score once per rule of the choose method with that rule "
                                  "left out (recorded answers only) and print what each rule adds."),
    list_rules: bool = typer.Option(False, "--rules", help="List the rules of the choose method and exit."),
    aggregate: bool = typer.Option(False, "--aggregate-only", help="Print and write aggregate figures only: no "
                                   "article's id or result (for a confirmation split, read only as a whole)."),
    merge_mode: bool = typer.Option(False, "--merge", help="Score `coopex merge` instead of extraction: extract every "
                                    "article --occasions lists, merge, and count pairs of articles merged together "
                                    "(pairwise precision and recall; no event gold needed). With --record, records "
                                    "the answers for such a set."),
    occasions: Path | None = typer.Option(None, "--occasions", help="With --merge: a tab-separated file with columns "
                                          "article_id and occasion_id (articles with one id report one occasion)."),
) -> None:
    """Extract the corpus and score it against the gold records.

    Prints a table and writes a JSON report (and an HTML page with --html).
    With --replay no model runs: the recorded answers under eval/recordings/
    are scored, as CI does. With --gate BASELINE the exit code is 1 when a
    headline figure fell below the baseline by more than the margin.
    """
    st = state(ctx)
    s = settings_from(st, base_url=base_url, model=model, schema_id=schema, mode=mode, prompt_id=prompt)
    try:
        s = s.validate()  # --model '' and the like: one line, exit 2
    except ConfigError as e:
        raise fail(st, str(e)) from e
    console = Console()
    if list_rules:
        _print_rules(console)
        raise typer.Exit(EXIT_OK)
    unknown = sorted(set(without) - set(RULE_NAMES))
    if unknown:
        raise fail(st, f"unknown rule(s) {', '.join(unknown)}; see `coopex eval --rules`")
    if merge_mode:
        if occasions is None:
            raise fail(st, "--merge needs --occasions FILE (tab-separated: article_id, occasion_id)")
        if ablation or compare or html_out:
            raise fail(st, "--merge does not combine with --ablation, --compare or --html")
        s = s.with_overrides(prompt_id=prompt or MERGE_PROMPT)
        _merge_eval(st, console, s, corpus, occasions, replay, record, recordings, out, as_json, baseline, margin,
                    update_baseline, frozenset(without))
    if occasions is not None:
        raise fail(st, "--occasions is for --merge")
    try:
        if ablation:
            _print_ablation(console, st, s, corpus, gold, recordings)
            raise typer.Exit(EXIT_OK)
        if compare:
            a, b = (_report_for(st, s, x, corpus, gold, replay, record, recordings, frozenset(without))
                    for x in compare)
            _print_compare(console, a, b)
            raise typer.Exit(EXIT_OK)
        report = _report_for(st, s, s.prompt_id, corpus, gold, replay, record, recordings, frozenset(without),
                             quiet=aggregate)
    except CoopexError as e:
        raise fail(st, str(e)) from e
    if aggregate:
        report = aggregate_only(report)
        html_out = None

    missing = report.get("missing_predictions") or []
    if isinstance(missing, int):  # --aggregate-only: a count, no ids
        warn(st, f"{missing} gold record(s) have no article in {corpus} and score as missed")
    elif missing:  # a gold record whose article is not in the corpus scores as every event missed
        warn(st, f"{len(missing)} gold record(s) have no article in {corpus} and score as missed: "
                 + ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else ""))
    out = out or ROOT / "eval" / "reports" / f"{safe_name(s.prompt_id)}__{safe_name(s.model_name)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report if aggregate else _shareable(report, corpus), ensure_ascii=False, indent=1))
    if html_out:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        html_out.write_text(render(report, load_gold(gold)), encoding="utf-8")
    if as_json:
        print(json.dumps({"headline": report["headline"], "ci95": report["ci95"], "slots": report["slots"],
                          "cost": report["cost"], "report": str(out)}, indent=2))
    else:
        _print_report(console, report)
        console.print(f"report: {out}" + (f" · page: {html_out}" if html_out else ""))
    if update_baseline:
        update_baseline.write_text(json.dumps(baseline_from(report, margin if margin is not None else 0.02), indent=2) + "\n")
        console.print(f"baseline written: {update_baseline}")
    if baseline:
        base = json.loads(baseline.read_text())
        _print_slot_diff(console, base, report)
        problems = gate(report, base, margin)
        if problems:
            for p in problems:
                st.err.print(f"[bold red]regression:[/] {p}", highlight=False)
            raise typer.Exit(EXIT_ARTICLE_FAILED)
        console.print("[green]gate passed[/]: no headline figure below the baseline by more than the margin")
    raise typer.Exit(EXIT_OK)


def _extractor_run(st: AppState, s: Settings, replay: bool, record: bool, recordings: Path,
                   run: Callable[[Extractor], dict[str, Any]], without: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``run`` with an extractor that answers from the recordings (--replay), or from the model
    through the cache, keeping its answers as recordings (--record)."""
    prompt = load_prompt(s.prompt_id)
    schema = load_schema(s.schema_id)
    store = RecordingStore(recordings_path(recordings, s.prompt_id, s.model_name), writable=record)
    cache = ResultCache(s.cache_dir) if s.use_cache and not replay else None
    if replay and not len(store):
        raise CoopexError(f"no recordings at {store.path}; record them with `coopex eval --record --prompt {s.prompt_id}`")
    factory = (lambda: nullcontext(ReplayOnlyBackend(s.model_name, s.mode))) if replay else (
        lambda: st.backend_factory(s, lambda m: st.err.print(f"[dim]{m}...[/]")))
    try:
        with factory() as backend:
            ex = Extractor(backend, prompt, schema, RecordingCache(store, cache),
                           Params(s.temperature, s.max_tokens, s.seed), without=without, budget=budget_for(s))
            report = run(ex)
    finally:
        if cache:
            cache.close()
    store.save()
    return report


def _merge_eval(st: AppState, console: Console, s: Settings, corpus: Path, occasions: Path, replay: bool,
                record: bool, recordings: Path, out: Path | None, as_json: bool, baseline: Path | None,
                margin: float | None, update_baseline: Path | None, without: frozenset[str] = frozenset()) -> None:
    try:
        report = _extractor_run(st, s, replay, record, recordings, lambda ex: run_merge_eval(
            ex, corpus, occasions, progress=lambda aid: st.err.print(f"[dim]extracted {aid}[/]")), without)
    except CoopexError as e:
        raise fail(st, str(e)) from e
    out = out or ROOT / "eval" / "reports" / f"merge__{safe_name(s.prompt_id)}__{safe_name(s.model_name)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(_shareable_merge(report, corpus), ensure_ascii=False, indent=1))
    m = report["merge"]
    say = st.err.print if as_json else console.print  # with --json, stdout holds only the JSON
    if as_json:
        print(json.dumps({"merge": m, "meta": report["meta"], "failures": report["failures"], "report": str(out)},
                         indent=2, ensure_ascii=False))
    else:
        meta = report["meta"]
        console.print(f"merge of {meta['articles']} articles ({meta['prompt_id']} · {meta['model']}): "
                      f"pairwise precision {m['precision']:.3f}, recall {m['recall']:.3f} "
                      f"({m['right']} right, {m['wrong']} wrong, {m['missed']} missed of {m['gold_pairs']})",
                      highlight=False)
        for kind in ("wrong", "missed"):
            for p in m[f"{kind}_pairs"]:
                console.print(f"{kind}: {p['a']} ({p['occasion_a']}) + {p['b']} ({p['occasion_b']})", highlight=False)
        for f in report["failures"]:
            console.print(f"[red]failure[/] {f['article_id']}: {f.get('message', '')[:200]}", highlight=False)
        console.print(f"report: {out}")
    if update_baseline:
        update_baseline.write_text(json.dumps(merge_baseline_from(report, margin if margin is not None else 0.02),
                                              indent=2) + "\n")
        say(f"baseline written: {update_baseline}")
    if baseline:
        problems = merge_gate(report, json.loads(baseline.read_text()), margin)
        if problems:
            for p in problems:
                st.err.print(f"[bold red]regression:[/] {p}", highlight=False)
            raise typer.Exit(EXIT_ARTICLE_FAILED)
        say("[green]gate passed[/]: merge precision and recall not below the baseline by more than the margin")
    raise typer.Exit(EXIT_OK)


def _shareable_merge(report: dict[str, Any], corpus: Path) -> dict[str, Any]:
    """The merge report as kept on disk: scores, the merged records' ids, sources and reasons;
    for a corpus outside the repository no summaries, quotes or titles (third-party text)."""
    inside = True
    try:
        corpus.resolve().relative_to(ROOT.resolve())
    except ValueError:
        inside = False
    merged = report["merged"]
    if not inside:
        merged = [{k: v for k, v in ev.items() if k not in ("summary", "evidence")}
                  | {"sources": [{k: v for k, v in src.items() if k != "title"} for src in ev.get("sources", [])]}
                  for ev in merged]
    return {"meta": report["meta"], "merge": report["merge"], "failures": report["failures"],
            "cost": report["cost"], "merged": merged}


def _report_for(st: AppState, s: Settings, which: str, corpus: Path, gold: Path, replay: bool, record: bool,
                recordings: Path, without: frozenset[str] = frozenset(), quiet: bool = False) -> dict[str, Any]:
    if which.endswith(".json") and Path(which).is_file():
        loaded: dict[str, Any] = json.loads(Path(which).read_text())
        return loaded
    s = s.with_overrides(prompt_id=which)
    done = [0]

    def progress(aid: str) -> None:  # quiet: a count, never an article's id
        done[0] += 1
        st.err.print(f"[dim]scored {done[0] if quiet else aid}[/]")

    return _extractor_run(st, s, replay, record, recordings, lambda ex: run_eval(ex, corpus, gold, progress=progress),
                          without)


def _shareable(report: dict[str, Any], corpus: Path) -> dict[str, Any]:
    """The report without the articles' text. For a corpus kept outside the repository (third-party
    text, such as the development set) the records' evidence quotes and summaries are left out
    too: scores, ids and names stay."""
    out = {k: v for k, v in report.items() if k != "texts"}
    try:
        corpus.resolve().relative_to(ROOT.resolve())
        return out
    except ValueError:
        pass
    records = {}
    for aid, rec in report.get("records", {}).items():
        rec = dict(rec)
        if "events" in rec:
            rec["events"] = [{k: v for k, v in ev.items() if k not in ("evidence", "summary")} for ev in rec["events"]]
        if "provenance" in rec:
            rec["provenance"] = {k: v for k, v in rec["provenance"].items() if k != "input"}
            if "checks" in rec["provenance"]:  # a quote is the article's words: only whether it grounded stays
                rec["provenance"]["checks"] = [
                    {"rule": c["rule"], "target": c.get("target"), "party": c.get("party"),
                     "grounded": " grounded in sentence " in c.get("reason", "") or " is candidate " in c.get("reason", ""),
                     **({"follow_up": True} if c.get("follow_up") else {})}
                    if c.get("rule") == "quoted_parties" else c for c in rec["provenance"]["checks"]]
        records[aid] = rec
    out["records"] = records
    return out


def _print_rules(console: Console) -> None:
    t = Table(title="rules of the choose method, in the order they run")
    for c in ("rule", "stage", "what it does"):
        t.add_column(c)
    for r in RULES:
        t.add_row(r.name, r.stage, " ".join(r.doc.split()))
    console.print(t)


def _print_ablation(console: Console, st: AppState, s: Settings, corpus: Path, gold: Path, recordings: Path) -> None:
    """Each rule left out in turn, on recorded answers: what the full table scores minus what it scores without."""
    full = _report_for(st, s, s.prompt_id, corpus, gold, True, False, recordings)
    t = Table(title=f"ablation: {s.prompt_id} on {corpus} (Δ = with the rule − without it)")
    for c in ("rule", "stage", "event F1", "Δ event", "lenient", "Δ lenient", "strict", "Δ strict"):
        t.add_column(c)
    fh = full["headline"]
    t.add_row("(all rules)", "", _f(fh["event_f1"]), "", _f(fh["slot_f1_lenient"]), "", _f(fh["slot_f1_strict"]), "")
    for r in RULES:
        h = _report_for(st, s, s.prompt_id, corpus, gold, True, False, recordings, frozenset({r.name}))["headline"]
        t.add_row(r.name, r.stage, _f(h["event_f1"]), _delta(h["event_f1"], fh["event_f1"]),
                  _f(h["slot_f1_lenient"]), _delta(h["slot_f1_lenient"], fh["slot_f1_lenient"]),
                  _f(h["slot_f1_strict"]), _delta(h["slot_f1_strict"], fh["slot_f1_strict"]))
    console.print(t)


def _print_report(console: Console, r: dict[str, Any]) -> None:
    m = r["meta"]
    t = Table(title=f"{m['prompt_id']} · {m['schema_id']} · {m['model']} · {m['articles']} articles")
    for c in ("figure", "value", "95% interval"):
        t.add_column(c)
    for k in HEADLINE:
        ci = r["ci95"].get(k)
        t.add_row(k, _f(r["headline"][k]), f"{ci[0]:.3f}–{ci[1]:.3f}" if ci else "")
    t.add_row("event macro F1", _f(r["events"]["macro_f1"]), "")
    console.print(t)
    t = Table(title="slots (matched events)")
    for c in ("slot", "strict F1", "lenient P", "lenient R", "lenient F1"):
        t.add_column(c)
    for slot, le in r["slots"]["lenient"].items():
        t.add_row(slot, _f(r["slots"]["strict"][slot]["f1"]), _f(le["p"]), _f(le["r"]), _f(le["f1"]))
    console.print(t)
    t = Table(title="by language and event type")
    for c in ("group", "articles", "event F1", "slot F1 lenient"):
        t.add_column(c)
    for lang, v in r["by_language"].items():
        t.add_row(f"language {lang}", str(v["articles"]), _f(v["event_f1"]), _f(v["slot_f1_lenient"]))
    for ty, v in r["by_type"].items():
        t.add_row(f"type {ty}", "", _f(v["f1"]), "")
    console.print(t)
    c = r["cost"]
    console.print(f"cost: {c['prompt_tokens']} prompt + {c['completion_tokens']} completion tokens, "
                  f"{c['seconds_per_article']}s model time per article (median {c.get('seconds_median')}s, "
                  f"p95 {c.get('seconds_p95')}s; median answer {c.get('answer_tokens_median')} tokens)")
    o = r.get("outcomes")
    if o:
        def n(v: Any) -> int:
            return v if isinstance(v, int) else len(v)

        def ids(v: Any) -> str:
            return "" if isinstance(v, int) else str(v or "")

        console.print(f"no-event articles given events: {n(o['negatives_with_events'])} of {o['negatives']} "
                      f"{ids(o['negatives_with_events'])}; articles with events given none: "
                      f"{n(o['positives_with_none'])} of {o['positives']} {ids(o['positives_with_none'])}",
                      highlight=False)
    cand = r.get("candidates")
    if cand:
        console.print(f"candidate recall: {cand['recall']} ({cand['mean_candidates']} candidates per article)",
                      highlight=False)
    fu = r.get("follow_ups")
    if fu:
        console.print(f"follow-up questions: {fu['asked']} asked, {fu['answered']} answered with words, "
                      f"{fu['grounded']} grounded ({fu['new_parties']} parties no candidate stood for)",
                      highlight=False)
    if isinstance(r["failures"], int):
        if r["failures"]:
            console.print(f"[red]failures[/]: {r['failures']} articles", highlight=False)
        return
    for f in r["failures"]:
        console.print(f"[red]failure[/] {f['article_id']}: {f.get('message', '')[:200]}", highlight=False)


def _print_slot_diff(console: Console, base: dict[str, Any], r: dict[str, Any]) -> None:
    t = Table(title=f"against baseline ({base['prompt_id']} · {base['model']})")
    for c in ("figure", "baseline", "now", "Δ"):
        t.add_column(c)
    for k in HEADLINE:
        t.add_row(k, _f(base["headline"].get(k)), _f(r["headline"][k]), _delta(base["headline"].get(k), r["headline"][k]))
    for slot, b in base.get("slots_lenient", {}).items():
        now = r["slots"]["lenient"][slot]["f1"]
        t.add_row(f"slot {slot} (lenient)", _f(b), _f(now), _delta(b, now))
    console.print(t)


def _print_compare(console: Console, a: dict[str, Any], b: dict[str, Any]) -> None:
    na, nb = (f"{x['meta']['prompt_id']} · {x['meta']['model']}" for x in (a, b))
    t = Table(title=f"A = {na}   B = {nb}")
    for c in ("figure", "A", "B", "Δ (B − A)"):
        t.add_column(c)
    for k in HEADLINE:
        t.add_row(k, _f(a["headline"][k]), _f(b["headline"][k]), _delta(a["headline"][k], b["headline"][k]))
    for slot, x, y in slot_diff(a, b):
        t.add_row(f"slot {slot} (lenient)", _f(x), _f(y), _delta(x, y))
    for k in ("prompt_tokens", "completion_tokens", "seconds_per_article"):
        t.add_row(f"cost {k}", _f(a["cost"][k]), _f(b["cost"][k]), _delta(a["cost"][k], b["cost"][k]))
    console.print(t)
    ch = article_changes(a, b)
    console.print(f"better in B: {', '.join(ch['better']) or 'none'}")
    console.print(f"worse in B: {', '.join(ch['worse']) or 'none'}")


def _f(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def _delta(a: Any, b: Any) -> str:
    if a is None or b is None:
        return ""
    d = b - a
    color = "green" if d > 0 else "red" if d < 0 else "dim"
    return f"[{color}]{d:+.3f}[/]" if isinstance(d, float) else f"[{color}]{d:+d}[/]"
