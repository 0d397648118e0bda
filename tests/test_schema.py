"""The pydantic response model and the JSON Schema must not drift."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from pipeline.core.config import repo_root
from pipeline.ingest.articles import Article
from pipeline.methods.choose.assemble import assemble
from pipeline.methods.choose.prompt import example_answer
from pipeline.methods.compact.expand import expand
from pipeline.methods.compact.models import CExtraction, CFind
from pipeline.methods.models import Event, Extraction
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema

from .conftest import event


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].split("/")[-1]]
    return node


def norm(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A canonical view of a schema node: types, enum, bounds, items, properties."""
    node = _resolve(node, defs)
    branches = [_resolve(b, defs) for b in node["anyOf"]] if "anyOf" in node else [node]
    types: set[str] = set()
    out: dict[str, Any] = {}
    for b in branches:
        t = b.get("type")
        types.update(t if isinstance(t, list) else [t] if t else [])
        if "enum" in b:
            out["enum"] = sorted(v for v in b["enum"] if v is not None)
            types.update("null" for v in b["enum"] if v is None)
        for k in ("maxLength", "maxItems", "pattern", "minimum"):
            if k in b:
                out[k] = b[k]
        if "items" in b:
            out["items"] = norm(b["items"], defs)
        if "properties" in b:
            out["properties"] = {k: norm(v, defs) for k, v in b["properties"].items()}
            out["required"] = sorted(b.get("required", []))
    out["types"] = sorted(types)
    return out


def test_response_model_matches_json_schema() -> None:
    schema = load_schema("record.v1").document
    pyd = Extraction.model_json_schema()
    ours = norm(schema["$defs"]["Event"], schema["$defs"])
    theirs = norm(pyd["$defs"]["Event"], pyd["$defs"])
    assert ours == theirs
    assert norm(schema["properties"]["events"], schema["$defs"])["maxItems"] == pyd["properties"]["events"]["maxItems"]


def test_schemas_are_valid_draft_2020_12() -> None:
    for f in (repo_root() / "schemas").glob("*.json"):
        Draft202012Validator.check_schema(json.loads(f.read_text()))


def test_prompt_example_outputs_validate() -> None:
    schema = load_schema("record.v1")
    for p in (repo_root() / "prompts").iterdir():
        ex_file = p / "examples.json"
        if not ex_file.exists():
            continue
        prompt = load_prompt(p.name)
        for ex in json.loads(ex_file.read_text()):
            if prompt.strategy == "two_step":
                found = CFind.model_validate(ex["output"])
                assert all(n >= 1 for ev in found.events for n in ev.sentences)
                continue
            if prompt.response == "choose":
                # names resolve to the analysis's candidates; assembled, the answer gives spec events
                analysis, answer = example_answer(ex, prompt.splitter)
                events, _ = assemble(answer, analysis)
                assert len(events) == len(ex["output"]["events"])
            elif prompt.response == "compact":
                # the model's compact answer, expanded as the pipeline does, gives spec events
                CExtraction.model_validate(ex["output"])
                article = Article(id="x", text=ex["text"], title=ex.get("title"), published=ex.get("published"),
                                  language=ex.get("language", "other"))
                events, _ = expand(ex["output"], article, prompt.splitter)
                assert len(events) == len(ex["output"]["events"])
            else:
                Extraction.model_validate(ex["output"])
                events = ex["output"]["events"]
            record = {"article_id": "x", "language": "ru", "published": None, "events": events}
            assert schema.errors(record) == []
            for ev in events:
                assert all(q in ex["text"] for q in ev["evidence"])


_party = st.fixed_dictionaries({
    "name": st.text(max_size=30), "name_en": st.text(max_size=30),
    "kind": st.sampled_from(["person", "government", "region", "company", "organization"]),
    "title": st.none() | st.text(max_size=20), "affiliation": st.none() | st.text(max_size=20),
})


@settings(max_examples=60, deadline=None)
@given(kz=st.lists(_party, max_size=3), date=st.none() | st.sampled_from(["2025", "2025-01", "2025-01-31"]),
       ty=st.sampled_from(["meeting", "signing", "project", "forum", "trade", "other"]))
def test_what_pydantic_accepts_the_json_schema_accepts(kz: list[dict[str, Any]], date: str | None, ty: str) -> None:
    data = Event.model_validate(event(kz_parties=kz, date=date, type=ty)).model_dump(mode="json")
    rec = {"article_id": "a", "language": "kk", "published": None, "events": [data]}
    assert load_schema("record.v1").errors(rec) == []


def test_schema_rejects_out_of_vocabulary() -> None:
    s = load_schema("record.v1")
    bad = {"article_id": "a", "language": "kk", "published": None, "events": [event(sectors=["space"])]}
    assert any("space" in e for e in s.errors(bad))
    assert s.errors({"article_id": "a", "language": "xx", "published": None, "events": []})
