"""Inputs that are not local paths (pipeline.remote): URIs through pyarrow's filesystems, bytes read ahead."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from pipeline.errors import InputError
from pipeline.ingest import InputFailure, iter_inputs, read_article
from pipeline.remote import FileBytes, RemoteFile, as_uri, expand_uris

RU = "Аким области провел встречу с делегацией китайской компании и обсудил строительство завода в регионе."
KK = "Облыс әкімі Қытай компаниясының делегациясымен кездесіп, өңірде зауыт салу мәселесін талқылады."


def _tree(d: Path) -> Path:
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(RU, "utf-8")
    (d / "sub" / "a.txt").write_text(KK, "utf-8")  # the same stem, another folder: sub/a
    (d / "empty.txt").write_bytes(b"")
    (d / "feed.jsonl").write_text(json.dumps({"id": "j1", "text": KK, "date": "2025-03-04"}, ensure_ascii=False)
                                  + "\n{broken\n", "utf-8")
    (d / "notes.csv").write_text("not an input", "utf-8")
    return d


def _key(item: Any) -> tuple[Any, ...]:
    if isinstance(item, InputFailure):
        return (item.id, str(item.error))
    return (item.id, item.text, item.title, item.published, item.language)


def test_as_uri() -> None:
    assert as_uri("s3://bucket/key.txt") == "s3://bucket/key.txt"
    assert as_uri(Path("s3://bucket/dir")) == "s3://bucket/dir"  # a Path folds the slashes; the scheme survives
    assert as_uri(Path("file:///tmp/x")) == "file:///tmp/x" and as_uri("file:/tmp/x") == "file:///tmp/x"
    assert as_uri("hdfs://namenode:8020/news") == "hdfs://namenode:8020/news"
    assert as_uri("/tmp/a.txt") is None and as_uri("relative/a.txt") is None and as_uri("C:/x") is None


def test_a_file_uri_reads_through_pyarrow_as_the_local_path_does(tmp_path: Path) -> None:
    d = _tree(tmp_path / "in")
    local = list(iter_inputs([d]))
    files = expand_uris([Path(f"file://{d}")])
    assert [str(f) for f in files] == [f"file://{d}/{n}" for n in ("a.txt", "empty.txt", "feed.jsonl", "sub/a.txt")]
    by_uri = list(iter_inputs(files))
    assert [_key(i) for i in by_uri] == [_key(i) for i in local]  # the same ids, texts, dates, errors
    assert cast(Any, by_uri[0]).source == f"file://{d}/a.txt"
    one = list(iter_inputs(expand_uris([Path(f"file://{d}/feed.jsonl")])))
    assert [i.id for i in one] == ["j1", "feed:2"] and cast(Any, one[0]).published == "2025-03-04"


def test_unreadable_and_missing_uris(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        expand_uris([Path(f"file://{tmp_path}/nope")])
    with pytest.raises(InputError, match="cannot open"):
        expand_uris([Path("nosuchscheme://x/y")])
    gone = RemoteFile(f"file://{tmp_path}/gone.txt")
    with pytest.raises(InputError, match="cannot read"):
        read_article(cast(Path, gone), "gone")


def test_bytes_read_ahead_give_the_same_article(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(RU, "utf-8")
    ahead = read_article(cast(Path, FileBytes(str(f), f.read_bytes())), "a")
    f.unlink()  # no longer needed
    assert ahead.text == RU and ahead.source == str(f) and ahead.language == "ru"
