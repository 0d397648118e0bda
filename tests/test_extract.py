from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.cache import ResultCache
from pipeline.core.errors import BackendError, ExtractionError, InputError
from pipeline.extract import Extractor
from pipeline.ingest.articles import InputFailure, make_article, read_article
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

from .conftest import CORPUS, event

ART = "Аким области провел встречу с делегацией китайской компании. Стороны подписали меморандум о строительстве завода."


def make(fake: FakeBackend, tmp_path: Path, cache: bool = True) -> Extractor:
    return Extractor(fake, load_prompt("extract-v1"), load_schema("record.v1"),
                     ResultCache(tmp_path / "c") if cache else None)


def test_record_validates_and_carries_provenance(fake: FakeBackend, tmp_path: Path) -> None:
    quote = "Стороны подписали меморандум о строительстве завода."
    fake.enqueue({"events": [event(type="signing", evidence=[quote, "not in the text"])]})
    ex = make(fake, tmp_path)
    rec = ex.extract(make_article("a1", ART, published="2025-03-01"))
    load_schema("record.v1").validate(rec)
    p = rec["provenance"]
    assert rec["language"] == "ru" and rec["published"] == "2025-03-01"
    assert p["prompt_id"] == "extract-v1" and len(p["prompt_sha256"]) == 64
    assert p["schema_id"] == "record.v1" and p["model"] == "fake-model" and p["cached"] is False
    assert p["usage"]["attempts"] == 1 and p["usage"]["prompt_tokens"] > 0
    g = p["grounding"][0]
    assert g[0] == {"status": "exact", "start": ART.index(quote), "end": ART.index(quote) + len(quote)}
    assert g[1]["status"] == "missing"
    assert p["grounding_rate"] == 0.5


def test_article_comes_last_in_the_prompt(fake: FakeBackend, tmp_path: Path) -> None:
    fake.enqueue({"events": []})
    make(fake, tmp_path).extract(make_article("a1", ART))
    msgs = fake.requests[0].messages
    assert msgs[0]["role"] == "system" and ART in msgs[-1]["content"]
    assert all(ART not in m["content"] for m in msgs[:-1])


def test_second_run_is_served_from_cache(fake: FakeBackend, tmp_path: Path) -> None:
    fake.enqueue({"events": [event()]})
    ex = make(fake, tmp_path)
    art = make_article("a1", ART)
    first = ex.extract(art)
    second = ex.extract(art)
    assert len(fake.requests) == 1
    assert second["provenance"]["cached"] is True
    assert second["events"] == first["events"]


def test_cache_key_changes_with_everything_that_changes_the_answer(fake: FakeBackend, tmp_path: Path) -> None:
    ex = make(fake, tmp_path)
    a = make_article("a1", ART)
    k = ex.key(a)
    assert ex.key(make_article("other-id", ART)) == k  # the id does not change the answer
    assert ex.key(make_article("a1", ART + " Ещё.")) != k
    fake.model = "other-model"
    assert ex.key(a) != k
    fake.model = "fake-model"
    prompt = load_prompt("extract-v1")
    ex.prompt = type(prompt)(prompt.id, prompt.system + " ", prompt.user_template, prompt.examples, "0" * 64)
    assert ex.key(a) != k


@pytest.mark.parametrize("exc,stage", [
    (BackendError("endpoint failed after 5 attempt(s)", attempts=5), "llm"),
    (ExtractionError("no valid answer", attempts=3, last_raw='{"events": [', usage=[{"prompt_tokens": 10, "completion_tokens": 5}]), "llm"),
    (RuntimeError("a bug"), "internal"),
])
def test_failures_become_error_records(fake: FakeBackend, tmp_path: Path, exc: Exception, stage: str) -> None:
    fake.enqueue(exc)
    rec = make(fake, tmp_path).run(make_article("a1", ART))
    load_schema("error.v1").validate(rec)
    assert rec["article_id"] == "a1" and rec["error"]["stage"] == stage
    assert rec["error"]["message"]
    if isinstance(exc, ExtractionError):
        assert rec["error"]["attempts"] == 3 and rec["error"]["last_raw"] == '{"events": ['
        assert rec["provenance"]["usage"]["prompt_tokens"] == 10


def test_input_failure_becomes_ingest_error_record(fake: FakeBackend, tmp_path: Path) -> None:
    rec = make(fake, tmp_path).run(InputFailure("bad", InputError("empty input: the file holds no text")))
    assert rec["error"]["stage"] == "ingest" and "empty" in rec["error"]["message"]
    assert fake.requests == []


def test_invalid_scripted_answer_is_an_extraction_error(fake: FakeBackend, tmp_path: Path) -> None:
    fake.enqueue({"events": [event(type="party")]})
    rec = make(fake, tmp_path).run(read_article(CORPUS / "001_be4784d53189d83b.txt"))
    assert rec["error"]["type"] == "ExtractionError"
