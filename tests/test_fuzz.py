"""Fuzzing ingest and the CLI's inputs: random bytes, encodings, sizes and .jsonl shapes never raise
an uncaught exception, never lose an input line, and never write outside -o."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.core.errors import InputError
from pipeline.ingest.articles import Article, InputFailure, decode, iter_inputs, make_article
from pipeline.testing import FakeBackend

from .conftest import fake_factory

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8-r", "gb18030", "latin-1"]
SENTENCE = "Аким области встретился с делегацией китайской компании и обсудил строительство завода. "
BLANK = b" \t\r\x0b\x0c"

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.builds(
    lambda n, extra: SENTENCE * n + extra, st.integers(1, 40), st.text(max_size=50))


def json_values(depth: int = 2) -> st.SearchStrategy[Any]:
    return st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                        max_leaves=depth * 3)


article_objects = st.fixed_dictionaries(
    {"text": texts},
    optional={"id": st.one_of(st.text(max_size=400), st.integers(), st.none(), json_values()),
              "title": json_values(), "url": json_values(), "date": json_values()})

jsonl_lines = st.one_of(
    article_objects.map(lambda o: json.dumps(o, ensure_ascii=False).encode("utf-8")),
    article_objects.map(lambda o: json.dumps({**o, "text": o["text"] + "\ud83d"}).encode("ascii")),  # a lone surrogate
    json_values().map(lambda v: json.dumps(v).encode()),  # JSON, but not an article
    st.binary(max_size=200).map(lambda b: b.replace(b"\n", b" ").replace(b"\x00", b" ")),  # not JSON, maybe not UTF-8
    st.just(b"   "), st.just(b"\xef\xbb\xbf{\"text\": \"x\"}"),
)


def nonblank(data: bytes) -> int:
    """Non-blank lines; a UTF-8 byte-order mark opening the file marks its encoding and is no text."""
    return sum(1 for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n") if line.strip(BLANK))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_are_an_article_or_an_input_error(data: bytes) -> None:
    try:
        d = decode(data)
    except InputError:
        return
    try:
        art = make_article("x", d.text, warnings=d.warnings)
    except InputError:
        return
    art.text.encode("utf-8")  # always valid Unicode


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(ENCODINGS))
def test_any_text_in_any_encoding_reads_back_or_gets_an_input_error(text: str, codec: str) -> None:
    data = text.encode(codec, errors="ignore")
    try:
        d = decode(data)
    except InputError:
        return
    d.text.encode("utf-8")
    clean = text.encode(codec, errors="ignore").decode(codec)
    if codec in ("utf-8", "utf-8-sig", "utf-16") and clean.strip() and "\x00" not in clean:
        assert d.text == clean.lstrip("\ufeff") or d.text == clean  # UTF-8 and BOM-marked UTF-16 read back exactly


@settings(max_examples=200, deadline=None)
@given(st.lists(jsonl_lines, max_size=12), st.sampled_from([b"\n", b"\r\n"]))
@example([b"\xfe\xff", b'{"text": ""}'], b"\n")  # starts like UTF-16 and is not: still a line each
@example([b"\xef\xbb\xbf", b'{"text": ""}'], b"\n")  # a UTF-8 mark alone on the first line: a blank line
def test_every_nonblank_jsonl_line_is_exactly_one_input(lines: list[bytes], sep: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "feed.jsonl"
        data = sep.join(lines)
        f.write_bytes(data)
        items = list(iter_inputs([f]))
    assert len(items) == max(1, nonblank(data))  # an empty file is one error record, not nothing
    ids = [it.id for it in items]
    assert len(set(ids)) == len(ids)
    for it in items:
        assert 1 <= len(it.id) <= 300 and it.id == it.id.strip()
        it.id.encode("utf-8")
        if isinstance(it, Article):
            it.text.encode("utf-8")
            assert it.title is None or isinstance(it.title, str)
            assert it.url is None or isinstance(it.url, str)
        else:
            assert isinstance(it, InputFailure) and str(it.error)


# ------------------------------------------------------------------ the command line

file_contents = st.one_of(
    st.binary(max_size=2000),
    st.tuples(texts, st.sampled_from(ENCODINGS)).map(lambda t: t[0].encode(t[1], errors="ignore")),
    st.lists(jsonl_lines, max_size=5).map(lambda ls: b"\n".join(ls)),
    st.integers(1, 1500).map(lambda n: (SENTENCE * n).encode()),  # up to about 140,000 characters
    st.just(b"<html><body><p>" + (SENTENCE * 3).encode() + b"</p><script>x</script></body></html>"),
)
files = st.lists(st.tuples(st.sampled_from([".txt", ".md", ".html", ".jsonl", ".bin", ""]), file_contents),
                 min_size=1, max_size=6)


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files, st.sampled_from([1, 3]))
def test_batch_over_random_inputs_loses_nothing_and_writes_only_its_output(specs: list[tuple[str, bytes]],
                                                                          concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = root / "in"
        inputs.mkdir()
        for i, (suffix, data) in enumerate(specs):
            (inputs / f"f{i}{suffix}").write_bytes(data)
        expected = [it.id for it in iter_inputs([inputs])]
        before = tree(root)
        out = root / "out" / "events.jsonl"
        fake = FakeBackend(default={"events": []})
        s = Settings(cache_dir=root / "cache", model_dir=root / "models", prompt_id="extract-v1", use_cache=False)
        r = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(out), "-j", str(concurrency), "--json"],
                               obj={"settings": s, "backend_factory": fake_factory(fake)})
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        if not expected:
            assert r.exit_code == 2 and "no articles found" in r.stderr
            return
        assert r.exit_code in (0, 1), r.output
        lines = out.read_bytes().decode("utf-8").splitlines()
        recs = [json.loads(x) for x in lines]
        assert sorted(x["article_id"] for x in recs) == sorted(expected)  # every input once, nothing lost
        assert json.loads(r.stdout)["total"] == len(expected)
        after = tree(root)
        new = set(after) - set(before)
        assert new <= {"out", "out/events.jsonl", "out/events.jsonl.lock"}, new  # nothing written elsewhere
        assert {k: v for k, v in after.items() if k in before} == before  # no input touched


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_extract_from_stdin_never_raises(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(cache_dir=Path(tmp) / "cache", model_dir=Path(tmp) / "models", prompt_id="extract-v1")
        r = CliRunner().invoke(app, ["extract", "-", "--json"], input=data,
                               obj={"settings": s, "backend_factory": fake_factory(FakeBackend(default={"events": []}))})
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 1)
    rec = json.loads(r.stdout)
    assert rec["article_id"] == "stdin"
