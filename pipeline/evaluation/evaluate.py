"""Prompt evaluation: extract a corpus (through the cache or recordings), score it against gold.

Recordings are the model's validated answers kept under
``eval/recordings/<prompt>/<model>.jsonl``, keyed exactly like the result cache
(no keys or secrets are stored), so CI can score a prompt without a model:
``--replay`` reads them; ``--record`` writes them from a live run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.backends.base import LLMRequest, LLMResult
from pipeline.core.cache import ResultCache, canonical_json
from pipeline.core.errors import ConfigError, ExtractionError
from pipeline.evaluation.candidate_recall import recall
from pipeline.evaluation.score import SLOTS, match_events, score_corpus
from pipeline.extract import Extractor
from pipeline.ingest.articles import Article, InputFailure, iter_inputs
from pipeline.run.batch import interruptible
from pipeline.schema import load_schema
from pipeline.views.merge import cluster, merge_records, pairwise_and_bcubed, refs_from_records

EVAL_MAX_CHARS = 10**7  # score every gold article, however long; batch limits do not apply
HEADLINE = ("event_f1", "slot_f1_lenient", "slot_f1_strict", "grounding_rate")


def safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s)


def recordings_path(root: Path, prompt_id: str, model: str) -> Path:
    return root / safe_name(prompt_id) / f"{safe_name(model)}.jsonl"


class RecordingStore:
    """Recorded answers in a JSONL file, with the result cache's get/set interface."""

    def __init__(self, path: Path, writable: bool = False):
        self.path = path
        self.writable = writable
        self._data: dict[str, dict[str, Any]] = {}
        if path.exists():
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                try:
                    row = json.loads(line)
                    self._data[row["key"]] = row
                except (ValueError, KeyError) as e:
                    raise ConfigError(f"{path}:{n}: unreadable recording ({e})") from e

    def get(self, key: str) -> dict[str, Any] | None:
        row = self._data.get(key)
        return None if row is None else {k: row[k] for k in ("data", "usage", "latency_s") if k in row}

    def set(self, key: str, value: dict[str, Any], article_id: str | None = None) -> None:
        if not self.writable:
            return
        self._data[key] = {"key": key, "article_id": article_id, **value}

    def save(self) -> None:
        if not self.writable:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        rows = sorted(self._data.values(), key=lambda r: (r.get("article_id") or "", r["key"]))
        self.path.write_text("".join(canonical_json(r) + "\n" for r in rows), encoding="utf-8")

    def __len__(self) -> int:
        return len(self._data)


class RecordingCache:
    """Reads the result cache first (if any), then the recordings; writes to both when recording."""

    def __init__(self, store: RecordingStore, cache: ResultCache | None = None):
        self.store = store
        self.cache = cache
        self.current_article: str | None = None

    def get(self, key: str) -> dict[str, Any] | None:
        hit = self.cache.get(key) if self.cache else None
        if hit is not None:
            self.store.set(key, hit, self.current_article)
            return hit
        return self.store.get(key)

    def set(self, key: str, value: dict[str, Any]) -> None:
        if self.cache:
            self.cache.set(key, value)
        self.store.set(key, value, self.current_article)


class ReplayOnlyBackend:
    """Stands in for a model when only recordings may answer."""

    kind = "replay"

    def __init__(self, model: str, mode: str):
        self.model = model
        self.mode = mode

    def extract(self, request: LLMRequest) -> LLMResult:
        raise ExtractionError(
            f"no recorded answer for this article with model {self.model!r} under this prompt and schema; "
            "record one with `coopex eval --record` (needs a model)"
        )


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    if not gold_dir.is_dir():
        raise ConfigError(f"no gold directory {gold_dir}")
    schema = load_schema("gold.v1")
    golds = {}
    for p in sorted(gold_dir.glob("*.json")):
        try:
            g = json.loads(p.read_text(encoding="utf-8"))
        except ValueError as e:
            raise ConfigError(f"{p}: not JSON ({e})") from e
        errs = schema.errors(g)
        if errs:
            raise ConfigError(f"{p}: does not match the gold schema: {errs[0]}")
        golds[g["article_id"]] = g
    if not golds:
        raise ConfigError(f"no gold records (*.json) in {gold_dir}")
    return golds


def extract_all(extractor: Extractor, items: list[Article | InputFailure],
                progress: Callable[[str], None] | None = None) -> dict[str, dict[str, Any]]:
    """Each item's record, in order; with recordings, each answer kept as it comes (an interrupted
    run loses nothing)."""
    preds: dict[str, dict[str, Any]] = {}
    rec_cache = extractor.cache if isinstance(extractor.cache, RecordingCache) else None
    for it in items:
        if rec_cache:
            rec_cache.current_article = it.id
        preds[it.id] = interruptible(extractor.run, it)
        if rec_cache:
            rec_cache.store.save()
        if progress:
            progress(it.id)
    return preds


def run_eval(extractor: Extractor, corpus_dir: Path, gold_dir: Path,
             progress: Callable[[str], None] | None = None, bootstrap_n: int = 1000) -> dict[str, Any]:
    golds = load_gold(gold_dir)
    items = [it for it in iter_inputs([corpus_dir], EVAL_MAX_CHARS) if it.id in golds]
    preds = extract_all(extractor, items, progress)
    texts = {it.id: it.text for it in items if isinstance(it, Article)}
    report = score_corpus(preds, golds, texts, bootstrap_n=bootstrap_n)
    usage = [p.get("provenance", {}) for p in preds.values()]
    report["meta"] = {
        "prompt_id": extractor.prompt.id, "prompt_sha256": extractor.prompt.sha256,
        "schema_id": extractor.schema.id, "model": extractor.backend.model, "mode": extractor.backend.mode,
        "corpus": str(corpus_dir), "gold": str(gold_dir), "articles": len(golds),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    n = max(len(usage), 1)
    seconds = [float(u.get("latency_s", 0) or 0) for u in usage]
    answers = [int(u.get("usage", {}).get("completion_tokens", 0)) for u in usage]
    report["cost"] = {
        "prompt_tokens": sum(u.get("usage", {}).get("prompt_tokens", 0) for u in usage),
        "completion_tokens": sum(answers),
        "model_seconds": round(sum(seconds), 2),
        "seconds_per_article": round(sum(seconds) / n, 2),
        "seconds_median": percentile(seconds, 50), "seconds_p95": percentile(seconds, 95),
        "answer_tokens_median": percentile([float(a) for a in answers], 50),
        "per_article": {aid: {"seconds": round(float(p.get("provenance", {}).get("latency_s", 0) or 0), 2),
                              "answer_tokens": int(p.get("provenance", {}).get("usage", {}).get("completion_tokens", 0))}
                        for aid, p in preds.items()},
    }
    report["outcomes"] = outcomes(preds, golds)
    analyses = {it.id: extractor.prepare(it).analysis for it in items if isinstance(it, Article)}
    if any(a is not None for a in analyses.values()):
        quoted = ({aid: quoted_parties(p) for aid, p in preds.items()}
                  if extractor.prompt.quotes or extractor.prompt.follow_up else {})
        report["candidates"] = candidate_recall({k: v for k, v in analyses.items() if v is not None}, golds, quoted)
    if extractor.prompt.follow_up:
        report["follow_ups"] = follow_up_counts(preds.values())
    clusters_file = gold_dir / "clusters" / "clusters.json"
    if clusters_file.exists():
        report["merge"] = merge_scores(preds, golds, json.loads(clusters_file.read_text("utf-8"))["clusters"])
    report["records"] = preds
    report["texts"] = texts
    missing = [it.id for it in items if isinstance(it, InputFailure)]
    if missing:
        report["unreadable"] = missing
    return report


def percentile(xs: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank) of xs, or None for no values."""
    if not xs:
        return None
    v = sorted(xs)
    k = max(0, min(len(v) - 1, int(-(-q * len(v) // 100)) - 1))
    return round(v[k], 2)


def outcomes(preds: dict[str, dict[str, Any]], golds: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Articles with no gold event that got events, and articles with gold events that got none."""
    def n_events(r: dict[str, Any] | None) -> int:
        return len(r.get("events", [])) if r and "error" not in r else 0

    negatives = [aid for aid, g in golds.items() if not g.get("events")]
    positives = [aid for aid, g in golds.items() if g.get("events")]
    false_events = sorted(aid for aid in negatives if n_events(preds.get(aid)))
    missed = sorted(aid for aid in positives if not n_events(preds.get(aid)))
    return {"negatives": len(negatives), "negatives_with_events": false_events,
            "positives": len(positives), "positives_with_none": missed}


def aggregate_only(report: dict[str, Any]) -> dict[str, Any]:
    """The report with aggregate figures only: no article's id, record, text or result. For a
    confirmation split, which is read as a whole and never article by article."""
    out = {k: v for k, v in report.items()
           if k not in ("records", "texts", "articles", "failures", "missing_predictions")}
    out["failures"] = len(report.get("failures", []))
    out["missing_predictions"] = len(report.get("missing_predictions", []))
    if "cost" in out:
        out["cost"] = {k: v for k, v in out["cost"].items() if k != "per_article"}
    if "outcomes" in out:
        out["outcomes"] = {k: len(v) if isinstance(v, list) else v for k, v in out["outcomes"].items()}
    if "candidates" in out:
        out["candidates"] = {k: v for k, v in out["candidates"].items() if k != "missed"}
    if "merge" in out:
        del out["merge"]
    out["aggregate_only"] = True
    return out


def quoted_parties(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The parties of a record that came from the model's quotes (the quote method, or a follow-up
    question): those the analysis offered no candidate for, as ``provenance.checks`` says (rule
    ``quoted_parties``)."""
    names = {c["party"] for c in (record.get("provenance") or {}).get("checks", [])
             if c.get("rule") == "quoted_parties" and c.get("party")}
    return [p for ev in record.get("events", []) for side in ("kz_parties", "cn_parties") for p in ev.get(side, [])
            if p.get("name") in names]


def follow_up_counts(records: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many follow-up questions were asked, answered with words, and grounded (a quote the rule
    ``quoted_parties`` took), and how many parties they added that no candidate stood for."""
    checks = [c for r in records for c in (r.get("provenance") or {}).get("checks", [])]
    quoted = [c for c in checks if c.get("rule") == "quoted_parties" and c.get("follow_up")]
    grounded = [c for c in quoted if " grounded in sentence " in c["reason"] or " is candidate " in c["reason"]]
    return {"asked": sum(c.get("rule") == "follow_up" for c in checks),
            "answered": sum(c.get("rule") == "follow_up" and bool(c.get("answered")) for c in checks),
            "grounded": len(grounded), "new_parties": sum(bool(c.get("party")) for c in grounded)}


def candidate_recall(analyses: dict[str, Any], golds: dict[str, dict[str, Any]],
                     quoted: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """How much of the gold the analysis offers the model (see pipeline.evaluation.candidate_recall)."""
    totals: dict[str, list[int]] = {}
    parties_by: dict[str, list[int]] = {}  # gold parties by their kind and by the article's language
    misses: list[str] = []
    for aid, analysis in sorted(analyses.items()):
        if aid not in golds:
            continue
        for kind, vals in recall(analysis, golds[aid], (quoted or {}).get(aid, [])).items():
            t = totals.setdefault(kind, [0, 0])
            for value, hit, party_kind in vals:
                t[0] += hit
                t[1] += 1
                if kind == "parties":
                    for group in (f"kind {party_kind or '?'}", f"language {golds[aid].get('language') or '?'}"):
                        g = parties_by.setdefault(group, [0, 0])
                        g[0] += hit
                        g[1] += 1
                if not hit:
                    misses.append(f"{aid}: {kind}: {value}")
    return {"recall": {k: round(h / n, 4) if n else None for k, (h, n) in totals.items()},
            "counts": {k: {"found": h, "gold": n} for k, (h, n) in totals.items()},
            "parties_by": {k: {"found": h, "gold": n} for k, (h, n) in sorted(parties_by.items())},
            "mean_candidates": round(sum(len(a.candidates) for a in analyses.values()) / max(len(analyses), 1), 2),
            "missed": misses}


# ---------------------------------------------------------------- cross-article merging


def merge_scores(preds: dict[str, dict[str, Any]], golds: dict[str, dict[str, Any]],
                 gold_clusters: list[list[str]]) -> dict[str, Any]:
    """`coopex merge` scored against gold clusters: on the gold events themselves (the merge
    step alone), and on the predicted events, each standing for the gold event it matched."""
    gold_ids = [f"{aid}#{i}" for aid, g in sorted(golds.items()) for i in range(len(g.get("events", [])))]
    listed = {x for c in gold_clusters for x in c}
    gold = [list(c) for c in gold_clusters] + [[x] for x in gold_ids if x not in listed]
    on_gold = [[r.id for r in c] for c in cluster(refs_from_records(golds.values()))]
    to_gold: dict[str, str] = {}
    for aid, g in golds.items():
        p = preds.get(aid)
        if p and "error" not in p:
            for i, j in match_events(p.get("events", []), g.get("events", [])):
                to_gold[f"{aid}#{i}"] = f"{aid}#{j}"
    on_pred = [[to_gold[r.id] for r in c if r.id in to_gold]
               for c in cluster(refs_from_records(p for p in preds.values() if "error" not in p))]
    return {"gold_events": pairwise_and_bcubed(on_gold, gold),
            "predicted_events": pairwise_and_bcubed([c for c in on_pred if c], gold),
            "gold_clusters": len(gold_clusters)}


# ---------------------------------------------------------------- baseline gate and comparison


def baseline_from(report: dict[str, Any], margin: float) -> dict[str, Any]:
    return {"prompt_id": report["meta"]["prompt_id"], "model": report["meta"]["model"],
            "schema_id": report["meta"]["schema_id"], "margin": margin,
            "headline": report["headline"],
            "slots_lenient": {s: report["slots"]["lenient"][s]["f1"] for s in SLOTS}}


def gate(report: dict[str, Any], baseline: dict[str, Any], margin: float | None = None) -> list[str]:
    """Headline figures that fell below the baseline by more than the margin."""
    m = baseline.get("margin", 0.02) if margin is None else margin
    out = []
    for k in HEADLINE:
        base, now = baseline["headline"].get(k), report["headline"].get(k)
        if base is None:
            continue
        if now is None or now < base - m:
            out.append(f"{k}: {now} < baseline {base} - margin {m}")
    return out


def slot_diff(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(slot, A's lenient F1, B's) for every slot."""
    return [(s, a["slots"]["lenient"][s]["f1"], b["slots"]["lenient"][s]["f1"]) for s in SLOTS]


def article_changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, list[str]]:
    av = {x["article_id"]: (x["event_f1"], x["slot_f1_lenient"] or 0.0) for x in a["articles"]}
    bv = {x["article_id"]: (x["event_f1"], x["slot_f1_lenient"] or 0.0) for x in b["articles"]}
    better, worse = [], []
    for aid in sorted(set(av) & set(bv)):
        if bv[aid] > av[aid]:
            better.append(aid)
        elif bv[aid] < av[aid]:
            worse.append(aid)
    return {"better": better, "worse": worse}


# ---------------------------------------------------------------- the merge set: occasions, not event gold


def load_occasions(path: Path) -> dict[str, str]:
    """article_id -> occasion_id from a tab-separated file with a header naming (at least) the
    columns ``article_id`` and ``occasion_id``: articles with one occasion id report one occasion."""
    if not path.is_file():
        raise ConfigError(f"no occasions file {path}")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        raise ConfigError(f"{path}: empty; expected a header with article_id and occasion_id")
    header = lines[0].split("\t")
    if "article_id" not in header or "occasion_id" not in header:
        raise ConfigError(f"{path}: the header must name the columns article_id and occasion_id (tab-separated)")
    ia, io = header.index("article_id"), header.index("occasion_id")
    out: dict[str, str] = {}
    for n, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) <= max(ia, io) or not cells[ia].strip() or not cells[io].strip():
            raise ConfigError(f"{path}:{n}: no article_id or occasion_id")
        aid = cells[ia].strip()
        if aid in out:
            raise ConfigError(f"{path}:{n}: article {aid} is listed twice")
        out[aid] = cells[io].strip()
    if not out:
        raise ConfigError(f"{path}: no articles listed")
    return out


def article_pairs(merged: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """Pairs of articles (sorted) whose events some merged record holds together."""
    out: set[tuple[str, str]] = set()
    for ev in merged:
        aids = sorted({s["article_id"] for s in ev.get("sources", [])})
        out |= {(a, b) for i, a in enumerate(aids) for b in aids[i + 1:]}
    return out


def merge_pair_scores(merged: list[dict[str, Any]], occasions: dict[str, str]) -> dict[str, Any]:
    """Pairwise precision and recall over articles: a pair of articles is merged when one merged
    record holds events of both; it is right when both report the same occasion."""
    aids = sorted(occasions)
    gold = {(a, b) for i, a in enumerate(aids) for b in aids[i + 1:] if occasions[a] == occasions[b]}
    pred = {p for p in article_pairs(merged) if p[0] in occasions and p[1] in occasions}
    right = pred & gold
    p = len(right) / len(pred) if pred else 1.0
    r = len(right) / len(gold) if gold else 1.0

    def listed(pairs: set[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"a": a, "b": b, "occasion_a": occasions[a], "occasion_b": occasions[b]} for a, b in sorted(pairs)]
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "right": len(right), "wrong": len(pred - gold), "missed": len(gold - pred), "gold_pairs": len(gold),
            "wrong_pairs": listed(pred - gold), "missed_pairs": listed(gold - pred),
            "articles": len(occasions), "occasions": len(set(occasions.values()))}


def run_merge_eval(extractor: Extractor, corpus_dir: Path, occasions_file: Path,
                   progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Extract every article the occasions file lists, merge the records, and score the merge
    pairwise over articles (no event gold needed)."""
    occasions = load_occasions(occasions_file)
    items = [it for it in iter_inputs([corpus_dir], EVAL_MAX_CHARS) if it.id in occasions]
    absent = sorted(set(occasions) - {it.id for it in items})
    if absent:
        raise ConfigError(f"{len(absent)} article(s) of {occasions_file} are not in {corpus_dir}: "
                          f"{', '.join(absent[:5])}")
    preds = extract_all(extractor, items, progress)
    merged = merge_records(preds[it.id] for it in items)
    usage = [p.get("provenance", {}) for p in preds.values()]
    seconds = [float(u.get("latency_s", 0) or 0) for u in usage]
    return {
        "meta": {"prompt_id": extractor.prompt.id, "prompt_sha256": extractor.prompt.sha256,
                 "schema_id": extractor.schema.id, "model": extractor.backend.model, "mode": extractor.backend.mode,
                 "corpus": str(corpus_dir), "occasions": str(occasions_file), "articles": len(items),
                 "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
        "merge": merge_pair_scores(merged, occasions),
        "failures": [{"article_id": aid, "message": (p.get("error") or {}).get("message", "")}
                     for aid, p in preds.items() if "error" in p],
        "cost": {"model_seconds": round(sum(seconds), 2), "seconds_median": percentile(seconds, 50)},
        "merged": merged,
        "records": preds,
    }


MERGE_HEADLINE = ("precision", "recall")
MERGE_PROMPT = "extract-v9"  # the merge set's recordings were made with it; --prompt chooses another


def merge_baseline_from(report: dict[str, Any], margin: float) -> dict[str, Any]:
    m = report["merge"]
    return {"prompt_id": report["meta"]["prompt_id"], "model": report["meta"]["model"], "margin": margin,
            "merge": {k: m[k] for k in MERGE_HEADLINE}}


def merge_gate(report: dict[str, Any], baseline: dict[str, Any], margin: float | None = None) -> list[str]:
    """Merge figures (precision, recall) that fell below the baseline by more than the margin."""
    m = baseline.get("margin", 0.02) if margin is None else margin
    out = []
    for k in MERGE_HEADLINE:
        base, now = baseline.get("merge", {}).get(k), report["merge"].get(k)
        if base is None:
            continue
        if now is None or now < base - m:
            out.append(f"merge {k}: {now} < baseline {base} - margin {m}")
    return out
