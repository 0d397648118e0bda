"""The method seam: a prompt's config names its method; the prompt's fixed part is built once."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.backends.base import LLMRequest
from pipeline.core.budget import Budget
from pipeline.extract import Extractor
from pipeline.ingest.articles import make_article
from pipeline.methods import method_for
from pipeline.methods.choose import prompt as choose
from pipeline.methods.choose.method import ChooseMethod
from pipeline.methods.compact import CompactMethod
from pipeline.methods.compact.models import CExtraction, CExtractionNamed, CFind
from pipeline.methods.full import FullMethod
from pipeline.methods.models import Extraction
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

ART = "Аким области провел встречу с делегацией китайской компании. Стороны подписали меморандум о строительстве завода."


@pytest.mark.parametrize("prompt_id,method,answer", [
    ("extract-v1", FullMethod, Extraction), ("extract-v2", FullMethod, Extraction),
    ("extract-v4", CompactMethod, CExtraction), ("extract-v5", CompactMethod, CFind),
    ("extract-v7", CompactMethod, CExtractionNamed), ("extract-v8", CompactMethod, CExtraction),
    ("extract-v9", ChooseMethod, choose.Choice), ("extract-v13", ChooseMethod, choose.QuotedChoice),
    ("extract-v14", ChooseMethod, choose.Choice),
])
def test_the_prompts_config_chooses_the_method_and_its_answer(prompt_id: str, method: type, answer: type) -> None:
    m = method_for(load_prompt(prompt_id), Budget())
    assert isinstance(m, method)
    prepared = m.prepare(make_article("a", ART))
    assert [q.response_model for q in prepared.questions] == [answer]
    assert all(q.messages_in_key == (method is ChooseMethod) for q in prepared.questions)
    assert (prepared.analysis is not None) == (method is ChooseMethod)


def test_a_choose_prompts_worked_examples_are_analysed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = choose.example_answer

    def counted(example: dict[str, Any], splitter: int, finders: int = 1) -> Any:
        calls.append(example)
        return real(example, splitter, finders)

    monkeypatch.setattr(choose, "example_answer", counted)
    prompt = load_prompt("extract-v13")

    def none(req: LLMRequest) -> dict[str, Any]:
        return {"events": []}

    ex = Extractor(FakeBackend(default=none), prompt, load_schema("record.v1"))
    for i in range(3):
        assert "error" not in ex.run(make_article(f"a{i}", ART + " " * i))
    assert len(calls) == len(prompt.examples) > 0


def test_a_text_prompts_fixed_part_is_the_same_for_every_article() -> None:
    m = method_for(load_prompt("extract-v8"), Budget())
    first = m.prepare(make_article("a", ART)).questions[0].messages
    second = m.prepare(make_article("b", ART + " Ещё.")).questions[0].messages
    assert first[:-1] == second[:-1] and first[-1] != second[-1]
    assert all(a is b for a, b in zip(first[:-1], second[:-1], strict=True))  # built once, not per article
