"""An event's sentence numbers: the answer's bound is the prompt's ("sentences_cap", 6 unless it says
otherwise). A bound too small for the occasion made the model close the event at the bound and tell
the same occasion again as a new event; a prompt may give it more room."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pipeline.core.budget import Budget
from pipeline.core.errors import ConfigError
from pipeline.extract import Extractor
from pipeline.ingest.articles import make_article
from pipeline.methods import method_for
from pipeline.methods.choose import prompt as choose
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

# Eight sentences of one invented occasion.
ART = ("Аким области провел встречу с делегацией китайской компании Sunrise Metals. "
       "Стороны обсудили строительство завода. Делегация осмотрела площадку. "
       "Аким рассказал о мерах поддержки. Гости посетили индустриальную зону. "
       "Стороны обсудили поставки сырья. Было решено продолжить работу. "
       "Стороны подписали меморандум о строительстве завода.")


def _sentences_bound(model: type) -> int:
    schema = model.model_json_schema()
    event = next(d for name, d in schema["$defs"].items() if "sentences" in d["properties"])
    return int(event["properties"]["sentences"]["maxItems"])


def test_the_default_bound_is_six_and_the_answer_models_are_the_usual_ones() -> None:
    assert choose.response_model(False) is choose.Choice and choose.response_model(True) is choose.QuotedChoice
    assert _sentences_bound(choose.Choice) == _sentences_bound(choose.QuotedChoice) == 6
    assert load_prompt("extract-v19").sentences_cap == 6


@pytest.mark.parametrize("quotes", [False, True])
def test_a_wider_bound_changes_only_the_bound(quotes: bool) -> None:
    usual, wide = choose.response_model(quotes), choose.response_model(quotes, 30)
    assert _sentences_bound(wide) == 30
    u, w = usual.model_json_schema(), wide.model_json_schema()
    # the same fields in the same order (the order the model writes in), under the same names
    assert list(u["$defs"]) == list(w["$defs"]) and list(u["properties"]) == list(w["properties"])
    for name in u["$defs"]:
        assert list(u["$defs"][name]["properties"]) == list(w["$defs"][name]["properties"])
    event = {"sentences": list(range(1, 9)), "type": "meeting", "kz": [], "cn": [], "amounts": [],
             "document": "none", "status": "none"}
    if quotes:
        event |= {"kz_words": [], "cn_words": []}
    with pytest.raises(ValidationError):
        usual.model_validate({"events": [event]})
    assert wide.model_validate({"events": [event]}).model_dump()["events"][0]["sentences"] == list(range(1, 9))
    assert choose.response_model(quotes, 30) is wide  # built once


def test_the_prompts_config_sets_the_bound_its_questions_carry() -> None:
    prompt = load_prompt("extract-v24")
    assert prompt.sentences_cap == 30
    prepared = method_for(prompt, Budget()).prepare(make_article("a", ART))
    assert [_sentences_bound(q.response_model) for q in prepared.questions] == [30]


def test_an_answer_with_more_than_six_sentences_is_taken_only_under_a_wider_bound() -> None:
    def one_occasion(req: Any) -> dict[str, Any]:
        return {"events": [{"sentences": list(range(1, 9)), "type": "signing", "kz": [], "cn": [], "amounts": [],
                            "document": "memorandum", "status": "none"}]}

    ex = Extractor(FakeBackend(default=one_occasion), load_prompt("extract-v24"), load_schema("record.v1"))
    assert "error" not in ex.run(make_article("a", ART))
    ex6 = Extractor(FakeBackend(default=one_occasion), load_prompt("extract-v19"), load_schema("record.v1"))
    assert "error" in ex6.run(make_article("a", ART))  # six is the bound there


def test_a_bound_that_is_not_a_number_is_a_config_error(tmp_path: Any) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    for f in ("system.md", "user.md"):
        (folder / f).write_text("x {sentences} {candidates} {title} {published} {language}", "utf-8")
    (folder / "config.json").write_text('{"response": "choose", "sentences_cap": "many"}', "utf-8")
    with pytest.raises(ConfigError):
        load_prompt("p", root=tmp_path)
