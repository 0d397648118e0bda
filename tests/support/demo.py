"""A small invented data set for the report's demo, screenshot and tests.

Seven short articles written for the purpose (the companies and people are
fictional; the places are real), each with a scripted model answer, in
``demo.json`` beside this file. They go
through the real pipeline (ingest, the full-shape prompt, grounding, schema
validation) with the scripted backend, then ``merge``: two articles report the
same signing, in English and Russian. No third-party text.

    python -m tests.support.demo OUT_DIR     # records.jsonl and merged.jsonl in OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pipeline.backends.base import LLMRequest
from pipeline.extract import Extractor
from pipeline.ingest.articles import make_article
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend
from pipeline.views.merge import merge_records

# the articles and their scripted answers
ARTICLES: list[dict[str, Any]] = json.loads((Path(__file__).parent / "demo.json").read_text("utf-8"))["articles"]


def _answer(request: LLMRequest) -> dict[str, Any]:
    user = request.messages[-1]["content"]
    for a in ARTICLES:
        if a["text"][40:90] in user:
            return {"events": [a["answer"]]}
    return {"events": []}


def demo_records() -> list[dict[str, Any]]:
    """The invented articles through the real pipeline with their scripted answers."""
    ex = Extractor(FakeBackend(default=_answer), load_prompt("extract-v1"), load_schema("record.v1"))
    return [ex.run(make_article(a["id"], a["text"], title=a["title"], published=a["date"], url=a["url"]))
            for a in ARTICLES]


def demo_merged() -> list[dict[str, Any]]:
    return merge_records(demo_records())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("records.jsonl", demo_records()), ("merged.jsonl", demo_merged())):
        (out / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"wrote {out / 'records.jsonl'} and {out / 'merged.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
