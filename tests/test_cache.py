from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.cache import ResultCache, cache_key

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_key_is_independent_of_dict_order(parts: dict[str, Any]) -> None:
    reordered = dict(reversed(list(parts.items())))
    assert cache_key(parts) == cache_key(reordered)


@given(st.text(max_size=20), st.text(max_size=20))
def test_distinct_prompt_versions_never_share_a_key(a: str, b: str) -> None:
    if a != b:
        assert cache_key({"prompt": [a, "h"]}) != cache_key({"prompt": [b, "h"]})


def test_round_trip_and_clear(tmp_path: Path) -> None:
    c = ResultCache(tmp_path)
    c.set("k", {"data": {"events": []}, "usage": []})
    assert c.get("k") == {"data": {"events": []}, "usage": []}
    assert c.info()["entries"] == 1
    assert c.clear() == 1
    assert c.get("k") is None


def test_damaged_entry_is_dropped_not_read(tmp_path: Path) -> None:
    c = ResultCache(tmp_path)
    c.set("k", {"data": {"events": [1]}})
    c._c.set("k", {"body": '{"data": {"events": [2]}}', "sha256": "0" * 64})  # body no longer matches
    assert c.get("k") is None
    assert "k" not in c._c
    c._c.set("k2", "garbage")
    assert c.get("k2") is None
    c.close()


def test_truncated_cache_database_is_reported_or_rebuilt(tmp_path: Path) -> None:
    c = ResultCache(tmp_path)
    c.set("k", {"data": {}})
    c.close()
    db = tmp_path / "cache.db"
    db.write_bytes(db.read_bytes()[:100])  # torn file
    try:
        c2 = ResultCache(tmp_path)
    except sqlite3.DatabaseError:
        return  # reported: the user is told the cache is damaged
    assert c2.get("k") is None  # or rebuilt: never good data from a torn file


def _garble(directory: Path) -> None:
    """The database and its write-ahead log overwritten while a run has them open."""
    for name in ("cache.db", "cache.db-wal"):
        f = directory / name
        if f.exists():
            f.write_bytes(b"this is not a database page " * 400)


def test_cache_damaged_during_a_run_never_turns_an_answer_into_an_error(tmp_path: Path) -> None:
    from pipeline.extract import Extractor
    from pipeline.ingest.articles import make_article
    from pipeline.methods.prompts import load_prompt
    from pipeline.run.batch import run_batch
    from pipeline.schema import load_schema
    from pipeline.testing import FakeBackend

    from .conftest import event

    said: list[str] = []
    cache = ResultCache(tmp_path / "cache", warn=said.append)
    calls = 0

    def answer(_request: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 10:
            _garble(tmp_path / "cache")
        return {"events": [event()]}

    ex = Extractor(FakeBackend(default=answer), load_prompt("extract-v1"), load_schema("record.v1"), cache)
    arts = [make_article(f"a{i}", f"Аким области встретился с делегацией китайской компании номер {i}.")
            for i in range(80)]
    out = tmp_path / "out.jsonl"
    s = run_batch(arts, ex, out, concurrency=4)
    cache.close()
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 80 and s.failed == 0 and s.done == 80  # every valid answer is a record
    assert not any('"error"' in ln for ln in lines)
    assert cache.failures >= 1 and len(said) == 1 and "result cache" in said[0]  # said once
    # the next run skips nothing it should not: every article has its record already
    s2 = run_batch(arts, Extractor(FakeBackend(default={"events": []}), load_prompt("extract-v1"),
                                   load_schema("record.v1"), None), out)
    assert s2.skipped == 80


def test_a_cache_folder_that_cannot_be_used_is_a_config_error(tmp_path: Path) -> None:
    from pipeline.core.errors import ConfigError

    blocker = tmp_path / "home"
    blocker.write_text("a file where the cache folder should be")
    try:
        ResultCache(blocker / "results")
    except ConfigError as e:
        assert "--no-cache" in str(e)
    else:
        raise AssertionError("expected a ConfigError")


_TRUNCATE_MID_RUN = """
import sys
from pathlib import Path
from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.testing import FakeBackend
from tests.conftest import event

from contextlib import contextmanager

home = Path(sys.argv[1])
calls = 0


def answer(_request):
    global calls
    calls += 1
    if calls == 5:  # the cache database cut to zero bytes while the run has it open
        (home / "cache" / "cache.db").write_bytes(b"")
    return {"events": [event()]}


backend = FakeBackend(default=answer)


@contextmanager
def factory(_settings, _say):
    yield backend


settings = Settings(cache_dir=home / "cache", model_dir=home / "models", prompt_id="extract-v1")
app(sys.argv[2:], obj={"settings": settings, "backend_factory": factory}, prog_name="coopex")
"""


def test_cache_database_truncated_during_a_run_degrades_to_no_cache(tmp_path: Path) -> None:
    """A real run whose cache.db is cut to zero bytes mid-run, while the run reads and writes
    it: no SIGBUS (exit 135), a warning, every article in the output, exit 0."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT

    d = tmp_path / "in"
    d.mkdir()
    for i in range(120):
        (d / f"a{i:03d}.txt").write_text(
            f"Аким области встретился с делегацией китайской компании номер {i} и обсудил завод.", "utf-8")
    # a cache of some size from earlier runs: the run's lookups read its pages
    earlier = ResultCache(tmp_path / "cache")
    for i in range(4000):
        earlier.set(f"earlier-{i}", {"n": i, "note": "an answer from an earlier run " * 30})
    earlier.close()
    assert (tmp_path / "cache" / "cache.db").stat().st_size > 1_000_000
    out = tmp_path / "out.jsonl"
    p = subprocess.run([sys.executable, "-c", _TRUNCATE_MID_RUN, str(tmp_path), "batch", str(d), "-o", str(out), "--json"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    assert "result cache" in p.stderr and "without the cache" in p.stderr
    summary = json.loads(p.stdout)
    assert (summary["total"], summary["done"], summary["failed"]) == (120, 120, 0)
    recs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert sorted(r["article_id"] for r in recs) == [f"a{i:03d}" for i in range(120)]
