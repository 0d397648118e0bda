"""Candidate recall of a finder set, with no model: how many gold parties (and amounts and
dates) the analysis offers the model to choose from, by party kind and by language.

    .venv/bin/python scripts/candidates.py --finders 2 dev check
    .venv/bin/python scripts/candidates.py --finders 2 --missed dev   # the dev set's misses

The confirmation split (``check``) prints aggregate figures only, whatever is asked: never an
article's id, a missed name or a candidate.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.analyse import analyse
from pipeline.evaluation.evaluate import candidate_recall, load_gold
from pipeline.ingest.articles import Article, iter_inputs

ROOT = Path(__file__).resolve().parent.parent
SETS = {"corpus": (ROOT / "eval/corpus", ROOT / "eval/gold"),
        "dev": (ROOT.parent / "shared/dev/articles", ROOT.parent / "shared/dev/gold"),
        "check": (ROOT.parent / "shared/check/articles", ROOT.parent / "shared/check/gold")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+", choices=sorted(SETS))
    ap.add_argument("--finders", type=int, default=1)
    ap.add_argument("--splitter", type=int, default=2)
    ap.add_argument("--missed", action="store_true", help="list the misses (never for check)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    for name in args.sets:
        articles_dir, gold_dir = SETS[name]
        golds = load_gold(gold_dir)
        analyses = {it.id: analyse(it, args.splitter, args.finders)
                    for it in iter_inputs([articles_dir]) if isinstance(it, Article) and it.id in golds}
        report = candidate_recall(analyses, golds)
        missed = report.pop("missed")
        if args.json:
            print(json.dumps({"set": name, "finders": args.finders, **report}))
            continue
        c = report["counts"]["parties"]
        print(f"{name} (finder set {args.finders}): parties {c['found']}/{c['gold']} = {report['recall']['parties']}, "
              f"amounts {report['recall'].get('amounts')}, dates {report['recall'].get('dates')}, "
              f"{report['mean_candidates']} candidates per article")
        print("   " + "  ".join(f"{k} {v['found']}/{v['gold']}" for k, v in report["parties_by"].items()))
        if args.missed and name != "check":
            for m in missed:
                print("   missed", m)


if __name__ == "__main__":
    main()
