from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluation.score import score_corpus
from pipeline.schema import load_schema

from .conftest import ROOT, event

GOLD_DIR = ROOT / "eval" / "gold"
TEXT = "Роман Скляр провел встречу с Ван Хао в Ханчжоу. Подписано соглашение на 150 млн долларов."


def gold_rec(events: list[dict[str, Any]], aid: str = "a", lang: str = "ru") -> dict[str, Any]:
    return {"article_id": aid, "language": lang, "published": "2025-12-27", "events": events}


def signing(**over: Any) -> dict[str, Any]:
    return event(type="signing", projects=[{"description": "ferroalloy plant", "location": "Aktobe Region",
                                             "sectors": ["metallurgy"], "status": "agreed",
                                             "value": {"amount": 150e6, "currency": "USD", "qualifier": "over"}}],
                 kz_parties=[{"name": "Ақтөбе облысы", "name_en": "Aktobe Region", "kind": "region", "title": None, "affiliation": None}],
                 cn_parties=[{"name": "Suzhou Hunan", "name_en": "Suzhou Hunan New Materials", "kind": "company", "title": None, "affiliation": None}],
                 **over)


def run(pred: list[dict[str, Any]] | None, gold: list[dict[str, Any]]) -> dict[str, Any]:
    preds = {} if pred is None else {"a": gold_rec(pred)}
    return score_corpus(preds, {"a": gold_rec(gold)}, {"a": TEXT}, bootstrap_n=50)


def test_perfect_match() -> None:
    r = run([event(), signing()], [event(), signing()])
    assert r["headline"]["event_f1"] == 1.0
    assert r["headline"]["slot_f1_lenient"] == 1.0 and r["headline"]["slot_f1_strict"] == 1.0
    assert r["slots"]["lenient"]["agreements"]["f1"] is None  # no gold agreements anywhere: None, not 0


def test_empty_prediction() -> None:
    r = run([], [event()])
    assert r["events"]["micro"] == {"p": None, "r": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    assert r["headline"]["slot_f1_lenient"] is None


def test_no_event_articles_right_when_empty() -> None:
    r = run([], [])
    assert r["headline"]["event_f1"] is None and r["events"]["macro_f1"] == 1.0
    r = run([event()], [])
    assert r["events"]["micro"]["fp"] == 1 and r["events"]["macro_f1"] == 0.0


def test_extra_event_costs_precision_only() -> None:
    r = run([event(), signing()], [event()])
    assert r["events"]["micro"]["tp"] == 1 and r["events"]["micro"]["fp"] == 1 and r["events"]["micro"]["fn"] == 0


def test_swapped_order_is_matched() -> None:
    assert run([signing(), event()], [event(), signing()])["headline"] == run([event(), signing()], [event(), signing()])["headline"]


def test_name_spelled_another_way_is_lenient_only() -> None:
    p = event(kz_parties=[{"name": "Роман Скляр", "name_en": "Roman Skliar", "kind": "person", "title": None, "affiliation": None}])
    r = run([p], [event()])
    assert r["slots"]["lenient"]["kz_parties"]["f1"] == 1.0
    assert r["slots"]["strict"]["kz_parties"]["f1"] == 0.0
    # a name left in Cyrillic still matches leniently after transliteration
    p = event(kz_parties=[{"name": "Роман Скляр", "name_en": "Роман Скляр", "kind": "person", "title": None, "affiliation": None}])
    assert run([p], [event()])["slots"]["lenient"]["kz_parties"]["f1"] == 1.0


def test_amount_off_by_one_percent_and_by_1000() -> None:
    def with_amount(x: float) -> dict[str, Any]:
        s = signing()
        s["projects"][0]["value"]["amount"] = x
        return s
    near = run([with_amount(150e6 * 1.009)], [signing()])
    assert near["slots"]["lenient"]["money"]["f1"] == 1.0 and near["slots"]["strict"]["money"]["f1"] == 0.0
    far = run([with_amount(150e3)], [signing()])
    assert far["slots"]["lenient"]["money"]["f1"] == 0.0
    assert far["slots"]["lenient"]["projects"]["f1"] == 0.0


def test_wrong_date_precision() -> None:
    r = run([event(date="2025-12-27")], [event(date="2025-12")])
    assert r["slots"]["lenient"]["date"]["f1"] == 1.0 and r["slots"]["strict"]["date"]["f1"] == 0.0
    r = run([event(date="2025")], [event(date="2025-12-27")])
    assert r["slots"]["lenient"]["date"]["f1"] == 0.0


def test_grounding_rate() -> None:
    r = run([event(evidence=["Роман Скляр провел встречу", "не из статьи"])], [event()])
    assert r["grounding"] == {"quotes": 2, "found": 1, "rate": 0.5}


def test_error_record_scores_as_empty_and_is_listed() -> None:
    r = score_corpus({"a": {"article_id": "a", "error": {"stage": "llm", "message": "x"}}},
                     {"a": gold_rec([event()])}, {"a": TEXT}, bootstrap_n=10)
    assert r["events"]["micro"]["fn"] == 1 and r["failures"][0]["stage"] == "llm"


def _gold_files() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in GOLD_DIR.glob("*.json")}


def test_gold_validates_against_its_schema_and_matches_the_corpus() -> None:
    schema = load_schema("gold.v1")
    golds = _gold_files()
    corpus = {p.stem: p for p in (ROOT / "eval" / "corpus").glob("*.txt")}
    assert set(golds) == set(corpus)
    for aid, g in golds.items():
        schema.validate(g)
        text = corpus[aid].read_text(encoding="utf-8")
        assert all(q in text for ev in g["events"] for q in ev["evidence"])
    rec = load_schema("record.v1").document
    assert schema.document["$defs"]["Event"] == rec["$defs"]["Event"]  # gold and records share the event shape


def test_gold_against_itself_is_perfect() -> None:
    golds = _gold_files()
    texts = {aid: (ROOT / "eval" / "corpus" / f"{aid}.txt").read_text(encoding="utf-8") for aid in golds}
    r = score_corpus(golds, golds, texts, bootstrap_n=20)
    assert r["headline"] == {"event_f1": 1.0, "slot_f1_lenient": 1.0, "slot_f1_strict": 1.0, "grounding_rate": 1.0}


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(4)), st.lists(st.sampled_from(["meeting", "signing", "forum", "trade"]), min_size=4, max_size=4))
def test_event_order_does_not_change_scores(order: list[int], types: list[str]) -> None:
    gold = [event(type=t, summary=str(i)) for i, t in enumerate(types)]
    pred = [copy.deepcopy(gold[i]) for i in order]
    pred[0]["type"] = "other"
    a = run(pred, gold)
    b = run(list(reversed(pred)), gold)
    assert a["headline"] == b["headline"] and a["slots"] == b["slots"]
    assert run(gold, gold)["headline"]["event_f1"] == 1.0
