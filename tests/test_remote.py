"""Inputs that are not local paths (pipeline.storage.remote): URIs through pyarrow's filesystems, bytes read ahead."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, cast

import pytest

from pipeline.core.errors import InputError
from pipeline.ingest.articles import InputFailure, iter_inputs, read_article
from pipeline.storage.remote import FileBytes, RemoteFile, as_uri, expand_uris

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


# ---------------------------------------------------------------- a remote filesystem that never answers


class Silent:
    """A TCP server on 127.0.0.1 that accepts connections and never answers: an object store
    behind a dead proxy, as pyarrow's S3 client meets it (it retries, and hangs)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def uri(self, key: str) -> str:
        return f"s3://news-bucket/{key}?endpoint_override=127.0.0.1:{self.port}&scheme=http&region=us-east-1"

    def close(self) -> None:
        for c in self.conns:
            c.close()
        self.sock.close()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COOPEX_", "AWS_"))}
    # credentials of no account, and no instance metadata: the client only ever talks to 127.0.0.1
    env.update(COOPEX_HOME=str(tmp_path / "home"), AWS_ACCESS_KEY_ID="none", AWS_SECRET_ACCESS_KEY="none",
               AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.devnull,
               AWS_SHARED_CREDENTIALS_FILE=os.devnull, OPENAI_BASE_URL="http://127.0.0.1:9/v1", **extra)
    return env


def _batch(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli.main", "batch", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _asked(srv: Silent, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and not srv.conns:
        time.sleep(0.1)
    assert srv.conns, "the listing never reached the server"


def _wait(p: subprocess.Popen[str], timeout: float) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise AssertionError(f"the run did not end within {timeout} s") from None
    return p.returncode, err, time.perf_counter() - t0


def test_a_remote_listing_that_never_answers_times_out_with_exit_2(tmp_path: Path) -> None:
    srv = Silent()
    try:
        p = _batch([srv.uri("news/"), "-o", str(tmp_path / "o.jsonl")], _env(tmp_path, COOPEX_REMOTE_TIMEOUT="3"))
        _asked(srv)  # from here on (the interpreter's start-up is not the test's business)
        code, err, took = _wait(p, 120)
    finally:
        srv.close()
    assert code == 2, err
    assert "cannot list s3://news-bucket/news/" in err and "no answer within 3 s" in err
    assert took < 20 and not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_ends_a_hung_remote_read_with_exit_130(tmp_path: Path, sig: int) -> None:
    srv = Silent()
    try:
        p = _batch([srv.uri("news/"), "-o", str(tmp_path / "o.jsonl")], _env(tmp_path))  # the default timeout
        _asked(srv)
        time.sleep(0.5)
        os.killpg(p.pid, sig)
        code, err, took = _wait(p, 20)
    finally:
        srv.close()
    assert code == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert took < 15
