"""The record's enums are declared once (pipeline/core/enums.py) and equal the JSON Schema's."""

from __future__ import annotations

from typing import Any, get_args

from pipeline.core import enums
from pipeline.methods.models import Agreement, Event, Money, Party, Project
from pipeline.schema import load_schema


def _enum(schema: dict[str, Any], where: str) -> list[Any]:
    defs = schema["$defs"]
    if "." not in where:
        return list(defs[where]["enum"])
    name, field = where.split(".")
    node = defs[name]["properties"][field]
    if "enum" not in node:  # "anyOf": [{"enum": ...}, {"type": "null"}]
        node = next(b for b in node["anyOf"] if "enum" in b)
    return list(node["enum"])


def test_schema_enums_equal_the_module() -> None:
    schema = load_schema("record.v1").document
    for where, values in enums.IN_SCHEMA.items():
        in_schema = _enum(schema, where)
        assert [v for v in in_schema if v is not None] == list(values), where


def test_a_project_status_may_be_null_in_both() -> None:
    schema = load_schema("record.v1").document
    assert None in _enum(schema, "Project.status")
    assert type(None) in get_args(Project.model_fields["status"].annotation)


def test_the_response_model_uses_the_module() -> None:
    assert get_args(Event.model_fields["type"].annotation) == enums.EVENT_TYPES
    assert get_args(Agreement.model_fields["kind"].annotation) == enums.DOCUMENT_KINDS
    assert get_args(Party.model_fields["kind"].annotation) == enums.PARTY_KINDS
    assert get_args(Money.model_fields["qualifier"].annotation) == enums.QUALIFIERS
    assert get_args(get_args(Project.model_fields["sectors"].annotation)[0]) == enums.SECTORS


def test_the_sector_words_name_every_sector_but_other() -> None:
    from pipeline.core.vocab import table

    assert list(table("sectors", "words")) == [s for s in enums.SECTORS if s != "other"]
