"""The versions table: each prompt version on the development set and the confirmation split side by
side, with the gap, from the reports under eval/reports/dev/ and eval/reports/check/ (never typed).

    .venv/bin/python scripts/versions_table.py [--reports eval/reports]

A report is written by `coopex eval ... --out eval/reports/<set>/<prompt>__<model>.json`; the
confirmation split's with `--aggregate-only`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

SETS = ("dev", "check")


def _load(folder: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for p in sorted(folder.glob("*__*.json")):
        r = json.loads(p.read_text(encoding="utf-8"))
        if "headline" in r and "meta" in r:
            out[r["meta"]["prompt_id"]] = r
    return out


def _f(x: Any) -> str:
    return "–" if x is None else f"{x:.3f}"


def _langs(r: dict[str, Any]) -> str:
    by = r.get("by_language", {})
    return " / ".join(_f(by.get(k, {}).get("event_f1")) for k in ("kk", "ru", "en", "zh"))


def _outcomes(r: dict[str, Any]) -> tuple[str, str]:
    o = r.get("outcomes", {})

    def n(v: Any) -> int:
        return v if isinstance(v, int) else len(v or [])

    return (f"{n(o.get('negatives_with_events'))} of {o.get('negatives', '?')}",
            f"{n(o.get('positives_with_none'))} of {o.get('positives', '?')}")


def table(reports: Path) -> str:
    by_set = {s: _load(reports / s) for s in SETS}
    prompts = sorted(set(by_set["dev"]) | set(by_set["check"]), key=lambda p: (len(p), p))
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
            rows.append(f"| {p} | {s} ({r['meta']['articles']}) | {_f(h['event_f1'])} | {_f(h['slot_f1_lenient'])} "
                        f"| {_f(h['slot_f1_strict'])} | {_langs(r)} | {neg} | {pos} | {_f(recall)} "
                        f"| {cost.get('seconds_median')} / {cost.get('seconds_p95')} |")
        d, c = by_set["dev"].get(p), by_set["check"].get(p)
        if d and c:
            gap = {k: d["headline"][k] - c["headline"][k] for k in ("event_f1", "slot_f1_lenient", "slot_f1_strict")}
            rows.append(f"| {p} | gap (dev − check) | {gap['event_f1']:+.3f} | {gap['slot_f1_lenient']:+.3f} "
                        f"| {gap['slot_f1_strict']:+.3f} | | | | | |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "reports")
    print(table(ap.parse_args().reports))


if __name__ == "__main__":
    main()
