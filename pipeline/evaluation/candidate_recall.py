"""Candidate recall: how much of the gold record the analysis offers the model to choose from
(with the quote method, the parties the model quoted count beside the candidates).

For each gold party (by the scorer's lenient name match), each gold amount (within the
scorer's tolerance) and each gold date, whether a candidate (or a found date) stands
for it. The model can only pick what is here, so this bounds what the choosing stage
can reach.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pipeline.analyse import Analysis
from pipeline.evaluation.score import AMOUNT_TOLERANCE, NAME_THRESHOLD, name_sim


def recall(analysis: Analysis, gold: dict[str, Any],
           quoted: list[dict[str, Any]] = ()) -> dict[str, list[tuple[str, bool, str]]]:  # type: ignore[assignment]
    """(gold value, found, the gold party's kind) for each gold party, amount and date of one article
    (the kind is "" for amounts and dates). ``quoted``: parties the model named by quoting the
    article (the quote method), which stand beside the candidates."""
    cands = analysis.candidates
    out: dict[str, list[tuple[str, bool, str]]] = defaultdict(list)
    for ev in gold.get("events", []):
        for side in ("kz_parties", "cn_parties"):
            for p in ev.get(side, []):
                hit = any(name_sim(p, {"name": c.name, "name_en": c.en}) >= NAME_THRESHOLD
                          or name_sim(p, {"name": c.written(analysis.article.text)}) >= NAME_THRESHOLD
                          for c in cands if c.kind != "amount") \
                    or any(name_sim(p, q) >= NAME_THRESHOLD for q in quoted)
                out["parties"].append((p.get("name_en") or p.get("name") or "", hit, p.get("kind") or ""))
        for pr in ev.get("projects", []):
            v = pr.get("value")
            if v:
                hit = any(c.amount is not None and c.amount.currency == v["currency"]
                          and abs(c.amount.amount - v["amount"]) <= AMOUNT_TOLERANCE * abs(v["amount"])
                          for c in cands)
                out["amounts"].append((f"{v['amount']} {v['currency']}", hit, ""))
        if ev.get("date"):
            d = ev["date"]
            hit = any(f.value.startswith(d) for f in analysis.dates) or (analysis.article.published or "") == d
            out["dates"].append((d, hit, ""))
    return dict(out)
