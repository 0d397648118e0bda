"""Articles of any length: windows of whole sentences that fit the budget, one record per article,
and no request that cannot fit ever reaching the endpoint. Invented articles only."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.analyse import analyse
from pipeline.backends.base import LLMRequest
from pipeline.backends.openai_compat import OpenAICompatBackend, exceeds_context, is_transient
from pipeline.core.budget import Budget, TokenCounter
from pipeline.extract import Extractor
from pipeline.ingest.articles import Article
from pipeline.methods.choose.prompt import Window, windows
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend
from tests.support.scripted_server import Reply, ScriptedServer

STORY = ("Аким Павлодарской области Нурлан Жумабеков встретился в Урумчи с председателем компании "
         "Xinjiang {name} Power Ли Мином. Стороны подписали меморандум о строительстве ветровой "
         "электростанции стоимостью {n}0 млн долларов США. Проект будет реализован в Экибастузе.")
NAMES = ("Amber", "Birch", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Indigo", "Juniper", "Kestrel",
         "Lotus", "Maple", "Nimbus", "Onyx", "Pinecone", "Quartz", "Raven", "Sierra", "Tundra")


def _digest(parts: int) -> Article:
    text = "\n".join(STORY.format(n=i + 1, name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else " Two"))
                     for i in range(parts))
    return Article(id="digest", text=text, published="2026-04-01", language="ru")


class Counting(TokenCounter):
    """The estimate, counting how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def count(self, text: str) -> int:
        self.calls += 1
        return super().count(text)


def test_a_short_article_is_one_window_without_counting() -> None:
    counter = Counting()
    a = analyse(_digest(1), 2)
    assert windows(a, Budget(counter=counter), 3000, lambda: 2000) == [Window(1, 3)]
    assert counter.calls == 0


def test_a_long_article_is_read_in_overlapping_windows_that_fit() -> None:
    counter = Counting()
    budget = Budget(context=8192, window=400, counter=counter)
    a = analyse(_digest(30), 2)
    n = len(a.sentences)
    ws = windows(a, budget, 10**6, lambda: 1500)
    assert len(ws) > 3
    assert ws[0].first == 1 and ws[-1].last == n
    covered = {s for w in ws for s in range(w.first, w.last + 1)}
    assert covered == set(range(1, n + 1))
    for prev, nxt in zip(ws, ws[1:], strict=False):
        assert nxt.first <= prev.last  # overlapping by a sentence or two
        assert prev.last - nxt.first + 1 <= 2
    # every sentence and candidate line counted once: time linear in the length
    assert counter.calls == n + len(a.candidates)


def test_every_window_request_fits_and_one_record_comes_back() -> None:
    prompt = load_prompt("extract-v9")
    budget = Budget(context=8192, window=500)
    article = _digest(12)
    sizes: list[int] = []

    def answer(req: LLMRequest) -> dict[str, Any]:
        sizes.append(budget.messages_tokens(req.messages, req.response_model.model_json_schema()))
        return {"events": []}

    fake = FakeBackend(default=answer)
    ex = Extractor(fake, prompt, load_schema("record.v1"), budget=budget)
    rec = ex.run(article)
    assert "error" not in rec
    assert len(fake.requests) == len(rec["provenance"]["windows"]["sentences"]) > 1
    assert max(sizes) <= budget.context - budget.answer
    # the windows' candidates only: a window's user turn lists no candidate it does not mention
    last_user = fake.requests[-1].messages[-1]["content"]
    assert "[1] " not in last_user


def test_windows_events_of_one_occasion_are_one_event() -> None:
    """The same signing seen in two overlapping windows is one event of the record."""
    prompt = load_prompt("extract-v9")
    budget = Budget(context=8192, window=500)
    article = _digest(12)
    a = analyse(article, prompt.splitter)
    ws = Extractor(FakeBackend(), prompt, load_schema("record.v1"), budget=budget).prepare(article).windows
    shared = ws[0].last  # the last sentence of the first window opens the second
    assert ws[1].holds(shared)
    kz = next(c.id for c in a.candidates if c.en.startswith("Pavlodar"))
    cn = next(c.id for c in a.candidates if c.kind == "company" and shared in c.sentences
              or c.kind == "company" and shared - 1 in c.sentences)
    sents = [n for n in (shared - 1, shared) if ws[1].holds(n)]

    def answer(req: LLMRequest) -> dict[str, Any]:
        if f"(#{cn})" not in req.messages[-1]["content"]:
            return {"events": []}
        return {"events": [{"sentences": sents, "type": "signing", "kz": [kz], "cn": [cn], "amounts": [],
                            "document": "memorandum", "status": "agreed"}]}

    ex = Extractor(FakeBackend(default=answer), prompt, load_schema("record.v1"), budget=budget)
    rec = ex.run(article)
    assert "error" not in rec, rec
    assert [ev["type"] for ev in rec["events"]] == ["signing"]
    apart = Extractor(FakeBackend(default=answer), prompt, load_schema("record.v1"), budget=budget,
                      without=frozenset({"same_occasion_merged"})).run(article)
    assert [ev["type"] for ev in apart["events"]] == ["signing", "signing"]  # seen in two windows


def test_a_window_answer_keeps_only_what_that_window_showed() -> None:
    prompt = load_prompt("extract-v9")
    budget = Budget(context=8192, window=500)
    article = _digest(12)
    a = analyse(article, prompt.splitter)
    far = a.candidates[-1].id  # named only at the end of the article

    def answer(req: LLMRequest) -> dict[str, Any]:
        return {"events": [{"sentences": [1, 2], "type": "meeting", "kz": [1], "cn": [far], "amounts": [],
                            "document": "none", "status": "none"}]}

    fake = FakeBackend(default=answer)
    ex = Extractor(fake, prompt, load_schema("record.v1"), budget=budget)
    ws = ex.prepare(article).windows
    from pipeline.methods.choose.prompt import within

    kept = within(answer(fake.requests[0] if fake.requests else None), ws[0], a)  # type: ignore[arg-type]
    assert kept["events"][0]["cn"] == []
    assert kept["events"][0]["kz"] == [1]


def test_an_older_method_refuses_an_article_too_long_for_the_context_before_any_request() -> None:
    fake = FakeBackend(default={"events": []})
    ex = Extractor(fake, load_prompt("extract-v1"), load_schema("record.v1"), budget=Budget(context=2048))
    rec = ex.run(_digest(40))
    assert rec["error"]["stage"] == "llm"
    assert "too long" in rec["error"]["message"]
    assert fake.requests == []


def test_an_exceeds_context_answer_is_not_retried() -> None:
    """A real loopback endpoint that says the request does not fit: one attempt, a clear error."""
    too_long = Reply(400, {"error": {"message": "ValueError: Requested tokens (8619) exceed context window of 8192",
                                     "code": "context_length_exceeded"}})
    with ScriptedServer(default=too_long, get=Reply(200, {"object": "list", "data": []})) as srv:
        backend = OpenAICompatBackend(base_url=srv.base_url, api_key=None,
                                      model="m", transport_retries=4, backoff_base_s=0.01)
        ex = Extractor(backend, load_prompt("extract-v9"), load_schema("record.v1"))
        rec = ex.run(Article(id="a", text="Аким встретился с китайской компанией.", language="ru"))
    assert len(srv.requests) == 1
    assert rec["error"]["type"] == "ExtractionError"
    assert "not retried" in rec["error"]["message"]


def test_exceeds_context_is_not_transient() -> None:
    import httpx
    import openai

    req = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    resp = httpx.Response(500, request=req, json={"error": {"message": "Requested tokens exceed context window"}})
    e = openai.InternalServerError("Requested tokens (9000) exceed context window of 8192", response=resp, body=None)
    assert exceeds_context(e)
    assert not is_transient(e)


@pytest.mark.parametrize("text", ["", "Короткий текст."])
def test_tiny_articles_are_one_window(text: str) -> None:
    a = analyse(Article(id="t", text=text, language="ru"), 2)
    assert len(windows(a, Budget(), 100, lambda: 100)) == 1


def test_the_items_of_a_digest_are_read_in_windows_of_their_own() -> None:
    """A page of items apart by blank lines: a window that holds enough ends where an item ends,
    and the next starts with the next item, so no window mixes two items' parties."""
    items = [STORY.format(n=i + 1, name=NAMES[i]) + " " + STORY.format(n=i + 1, name=NAMES[i]) for i in range(6)]
    text = "\n\n".join(items)
    a = analyse(Article(id="d", text=text, language="ru"), 2)
    starts = {s.n for s in a.sentences if text.count("\n", 0, s.start) and text[:s.start].endswith("\n\n")}
    ws = windows(a, Budget(context=8192, window=600), 10**6, lambda: 1500)
    assert len(ws) > 1
    for w in ws[1:]:
        assert w.first in starts  # every window after the first opens an item
    joined = windows(analyse(Article(id="d", text=text.replace("\n\n", "\n"), language="ru"), 2),
                     Budget(context=8192, window=600), 10**6, lambda: 1500)
    assert any(w.first not in starts for w in joined[1:])  # without blank lines, windows cut where they fill


def test_a_60000_character_page_gives_a_valid_record_with_its_events_cut_to_the_schemas_bound() -> None:
    """Every window of a 60,000-character page answers with an event: the record still validates
    (record.v1 holds at most 8 events), and provenance says what was cut."""
    from pipeline.methods.choose.assemble import MAX_EVENTS

    items = [STORY.format(n=i + 1, name=NAMES[i % len(NAMES)] + f" {i}") for i in range(200)]
    text = "\n\n".join(items)[:60_000]
    article = Article(id="long", text=text, published="2026-04-01", language="ru")
    prompt = load_prompt("extract-v9")
    a = analyse(article, prompt.splitter)
    kz = next(c.id for c in a.candidates if c.en.startswith("Pavlodar"))

    def answer(req: LLMRequest) -> dict[str, Any]:
        shown = req.messages[-1]["content"]
        first = int(shown.split("\n[", 1)[1].split("]", 1)[0]) if "\n[" in shown else 1
        cn = next(c.id for c in a.candidates if c.kind == "company" and first in c.sentences
                  or c.kind == "company" and first + 1 in c.sentences)
        return {"events": [{"sentences": [first], "type": "signing", "kz": [kz], "cn": [cn], "amounts": [],
                            "document": "memorandum", "status": "agreed"}]}

    fake = FakeBackend(default=answer)
    # one occasion of the same people in every item: the same-occasion rule left out, every event stays
    rec = Extractor(fake, prompt, load_schema("record.v1"), budget=Budget(),
                    without=frozenset({"same_occasion_merged"})).run(article)
    assert "error" not in rec, rec.get("error")
    assert len(fake.requests) > MAX_EVENTS
    assert len(rec["events"]) == MAX_EVENTS
    assert any(c["rule"] == "schema_limits" and c["target"] == "events" for c in rec["provenance"]["checks"])
