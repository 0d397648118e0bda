"""Replay every recorded answer over every evaluation set and fingerprint the records.

A change meant to keep behaviour (a refactor) must give the same records from the same
recordings. `snapshot` writes one fingerprint per (prompt, set, article): the record's content
(events, error, language, ...) and its provenance apart, minus the provenance fields that name
versions of the code itself. `compare` lists what differs. For the confirmation split only
counts are printed, never an article's id.

    .venv/bin/python scripts/same_records.py snapshot /tmp/before.json
    .venv/bin/python scripts/same_records.py compare /tmp/before.json /tmp/after.json
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.backends.factory import budget_for
from pipeline.core.config import Settings
from pipeline.evaluation.evaluate import (
    EVAL_MAX_CHARS,
    RecordingCache,
    RecordingStore,
    ReplayOnlyBackend,
    extract_all,
    load_gold,
    load_occasions,
    recordings_path,
)
from pipeline.extract import Extractor, Params
from pipeline.ingest.articles import iter_inputs
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.views.merge import merge_records

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"
# set name -> (articles directory, file that lists the set's article ids, whether ids may be printed)
SETS = {
    "corpus": (ROOT / "eval" / "corpus", ROOT / "eval" / "gold", True),
    "dev": (SHARED / "dev" / "articles", SHARED / "dev" / "gold", True),
    "check": (SHARED / "check" / "articles", SHARED / "check" / "gold", False),
    "merge": (SHARED / "merge" / "articles", SHARED / "merge" / "occasions.tsv", True),
}
VERSION_FIELDS = {"lexicon_version", "data_version", "code_version", "pipeline_s"}  # and the time the code took


def _digest(x: Any) -> str:
    return hashlib.sha256(json.dumps(x, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def fingerprint(rec: dict[str, Any]) -> dict[str, str]:
    content = {k: v for k, v in rec.items() if k != "provenance"}
    prov = {k: v for k, v in rec.get("provenance", {}).items() if k not in VERSION_FIELDS}
    if isinstance(prov.get("analysis"), dict):  # the analysis's own record of the data's version
        prov["analysis"] = {k: v for k, v in prov["analysis"].items() if k not in VERSION_FIELDS}
    source = (prov.get("input") or {}).get("source")
    if isinstance(source, str) and source.startswith(str(ROOT)):  # the same file in another checkout
        prov["input"] = {**prov["input"], "source": Path(source).relative_to(ROOT).as_posix()}
    return {"content": _digest(content), "provenance": _digest(prov)}


def _ids(listing: Path) -> set[str]:
    return set(load_occasions(listing)) if listing.suffix == ".tsv" else set(load_gold(listing))


def snapshot(out: Path) -> None:
    schema = load_schema("record.v1")
    settings = Settings.from_env({})
    budget = budget_for(settings)  # as `coopex eval --replay` counts: the embedded model's tokenizer
    prints: dict[str, Any] = {}
    for rec_dir in sorted((ROOT / "eval" / "recordings").iterdir()):
        prompt_id = rec_dir.name
        store = RecordingStore(recordings_path(ROOT / "eval" / "recordings", prompt_id, MODEL), writable=False)
        if not len(store):
            continue
        prompt = load_prompt(prompt_id)
        for set_name, (articles, listing, _) in SETS.items():
            if not articles.exists():
                continue
            ids = _ids(listing)
            items = [it for it in iter_inputs([articles], EVAL_MAX_CHARS) if it.id in ids]
            ex = Extractor(ReplayOnlyBackend(MODEL, settings.mode), prompt, schema, RecordingCache(store, None),
                           Params(settings.temperature, settings.max_tokens, settings.seed), budget=budget)
            preds = extract_all(ex, items)
            answered = {aid: r for aid, r in preds.items() if "error" not in r}
            if not answered:
                continue  # this prompt was never recorded on this set
            prints[f"{prompt_id}/{set_name}"] = {aid: fingerprint(r) for aid, r in preds.items()}
            if set_name == "merge":
                merged = merge_records(preds[it.id] for it in items)
                prints[f"{prompt_id}/{set_name}/merged"] = {str(i): _digest(m) for i, m in enumerate(merged)}
            print(f"{prompt_id}/{set_name}: {len(preds)} records, {len(answered)} answered", file=sys.stderr)
    out.write_text(json.dumps(prints, indent=1, sort_keys=True))


def compare(a_path: Path, b_path: Path) -> int:
    a, b = json.loads(a_path.read_text()), json.loads(b_path.read_text())
    bad = 0
    for key in sorted(set(a) | set(b)):
        set_name = key.split("/")[1]
        show = SETS[set_name][2]
        x, y = a.get(key, {}), b.get(key, {})
        diff = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
        if diff:
            bad += len(diff)
            where = ", ".join(diff[:8]) if show else "ids not shown"
            print(f"DIFFERENT {key}: {len(diff)} of {len(x)} ({where})")
    total = sum(len(v) for v in a.values())
    print(f"{total} fingerprints compared; {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "snapshot":
        snapshot(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
