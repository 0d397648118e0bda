from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest

from pipeline.batch import output_lock, repair_and_read, run_batch
from pipeline.errors import BackendError, OutputLockedError
from pipeline.extract import Extractor
from pipeline.ingest import iter_inputs
from pipeline.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

from .conftest import event

RU = "Аким области провел встречу с делегацией китайской компании номер {n} и обсудил строительство завода."


def write_corpus(d: Path, n: int) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (d / f"art{i:03d}.txt").write_text(RU.format(n=i), encoding="utf-8")
    return d


def extractor(fake: FakeBackend) -> Extractor:
    return Extractor(fake, load_prompt("extract-v1"), load_schema("record.v1"), None)


def lines(p: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in p.read_text().splitlines()]


def test_every_input_once_bad_ones_as_error_records(tmp_path: Path) -> None:
    d = write_corpus(tmp_path / "in", 5)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 10)
    fake = FakeBackend(default={"events": [event()]})
    fake.enqueue({"events": []}, BackendError("down", attempts=5))
    out = tmp_path / "out.jsonl"
    s = run_batch(iter_inputs([d]), extractor(fake), out)
    recs = lines(out)
    assert sorted(r["article_id"] for r in recs) == sorted(["binary", "empty"] + [f"art{i:03d}" for i in range(5)])
    errors = {r["article_id"]: r["error"]["stage"] for r in recs if "error" in r}
    assert errors["binary"] == "ingest" and errors["empty"] == "ingest"
    assert list(errors.values()).count("llm") == 1
    assert (s.total, s.done, s.failed, s.events) == (7, 4, 3, 3)
    for r in recs:
        load_schema("error.v1" if "error" in r else "record.v1").validate(r)


def test_rerun_resumes_and_writes_nothing_twice(tmp_path: Path) -> None:
    d = write_corpus(tmp_path / "in", 4)
    out = tmp_path / "out.jsonl"
    fake = FakeBackend(default={"events": []})
    run_batch(iter_inputs([d]), extractor(fake), out)
    write_corpus(d, 6)
    s = run_batch(iter_inputs([d]), extractor(fake), out)
    assert (s.skipped, s.done) == (4, 2)
    assert len(fake.requests) == 6
    ids = [r["article_id"] for r in lines(out)]
    assert len(ids) == len(set(ids)) == 6


def test_partial_last_line_from_a_crash_is_cut_and_redone(tmp_path: Path) -> None:
    d = write_corpus(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    fake = FakeBackend(default={"events": []})
    run_batch(iter_inputs([d]), extractor(fake), out)
    data = out.read_bytes()
    out.write_bytes(data[: len(data) - 20])  # the last line torn mid-write
    s = run_batch(iter_inputs([d]), extractor(fake), out)
    assert (s.skipped, s.done) == (2, 1)
    assert [r["article_id"] for r in lines(out)] == ["art000", "art001", "art002"]


def test_retry_errors_replaces_error_records(tmp_path: Path) -> None:
    d = write_corpus(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    fake = FakeBackend(default={"events": []})
    fake.enqueue(BackendError("down"))
    run_batch(iter_inputs([d]), extractor(fake), out)
    assert sum("error" in r for r in lines(out)) == 1
    s = run_batch(iter_inputs([d]), extractor(fake), out, retry_errors=True)
    assert s.done == 1 and s.skipped == 1
    assert [("error" in r) for r in lines(out)] == [False, False]


def test_concurrency_keeps_every_article_once(tmp_path: Path) -> None:
    d = write_corpus(tmp_path / "in", 40)

    def slow(_req):  # type: ignore[no-untyped-def]
        time.sleep(0.01)
        return {"events": [event()]}

    fake = FakeBackend(default=slow)
    out = tmp_path / "out.jsonl"
    s = run_batch(iter_inputs([d]), extractor(fake), out, concurrency=8)
    ids = [r["article_id"] for r in lines(out)]
    assert len(ids) == len(set(ids)) == 40 == s.done


def _hold_lock(path: str, ready: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    with output_lock(Path(path)):
        ready.set()
        release.wait(10)


def test_second_run_on_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    p = multiprocessing.Process(target=_hold_lock, args=(str(out), ready, release))
    p.start()
    try:
        assert ready.wait(10)
        with pytest.raises(OutputLockedError, match="another coopex run"):
            run_batch([], extractor(FakeBackend()), out)
    finally:
        release.set()
        p.join(10)
    run_batch([], extractor(FakeBackend()), out)  # free again


def test_unreadable_and_duplicate_lines_are_dropped(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"article_id": "a", "events": []}\nnot json\n{"article_id": "a", "events": []}\n')
    ids, cut = repair_and_read(out)
    assert ids == {"a"} and cut == 2
    assert out.read_text().count("\n") == 1
