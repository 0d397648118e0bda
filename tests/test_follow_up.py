"""The empty-side follow-up (extract-v14): extract-v9's question, keyed as extract-v9's, then one
short question for each event the rules would drop because no candidate stands for one side; its
answer is grounded like a quote. Invented articles only; the scripted backend answers."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.core.errors import ConfigError
from pipeline.extract import Extractor
from pipeline.ingest.articles import Article
from pipeline.methods.choose.follow_up import SideWords, fixed_messages
from pipeline.methods.choose.prompt import Choice
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

# sentence 1: a Kazakh akim (candidates #1 region, #2 person) meets a Chinese holding no finder knows;
# sentence 3: background, outside the event
TEXT = ("Аким Жамбылской области Берик Сапаров встретился с руководством крупного машиностроительного холдинга из Китая. "
        "Стороны обсудили выпуск сельскохозяйственной техники на новом заводе. "
        "Ранее представители оператора железных дорог посетили выставку в Урумчи.")
ARTICLE = Article(id="f", text=TEXT, published="2026-03-01", language="ru")
HOLDING = "машиностроительного холдинга из Китая"


def _event(kz: list[int], cn: list[int]) -> dict[str, Any]:
    return {"events": [{"sentences": [1, 2], "type": "meeting", "kz": kz, "cn": cn, "amounts": [],
                        "document": "none", "status": "none"}]}


def _extractor(backend: FakeBackend, prompt: str = "extract-v14") -> Extractor:
    return Extractor(backend, load_prompt(prompt), load_schema("record.v1"))


def _checks(record: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [c for c in record["provenance"]["checks"] if c["rule"] == rule]


def test_a_one_sided_event_gains_its_party_from_a_grounded_follow_up_quote() -> None:
    fake = FakeBackend().enqueue(_event([1, 2], []), {"words": HOLDING})
    rec = _extractor(fake).run(ARTICLE)
    assert "error" not in rec
    assert len(fake.requests) == 2
    asked = fake.requests[1]
    assert asked.response_model is SideWords
    question = asked.messages[-1]["content"]
    assert "China-side party of this meeting" in question
    assert TEXT.split(". ")[0] in question and "Урумчи" not in question  # the event's own sentences only
    [ev] = rec["events"]
    assert [p["name"] for p in ev["cn_parties"]] == [HOLDING]
    [quoted] = _checks(rec, "quoted_parties")
    assert quoted["follow_up"] is True and quoted["party"] == HOLDING and "grounded in sentence 1" in quoted["reason"]
    [fu] = _checks(rec, "follow_up")
    assert fu["answered"] is True and fu["target"].startswith("cn side of the meeting event")
    assert not _checks(rec, "needs_both_sides")


def test_a_follow_up_quote_outside_the_events_sentences_is_dropped_and_said() -> None:
    fake = FakeBackend().enqueue(_event([1, 2], []), {"words": "оператора железных дорог"})
    rec = _extractor(fake).run(ARTICLE)
    assert rec["events"] == []
    [quoted] = _checks(rec, "quoted_parties")
    assert quoted["follow_up"] is True and quoted["party"] is None
    assert "not in the event's sentences" in quoted["reason"]
    assert _checks(rec, "needs_both_sides")  # the event is dropped as before


def test_a_follow_up_quote_naming_a_party_of_the_other_side_is_not_taken() -> None:
    # the model put a company of no known country on the China side; asked for the Kazakhstan side,
    # it names that company again
    text = ("Аким Берик Сапаров встретился с руководством компании «Вектор Плюс» из Китая. "
            "Стороны обсудили выпуск сельскохозяйственной техники на новом заводе.")
    art = Article(id="h", text=text, published="2026-03-01", language="ru")
    fake = FakeBackend()
    ex = _extractor(fake)
    analysis = ex.prepare(art).analysis
    assert analysis is not None
    company = next(c for c in analysis.candidates if c.kind == "company")
    fake.enqueue(_event([], [company.id]), {"words": "Вектор Плюс"})
    rec = ex.run(art)
    assert len(fake.requests) == 2 and "Kazakhstan-side party" in fake.requests[1].messages[-1]["content"]
    [quoted] = _checks(rec, "quoted_parties")
    assert quoted["follow_up"] is True and "already on the cn side" in quoted["reason"]
    assert rec["events"] == []


def test_a_follow_up_that_names_no_party_leaves_the_event_dropped() -> None:
    fake = FakeBackend().enqueue(_event([1, 2], []), {"words": None})
    rec = _extractor(fake).run(ARTICLE)
    assert rec["events"] == [] and not _checks(rec, "quoted_parties")
    [fu] = _checks(rec, "follow_up")
    assert fu["answered"] is False and fu["reason"].endswith("none")


def test_an_event_with_both_sides_asks_no_follow_up() -> None:
    text = TEXT.replace("холдинга из Китая", "холдинга из Урумчи")  # a Chinese city: a candidate of China
    fake = FakeBackend()
    ex = _extractor(fake)
    analysis = ex.prepare(Article(id="g", text=text, language="ru")).analysis
    assert analysis is not None
    city = next(c.id for c in analysis.candidates if c.kind == "city" and 1 in c.sentences)
    fake.enqueue(_event([1, 2], [city]))
    rec = ex.run(Article(id="g", text=text, language="ru"))
    assert len(fake.requests) == 1 and len(rec["events"]) == 1
    assert not _checks(rec, "follow_up")


def test_an_event_with_both_sides_empty_asks_no_follow_up() -> None:
    fake = FakeBackend().enqueue({"events": [{**_event([], [])["events"][0], "sentences": [2]}]})  # no place in it
    rec = _extractor(fake).run(ARTICLE)
    assert len(fake.requests) == 1 and rec["events"] == []


def test_the_main_request_is_extract_v9s_with_its_key() -> None:
    v9, v14 = FakeBackend(default=_event([1, 2], [])), FakeBackend().enqueue(_event([1, 2], []), {"words": None})
    ex9, ex14 = _extractor(v9, "extract-v9"), _extractor(v14)
    r9, r14 = ex9.run(ARTICLE), ex14.run(ARTICLE)
    assert v14.requests[0].messages == v9.requests[0].messages
    assert v14.requests[0].response_model is v9.requests[0].response_model is Choice
    assert ex14.key(ARTICLE) == ex9.key(ARTICLE)  # extract-v9's recorded answers answer it
    follow = ex14.prepare(ARTICLE)
    assert r14["provenance"]["prompt_id"] == "extract-v14" and r9["provenance"]["prompt_id"] == "extract-v9"
    assert r14["provenance"]["prompt_sha256"] != r9["provenance"]["prompt_sha256"]
    assert follow.questions[0].key_prompt == ("extract-v9", load_prompt("extract-v9").sha256)


def test_follow_up_answers_are_cached_under_their_own_keys() -> None:
    class Memory:
        def __init__(self) -> None:
            self.kept: dict[str, dict[str, Any]] = {}

        def get(self, key: str) -> dict[str, Any] | None:
            return self.kept.get(key)

        def set(self, key: str, value: dict[str, Any]) -> None:
            self.kept[key] = value

    cache = Memory()
    fake = FakeBackend().enqueue(_event([1, 2], []), {"words": HOLDING})
    ex = Extractor(fake, load_prompt("extract-v14"), load_schema("record.v1"), cache=cache)
    first = ex.run(ARTICLE)
    assert len(cache.kept) == 2 and ex.key(ARTICLE) in cache.kept
    again = ex.run(ARTICLE)  # nothing queued: both answers from the cache
    assert len(fake.requests) == 2 and again["provenance"]["cached"] is True
    assert again["events"] == first["events"]


def test_the_follow_ups_worked_examples_quote_their_own_sentences() -> None:
    f = load_prompt("extract-v14").follow_up
    assert f is not None and f.kind == "empty_side"
    assert len(fixed_messages(f.system, f.user_template, f.examples)) == 1 + 2 * len(f.examples)
    bad = {"sentences": ["Аким области встретился с инвесторами."], "side": "cn", "type": "meeting",
           "words": "компанией из Китая"}
    with pytest.raises(ConfigError):
        fixed_messages(f.system, f.user_template, (bad,))
