from __future__ import annotations

import contextlib
import json
import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.core.errors import BackendError, OutputLockedError
from pipeline.extract import Extractor
from pipeline.ingest.articles import iter_inputs
from pipeline.methods.prompts import load_prompt
from pipeline.run.batch import output_lock, repair_and_read, run_batch
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

from .conftest import RU, event, write_articles


def write_corpus(d: Path, n: int) -> Path:
    return write_articles(d, n, "art{:03d}.txt")


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


@contextlib.contextmanager
def _locked_by_another_run(out: Path) -> Iterator[None]:
    """Another process holds the output lock of `out` for the with block."""
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    p = multiprocessing.Process(target=_hold_lock, args=(str(out), ready, release))
    p.start()
    try:
        assert ready.wait(10)
        yield
    finally:
        release.set()
        p.join(10)


def test_second_run_on_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with _locked_by_another_run(out), pytest.raises(OutputLockedError, match="another coopex run"):
        run_batch([], extractor(FakeBackend()), out)
    run_batch([], extractor(FakeBackend()), out)  # free again


def test_unreadable_and_duplicate_lines_are_dropped(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"article_id": "a", "events": []}\nnot json\n{"article_id": "a", "events": []}\n')
    ids, cut = repair_and_read(out)
    assert ids == {"a"} and cut == 2
    assert out.read_text().count("\n") == 1


def test_adding_a_file_never_changes_another_articles_id(tmp_path: Path) -> None:
    """grow/b_later/news.txt, then grow/a_new/news.txt added: the same batch again extracts the
    new article and skips the old one (ids from the path under the named folder)."""
    grow = tmp_path / "grow"
    (grow / "b_later").mkdir(parents=True)
    (grow / "b_later" / "news.txt").write_text(RU.format(n=1), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    fake = FakeBackend(default={"events": []})
    run_batch(iter_inputs([grow]), extractor(fake), out)
    assert [r["article_id"] for r in lines(out)] == ["b_later/news"]
    (grow / "a_new").mkdir()
    (grow / "a_new" / "news.txt").write_text(RU.format(n=2), encoding="utf-8")
    fake2 = FakeBackend(default={"events": []})
    s = run_batch(iter_inputs([grow]), extractor(fake2), out)
    assert (s.total, s.skipped, s.done) == (2, 1, 1)
    recs = lines(out)
    assert [r["article_id"] for r in recs] == ["b_later/news", "a_new/news"]
    assert recs[1]["provenance"]["input"]["source"] == str(grow / "a_new" / "news.txt")
    assert len(fake2.requests) == 1 and "номер 2" in repr(fake2.requests[0].messages)


def test_ids_of_a_flat_folder_are_the_stems_and_clashes_name_the_file(tmp_path: Path) -> None:
    d = write_corpus(tmp_path / "in", 3)
    assert [a.id for a in iter_inputs([d])] == ["art000", "art001", "art002"]
    assert [a.id for a in iter_inputs([d / "art001.txt"])] == ["art001"]
    # a.md put beside a.txt (and found before it): the .txt keeps its id, the .md is named in full
    (d / "art001.md").write_text(RU.format(n=9), encoding="utf-8")
    ids = {str(getattr(a, "source", "")).rsplit("/", 1)[-1]: a.id for a in iter_inputs([d])}
    assert ids == {"art000.txt": "art000", "art001.md": "art001.md", "art001.txt": "art001", "art002.txt": "art002"}
    # a .jsonl without ids: "<file id>:<line>", under a subfolder as well
    (d / "sub").mkdir()
    (d / "sub" / "feed.jsonl").write_text(json.dumps({"text": RU.format(n=5)}, ensure_ascii=False) + "\n"
                                          + json.dumps({"id": "art000", "text": RU.format(n=6)}, ensure_ascii=False)
                                          + "\n", encoding="utf-8")
    got = [a.id for a in iter_inputs([d])]
    assert got[-2:] == ["sub/feed:1", "art000~sub/feed.jsonl:2"] and len(set(got)) == len(got)


def test_a_link_to_a_running_batchs_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(out)
    with _locked_by_another_run(out), pytest.raises(OutputLockedError, match="another coopex run"):
        run_batch(iter_inputs([write_corpus(tmp_path / "in", 2)]), extractor(FakeBackend()), link)
    assert not out.exists()


def test_a_resume_through_a_link_repairs_the_file_it_names(tmp_path: Path) -> None:
    d = write_corpus(tmp_path / "in", 3)
    real = tmp_path / "data" / "out.jsonl"
    real.parent.mkdir()
    run_batch(iter_inputs([d]), extractor(FakeBackend(default={"events": []})), real)
    real.write_bytes(real.read_bytes()[:-20])  # a crash mid-line: the resume must repair
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    s = run_batch(iter_inputs([d]), extractor(FakeBackend(default={"events": []})), link)
    assert (s.skipped, s.done) == (2, 1)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert sorted(r["article_id"] for r in lines(real)) == ["art000", "art001", "art002"]
    assert not (tmp_path / "link.jsonl.lock").exists() and (tmp_path / "data" / "out.jsonl.lock").exists()


_FULL_DISK = """
import resource, signal, sys
from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.testing import FakeBackend
from tests.conftest import event, fake_factory

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
limit, home = int(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
settings = Settings(cache_dir=Path(home) / "cache", model_dir=Path(home) / "models", prompt_id="extract-v1")
app(sys.argv[3:], obj={"settings": settings,
                       "backend_factory": fake_factory(FakeBackend(default={"events": [event()]}))},
    prog_name="coopex")
"""


def test_a_full_disk_cuts_the_torn_line_and_exits_3_to_resume(tmp_path: Path) -> None:
    """The output's file system refuses more bytes part-way through a line (a file-size limit
    in a real process stands for the full disk): exit 3, the torn line is cut, the lines
    before are kept, and the same command later resumes."""
    import subprocess
    import sys

    from typer.testing import CliRunner

    from pipeline.cli.main import app
    from pipeline.core.config import Settings

    from .conftest import ROOT, event, fake_factory

    d = write_corpus(tmp_path / "in", 4)
    probe = tmp_path / "probe.jsonl"
    settings = Settings(cache_dir=tmp_path / "cache", model_dir=tmp_path / "models", prompt_id="extract-v1")
    fake = FakeBackend(default={"events": [event()]})
    runner = CliRunner()
    assert runner.invoke(app, ["batch", str(d), "-o", str(probe), "--no-cache"],
                         obj={"settings": settings, "backend_factory": fake_factory(fake)}).exit_code == 0
    first = len(probe.read_bytes().split(b"\n")[0]) + 1
    out = tmp_path / "out.jsonl"
    p = subprocess.run([sys.executable, "-c", "from pathlib import Path\n" + _FULL_DISK, str(first + first // 2),
                        str(tmp_path), "batch", str(d), "-o", str(out), "--no-cache"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 3, p.stderr
    assert "stopped part-way" in p.stderr and "resume" in p.stderr and "torn last line was cut" in p.stderr
    assert "Traceback" not in p.stderr
    data = out.read_bytes()
    assert data.endswith(b"\n") and data.count(b"\n") == 1  # the whole first line, nothing of the second
    assert json.loads(data)["article_id"] == "art000"
    r = runner.invoke(app, ["batch", str(d), "-o", str(out), "--no-cache", "--json"],
                      obj={"settings": settings, "backend_factory": fake_factory(fake)})
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["skipped"] == 1
    assert sorted(x["article_id"] for x in lines(out)) == ["art000", "art001", "art002", "art003"]
