"""Grounding for the choose method: evidence spans are looked up in the analysis, not searched for,
and the result is what aligning the quotes to the text gives."""

from __future__ import annotations

import pytest

import pipeline.grounding as grounding
from pipeline.analyse import analyse
from pipeline.grounding import evidence_spans, slot_grounding
from pipeline.ingest.articles import Article

# fictional: a dateline, a sentence said twice (the second time inside a longer one first), an amount
TEXT = ("ASTANA. The Ministry of Energy of Kazakhstan and China Power Holding met in Astana on 3 March.\n"
        "Officials said the plant will cost 1.2 billion dollars. The parties signed a memorandum.\n"
        "Earlier, as one official put it: The parties signed a memorandum. Nothing else was agreed.\n"
        "The parties signed a memorandum.")


def _article() -> Article:
    return Article(id="t", text=TEXT, title=None, published="2025-03-03", language="en")


def _event(analysis, numbers):  # type: ignore[no-untyped-def]
    return {"evidence": [s.text for s in analysis.sentences if s.n in numbers],
            "kz_parties": [{"name": "Ministry of Energy of Kazakhstan", "name_en": "Ministry of Energy of Kazakhstan"}],
            "cn_parties": [{"name": "China Power Holding", "name_en": "China Power Holding"}],
            "projects": [{"value": {"amount": 1.2e9, "currency": "USD"}}],
            "location": {"place": "Astana", "country": "KZ"}}


def test_evidence_is_looked_up_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    a = analyse(_article())
    ev = _event(a, [s.n for s in a.sentences])

    def no_search(quote: str, text: str) -> grounding.Span:
        raise AssertionError("searched for an evidence quote the analysis holds")

    monkeypatch.setattr(grounding, "locate_any", no_search)
    spans = evidence_spans(ev, TEXT, a)
    assert [TEXT[s.start:s.end] for s in spans] == ev["evidence"]  # type: ignore[misc]
    assert {s.status for s in spans} == {"exact"}
    # words said before their own sentence (inside a longer one) are located where first said,
    # as a quote of any method is
    assert [s.start for s in spans] == [TEXT.find(q) for q in ev["evidence"]]


def test_a_quote_the_analysis_does_not_hold_is_aligned() -> None:
    a = analyse(_article())
    span = evidence_spans({"evidence": ["the plant will cost"]}, TEXT, a)[0]
    assert span.status == "exact" and TEXT[span.start:span.end] == "the plant will cost"  # type: ignore[misc]


def test_grounding_with_the_analysis_is_grounding_without() -> None:
    a = analyse(_article())
    n = len(a.sentences)
    for numbers in ([1], [2], [3], [n], [2, n], list(range(1, n + 1))):
        ev = _event(a, numbers)
        assert slot_grounding(ev, TEXT, a) == slot_grounding(ev, TEXT), numbers
