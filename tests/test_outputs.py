"""Outputs: nothing that is not coopex's is touched, no input is written over, and an output
that cannot be written is a one-line error (exit 2), never a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.extract import Extractor
from pipeline.ingest.articles import make_article
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

from .conftest import RU, event, fake_factory, one_line_error, write_articles

runner = CliRunner()


def invoke(fake: FakeBackend, settings: Settings, args: list[str]):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, obj={"settings": settings, "backend_factory": fake_factory(fake)})


def test_batch_refuses_an_existing_file_that_is_not_coopex_output(fake: FakeBackend, settings: Settings,
                                                                   tmp_path: Path) -> None:
    fake.default = {"events": [event()]}
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\nbuy milk\n", "utf-8")
    r = invoke(fake, settings, ["batch", str(write_articles(tmp_path / "in")), "-o", str(notes)])
    msg = one_line_error(r)
    assert "not coopex batch output" in msg and "line 1" in msg
    assert notes.read_text("utf-8") == "my notes\nbuy milk\n"  # untouched
    assert fake.requests == [] and not list(tmp_path.glob("notes.txt.*"))
    # coopex lines followed by a line of someone else's: refused too, nothing changed
    out = tmp_path / "out.jsonl"
    assert invoke(fake, settings, ["batch", str(tmp_path / "in"), "-o", str(out)]).exit_code == 0
    before = out.read_bytes() + b"a line I added\n"
    out.write_bytes(before)
    msg = one_line_error(invoke(fake, settings, ["batch", str(tmp_path / "in"), "-o", str(out), "--retry-errors"]))
    assert "line 3" in msg and out.read_bytes() == before


def test_batch_output_with_a_torn_last_line_is_still_ours(fake: FakeBackend, settings: Settings,
                                                          tmp_path: Path) -> None:
    fake.default = {"events": []}
    out = tmp_path / "out.jsonl"
    assert invoke(fake, settings, ["batch", str(write_articles(tmp_path / "in")), "-o", str(out)]).exit_code == 0
    out.write_bytes(out.read_bytes()[:-15])  # a crash mid-line
    r = invoke(fake, settings, ["batch", str(tmp_path / "in"), "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["skipped"] == 1 and len(out.read_text("utf-8").splitlines()) == 2


def test_batch_refuses_an_output_that_is_one_of_its_inputs(fake: FakeBackend, settings: Settings,
                                                          tmp_path: Path) -> None:
    fake.default = {"events": []}
    arts = tmp_path / "arts.jsonl"
    arts.write_text("".join(json.dumps({"id": f"x{i}", "text": RU.format(n=i)}, ensure_ascii=False) + "\n"
                            for i in range(3)), "utf-8")
    before = arts.read_bytes()
    msg = one_line_error(invoke(fake, settings, ["batch", str(arts), "-o", str(arts)]))
    assert "one of the inputs" in msg and arts.read_bytes() == before
    link = tmp_path / "link.jsonl"
    link.symlink_to(arts)
    assert "one of the inputs" in one_line_error(invoke(fake, settings, ["batch", str(arts), "-o", str(link)]))
    assert arts.read_bytes() == before and fake.requests == []


def test_an_output_inside_an_input_folder_is_not_read_as_input(fake: FakeBackend, settings: Settings,
                                                               tmp_path: Path) -> None:
    fake.default = {"events": []}
    d = write_articles(tmp_path / "in", 3)
    out = d / "events.jsonl"
    r = invoke(fake, settings, ["batch", str(d), "-o", str(out), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] == 3
    r = invoke(fake, settings, ["batch", str(d), "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["total"] == 3 and json.loads(r.stdout)["skipped"] == 3


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder made read-only: by its mode, or (for root, whom modes do not stop) immutable."""
    folder.chmod(0o555)
    immutable = False
    try:
        probe = folder / ".probe"
        try:
            probe.write_text("x")
            probe.unlink()
            writable = True
        except OSError:
            writable = False
        if writable:
            immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
            if not immutable:
                pytest.skip("cannot make a folder read-only here")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


@pytest.fixture
def inputs(fake: FakeBackend, tmp_path: Path) -> Path:
    """Two articles in tmp/in, and a backend that finds no event in them."""
    fake.default = {"events": []}
    return write_articles(tmp_path / "in")


def test_output_into_a_read_only_folder_is_a_one_line_error(fake: FakeBackend, settings: Settings,
                                                            tmp_path: Path, inputs: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    with read_only(ro):
        for args in (["batch", str(inputs), "-o", str(ro / "out.jsonl")],
                     ["batch", str(inputs), "-o", str(ro / "sub" / "out.jsonl")]):
            msg = one_line_error(invoke(fake, settings, args))
            assert "cannot write" in msg
    assert fake.requests == [] and list(ro.iterdir()) == []


def test_output_naming_a_folder_or_under_a_file_is_a_one_line_error(fake: FakeBackend, settings: Settings,
                                                                    tmp_path: Path, inputs: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    assert "is a folder" in one_line_error(invoke(fake, settings, ["batch", str(inputs), "-o", str(folder)]))
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    assert "cannot write" in one_line_error(invoke(fake, settings, ["batch", str(inputs), "-o", str(afile / "o.jsonl")]))
    assert afile.read_text() == "keep me" and fake.requests == []


def real_record(article_id: str = "a", **over: object) -> dict:  # type: ignore[type-arg]
    """A record as `coopex batch` writes it (the scripted backend's answer, the real pipeline)."""
    fake = FakeBackend(default={"events": [event(evidence=["Роман Скляр"], **over)]})
    ex = Extractor(fake, load_prompt("extract-v1"), load_schema("record.v1"))
    text = "Роман Скляр встретился с Ван Хао в Ханчжоу. Стороны обсудили сотрудничество в машиностроении."
    return ex.run(make_article(article_id, text, published="2025-12-27"))


def _records(tmp_path: Path) -> Path:
    rec = real_record()
    assert "error" not in rec
    src = tmp_path / "records.jsonl"
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", "utf-8")
    return src


def test_merge_refuses_its_input_and_foreign_files(tmp_path: Path) -> None:
    src = _records(tmp_path)
    before = src.read_bytes()
    r = runner.invoke(app, ["merge", str(src), "-o", str(src)])
    assert "one of the inputs" in one_line_error(r) and src.read_bytes() == before
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    assert "not coopex merge output" in one_line_error(runner.invoke(app, ["merge", str(src), "-o", str(notes)]))
    assert notes.read_text() == "mine\n"
    assert "is a folder" in one_line_error(runner.invoke(app, ["merge", str(src), "-o", str(tmp_path)]))
    out = tmp_path / "merged.jsonl"
    for _ in range(2):  # its own output is replaced
        assert runner.invoke(app, ["merge", str(src), "-o", str(out)]).exit_code == 0
    assert len(out.read_text("utf-8").splitlines()) == 1
    assert not [p for p in tmp_path.iterdir() if "coopex-tmp" in p.name]


@pytest.mark.parametrize("command,name", [("export", "events.csv"), ("report", "report.md")])
def test_export_and_report_replace_only_their_own_files(tmp_path: Path, command: str, name: str) -> None:
    src = _records(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    (out / name).write_text("my own file with the same name\n")
    r = runner.invoke(app, [command, str(src), "-o", str(out)])
    assert "not coopex output" in one_line_error(r)
    assert (out / name).read_text() == "my own file with the same name\n"
    (out / name).unlink()
    for _ in range(2):  # a second run replaces what the first wrote
        r = runner.invoke(app, [command, str(src), "-o", str(out)])
        assert r.exit_code == 0, r.output
    assert (out / "mine.txt").read_text() == "keep"
    (out / name).write_text((out / name).read_text("utf-8") + "my note\n", "utf-8")  # edited by hand since
    assert "changed since coopex wrote it" in one_line_error(runner.invoke(app, [command, str(src), "-o", str(out)]))
    assert (out / name).read_text("utf-8").endswith("my note\n")
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert "is a file" in one_line_error(runner.invoke(app, [command, str(src), "-o", str(afile)]))
    assert not [p for p in out.iterdir() if "coopex-tmp" in p.name]


def test_folders_written_before_manifests_are_recognised(tmp_path: Path) -> None:
    src = _records(tmp_path)
    out = tmp_path / "tables"
    assert runner.invoke(app, ["export", str(src), "-o", str(out)]).exit_code == 0
    os.unlink(out / ".coopex-manifest.json")  # as an older coopex left it
    r = runner.invoke(app, ["export", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output


def test_files_written_beside_and_renamed_get_the_usual_mode(tmp_path: Path) -> None:
    src = _records(tmp_path)
    mask = os.umask(0o022)
    try:
        assert runner.invoke(app, ["merge", str(src), "-o", str(tmp_path / "m.jsonl")]).exit_code == 0
        assert runner.invoke(app, ["export", str(src), "-o", str(tmp_path / "t"), "--format", "csv"]).exit_code == 0
    finally:
        os.umask(mask)
    assert (tmp_path / "m.jsonl").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "t" / "events.csv").stat().st_mode & 0o777 == 0o644
    (tmp_path / "m.jsonl").chmod(0o640)  # a replaced file keeps its own mode
    assert runner.invoke(app, ["merge", str(src), "-o", str(tmp_path / "m.jsonl")]).exit_code == 0
    assert (tmp_path / "m.jsonl").stat().st_mode & 0o777 == 0o640


def test_a_large_binary_file_as_output_is_refused_without_reading_it_whole(fake: FakeBackend, settings: Settings,
                                                                           tmp_path: Path) -> None:
    big = tmp_path / "disk.img"
    with big.open("wb") as fh:
        fh.truncate(80 << 20)  # 80 MiB of zero bytes, no newline (sparse)
    msg = one_line_error(invoke(fake, settings, ["batch", str(write_articles(tmp_path / "in")), "-o", str(big)]))
    assert "not coopex batch output" in msg and big.stat().st_size == 80 << 20


def test_a_one_line_file_without_a_final_newline_is_not_overwritten(fake: FakeBackend, settings: Settings,
                                                                    tmp_path: Path) -> None:
    """`printf '{"db_password":"x"}' > config.json; coopex batch art/ -o config.json` (and merge):
    a file whose only line is unterminated is not coopex's: refused, untouched."""
    fake.default = {"events": [event()]}
    config = tmp_path / "config.json"
    for content in (b'{"db_password":"x"}', b"just one line", b"\n\n" + b'{"db_password":"x"}'):
        config.write_bytes(content)
        msg = one_line_error(invoke(fake, settings, ["batch", str(write_articles(tmp_path / "in")), "-o", str(config)]))
        assert "not coopex batch output" in msg
        assert config.read_bytes() == content and not list(tmp_path.glob("config.json.*"))
    assert fake.requests == []
    out = tmp_path / "out.jsonl"
    assert invoke(fake, settings, ["batch", str(tmp_path / "in"), "-o", str(out)]).exit_code == 0
    config.write_bytes(b'{"db_password":"x"}')
    msg = one_line_error(invoke(fake, settings, ["merge", str(out), "-o", str(config)]))
    assert "not coopex merge output" in msg and config.read_bytes() == b'{"db_password":"x"}'
    # a torn last line after a complete coopex line is still coopex's (a crash mid-write)
    merged = tmp_path / "merged.jsonl"
    assert invoke(fake, settings, ["merge", str(out), "-o", str(merged)]).exit_code == 0
    merged.write_bytes(merged.read_bytes() + b'{"event_id": "evt-torn", "sour')
    assert invoke(fake, settings, ["merge", str(out), "-o", str(merged)]).exit_code == 0
    # a batch output whose only line is torn is refused too: nothing proves it is coopex's
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(out.read_bytes().split(b"\n")[0][:-10])
    assert "line 1 is not a coopex line" in one_line_error(
        invoke(fake, settings, ["batch", str(tmp_path / "in"), "-o", str(torn)]))


def test_a_file_uri_naming_the_output_is_refused(fake: FakeBackend, settings: Settings, tmp_path: Path,
                                                inputs: Path) -> None:
    """`coopex batch file:///.../out.jsonl -o out.jsonl` is refused as the path is; a file:// folder
    holding the output does not read the output as an input."""
    out = inputs / "out.jsonl"
    r = invoke(fake, settings, ["batch", f"file://{inputs}", "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["total"] == 2
    before = out.read_bytes()
    for uri in (f"file://{out}", f"file:{out}", f"file://{tmp_path}/in/../in/out.jsonl"):
        msg = one_line_error(invoke(fake, settings, ["batch", uri, "-o", str(out)]))
        assert "one of the inputs" in msg and out.read_bytes() == before
    # the folder again, by URI: the output inside it is not an input (no error records appended)
    r = invoke(fake, settings, ["batch", f"file://{inputs}", "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert (json.loads(r.stdout)["total"], json.loads(r.stdout)["skipped"]) == (2, 2)
    assert out.read_bytes() == before


def test_outputs_named_through_a_link_are_written_where_it_points(fake: FakeBackend, settings: Settings,
                                                                 tmp_path: Path) -> None:
    fake.default = {"events": [event()]}
    out = tmp_path / "out.jsonl"
    assert invoke(fake, settings, ["batch", str(write_articles(tmp_path / "in")), "-o", str(out)]).exit_code == 0
    real = tmp_path / "data" / "merged.jsonl"
    real.parent.mkdir()
    link = tmp_path / "merged.jsonl"
    link.symlink_to(real)
    for _ in range(2):  # a new file, then coopex's own replaced
        r = invoke(fake, settings, ["merge", str(out), "-o", str(link)])
        assert r.exit_code == 0, r.output
        assert link.is_symlink() and real.is_file() and real.read_text("utf-8").count("\n") >= 1
    # -o as a URI is refused, never made into a folder named "file:"
    msg = one_line_error(invoke(fake, settings, ["batch", str(tmp_path / "in"), "-o", f"file://{tmp_path}/x.jsonl"]))
    assert "is a URI" in msg and str(tmp_path / "x.jsonl") in msg
    assert not (Path.cwd() / "file:").exists()
