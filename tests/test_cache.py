from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pipeline.cache import ResultCache, cache_key

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
