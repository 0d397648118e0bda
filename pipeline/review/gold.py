"""Reviewed articles as gold records, and what the reviewers changed, slot by slot."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pipeline.core.errors import OutputRefusedError
from pipeline.review.store import SLOTS, ArticleState, ReviewFolder
from pipeline.schema import load_schema
from pipeline.storage.outputs import write_atomic

OUTCOMES = ("accepted", "corrected", "rejected", "added")


def _empty(v: Any) -> bool:
    if isinstance(v, dict):  # a location with neither place nor country
        return all(_empty(x) for x in v.values())
    return v in (None, "", [], {})


def gold_record(record: dict[str, Any], st: ArticleState) -> dict[str, Any]:
    """The article as the reviewer left it: the kept events (accepted, corrected or added)."""
    events = [] if st.negative else [e.event for e in st.events if e.status == "accepted"]
    return {"article_id": record["article_id"], "language": record.get("language") or "other",
            "published": record.get("published"), "events": events}


def changes(record: dict[str, Any], st: ArticleState) -> dict[str, dict[str, int]]:
    """For each slot (and the events themselves), how many the reviewer accepted as the model gave
    them, corrected, rejected (the model gave a value, the gold has none) or added (the model gave
    none). A rejected event's filled slots are rejected; an added event's filled slots are added."""
    rows: dict[str, dict[str, int]] = {k: dict.fromkeys(OUTCOMES, 0) for k in ("event", *SLOTS)}
    for e in st.events:
        kept = e.status == "accepted" and not st.negative
        if e.origin == "added":
            if kept:
                rows["event"]["added"] += 1
                for slot in SLOTS:
                    if not _empty(e.event.get(slot)):
                        rows[slot]["added"] += 1
            continue
        original = record["events"][int(e.id[1:])]
        if not kept:
            rows["event"]["rejected"] += 1
            for slot in SLOTS:
                if not _empty(original.get(slot)):
                    rows[slot]["rejected"] += 1
            continue
        rows["event"]["corrected" if any(e.event.get(s) != original.get(s) for s in SLOTS) else "accepted"] += 1
        for slot in SLOTS:
            was, now = original.get(slot), e.event.get(slot)
            if was == now:
                if not _empty(was):
                    rows[slot]["accepted"] += 1
            elif _empty(was):
                rows[slot]["added"] += 1
            elif _empty(now):
                rows[slot]["rejected"] += 1
            else:
                rows[slot]["corrected"] += 1
    return rows


def file_name(article_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._~-]+", "_", article_id).lstrip(".") + ".json"


def _ours(path: Path, article_id: str) -> bool:
    try:
        g = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(g, dict) and g.get("article_id") == article_id and not load_schema("gold.v1").errors(g)


def export_gold(folder: Path, out: Path) -> dict[str, Any]:
    """One gold record (schema gold.v1) per reviewed article in ``out``; returns the counts.

    A file there is replaced only when it is the gold record of the same article (an earlier
    export); anything else is refused before a file is written."""
    review = ReviewFolder(folder)
    review.open_existing()
    done = [(aid, st) for aid, st in review.states.items() if st.done]
    schema = load_schema("gold.v1")
    golds = []
    for aid, st in done:
        g = gold_record(review.records[aid], st)
        schema.validate(g)
        golds.append(g)
    if out.exists() and not out.is_dir():
        raise OutputRefusedError(f"-o {out} is a file; give a folder for the gold records")
    names = [file_name(g["article_id"]) for g in golds]
    if len(set(names)) != len(names):
        raise OutputRefusedError("two reviewed articles' ids give the same file name; nothing was written")
    for g, name in zip(golds, names, strict=True):
        target = out / name
        if target.exists() and not _ours(target, g["article_id"]):
            raise OutputRefusedError(f"refusing to replace {target}: it is not this article's gold record; "
                                     "nothing was written: move it away or choose another -o")
    out.mkdir(parents=True, exist_ok=True)
    for g, name in zip(golds, names, strict=True):
        write_atomic(out / name, (json.dumps(g, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    totals: dict[str, dict[str, int]] = {k: dict.fromkeys(OUTCOMES, 0) for k in ("event", *SLOTS)}
    for aid, st in done:
        for slot, row in changes(review.records[aid], st).items():
            for k, n in row.items():
                totals[slot][k] += n
    return {"reviewed": len(done), "articles": len(review.states),
            "negatives": sum(st.negative for _, st in done), "files": [str(out / n) for n in names],
            "changes": totals}
