"""Finding inputs apart from reading them (ingest.plan_inputs / load_source), and URIs through pyarrow."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pipeline.ingest import InputFailure, as_uri, iter_inputs, load_source, plan_inputs

RU = "Аким области провел встречу с делегацией китайской компании и обсудил строительство завода в регионе."
KK = "Облыс әкімі Қытай компаниясының делегациясымен кездесіп, өңірде зауыт салу мәселесін талқылады."


def _tree(d: Path) -> Path:
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(RU, "utf-8")
    (d / "sub" / "a.txt").write_text(KK, "utf-8")  # same stem: a~2
    (d / "empty.txt").write_bytes(b"")
    (d / "feed.jsonl").write_text(json.dumps({"id": "j1", "text": KK, "date": "2025-03-04"}, ensure_ascii=False)
                                  + "\n{broken\n", "utf-8")
    (d / "notes.csv").write_text("not an input", "utf-8")
    return d


def _key(item: object) -> tuple[object, ...]:
    if isinstance(item, InputFailure):
        return (item.id, item.source, str(item.error))
    return (item.id, item.source, item.text, item.title, item.published, item.language)  # type: ignore[attr-defined]


def test_as_uri() -> None:
    assert as_uri("s3://bucket/key.txt") == "s3://bucket/key.txt"
    assert as_uri(Path("s3://bucket/dir")) == "s3://bucket/dir"  # a Path folds the slashes; the scheme survives
    assert as_uri(Path("file:///tmp/x")) == "file:///tmp/x" and as_uri("file:/tmp/x") == "file:///tmp/x"
    assert as_uri("hdfs://namenode:8020/news") == "hdfs://namenode:8020/news"
    assert as_uri("/tmp/a.txt") is None and as_uri("relative/a.txt") is None and as_uri("C:/x") is None


def test_plan_reads_only_jsonl_and_load_gives_what_iter_inputs_gives(tmp_path: Path) -> None:
    d = _tree(tmp_path / "in")
    plan = list(plan_inputs([d]))
    assert [s.id for s in plan] == ["a", "empty", "j1", "feed:2", "a~2"]
    assert [s.fields is not None for s in plan] == [False, False, True, False, False]
    assert all(s.data is None for s in plan)  # plain files are not read by the plan
    loaded = [load_source(s) for s in plan]
    assert [_key(i) for i in loaded] == [_key(i) for i in iter_inputs([d])]
    (d / "a.txt").unlink()  # read only when loaded
    gone = load_source(plan[0])
    assert isinstance(gone, InputFailure) and "cannot read" in str(gone.error)
    # bytes read ahead (batch --ray on the driver) are used instead of the file
    again = load_source(replace(plan[0], data=RU.encode()))
    assert not isinstance(again, InputFailure) and again.text == RU and again.source == str(d / "a.txt")


def test_a_file_uri_reads_through_pyarrow_like_the_local_path(tmp_path: Path) -> None:
    d = _tree(tmp_path / "in")
    local = list(iter_inputs([d]))
    by_uri = list(iter_inputs([Path(f"file://{d}")]))
    assert [i.id for i in by_uri] == [i.id for i in local]
    assert [_key(i)[2:] for i in by_uri] == [_key(i)[2:] for i in local]  # all but the source
    art = by_uri[0]
    assert not isinstance(art, InputFailure) and art.source == f"file://{d}/a.txt"
    assert isinstance(by_uri[1], InputFailure) and "empty input" in str(by_uri[1].error)
    one = list(iter_inputs([Path(f"file://{d}/feed.jsonl")]))
    assert [i.id for i in one] == ["j1", "feed:2"] and one[0].published == "2025-03-04"  # type: ignore[union-attr]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    d = _tree(tmp_path / "in")
    assert [s.id for s in plan_inputs([d, d / "a.txt"])] == ["a", "empty", "j1", "feed:2", "a~2"]
