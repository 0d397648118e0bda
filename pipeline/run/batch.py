"""Batch runs: every input once in a JSONL output, resumable, safe against crashes.

- One line per article: its record, or an error record. Each line is written
  whole and flushed to the operating system as its article finishes, so a killed
  run loses at most the articles in flight. The file is fsynced at most every
  FSYNC_EVERY_S seconds and at the end, so a power cut loses at most that last
  moment's lines, which the next run redoes.
- Re-running the same command resumes: ids already in the output are skipped.
  A partial last line left by a crash is cut off first.
- A lock file beside the output refuses a second run on the same output; for
  an output named through a symbolic link, the lock, the repair and the
  appends are on the file the link names (the link stays a link).
- A write that fails part-way (a full disk) stops the run with
  ``OutputIncompleteError`` (exit 3) after cutting the torn line it left, where
  the file system allows it; the lines before are kept for the resume.
- An output that exists and is not coopex batch output, or is one of the
  inputs, is refused before anything is written (``pipeline.storage.outputs``); the
  repair on resume writes beside the output and renames.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from pipeline.core.errors import OutputIncompleteError, OutputLockedError, OutputRefusedError
from pipeline.extract import Extractor, is_error
from pipeline.ingest.articles import Article, InputFailure
from pipeline.storage.outputs import check_batch_output, replacing


@dataclass
class BatchSummary:
    total: int = 0
    skipped: int = 0  # already in the output from an earlier run
    done: int = 0
    failed: int = 0
    events: int = 0
    cache_hits: int = 0
    warnings: int = 0  # articles read with warnings (provenance.input.warnings)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    failures: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


ProgressFn = Callable[[BatchSummary, dict[str, Any]], None]
# Extracts the pending inputs and writes each record with output.write (batch --ray: pipeline.run.ray_batch)
Runner = Callable[[list[Any], "_Output", BatchSummary, ProgressFn | None], None]


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    lock_path = out.with_name(out.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = os.fdopen(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644), "r+b")  # never truncated
    except OSError as e:
        raise OutputRefusedError(f"cannot write {out}: cannot create its lock file {lock_path} "
                                 f"({e.strerror or type(e).__name__})") from None
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise OutputLockedError(
                f"another coopex run is writing {out} (lock {lock_path}); wait for it or choose another -o"
            ) from e
        yield
    finally:
        fh.close()


def repair_and_read(out: Path, *, drop_errors: bool = False) -> tuple[set[str], int]:
    """Cut a partial last line, optionally drop error records; return (ids present, lines cut)."""
    if not out.exists():
        return set(), 0
    data = out.read_bytes()
    cut = 0
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        cut = 1
    ids: set[str] = set()
    kept: list[bytes] = []
    for line in data.splitlines(keepends=True):
        try:
            rec = json.loads(line)
            aid = rec["article_id"]
        except (ValueError, KeyError, TypeError):
            cut += 1  # an unreadable line is not kept: its article is extracted again
            continue
        if drop_errors and is_error(rec):
            cut += 1
            continue
        if aid in ids:
            cut += 1
            continue
        ids.add(aid)
        kept.append(line)
    if cut:
        with replacing(out, "wb") as f:
            f.writelines(kept)
    return ids, cut


def resolved_target(out: Path) -> Path:
    """The file ``out`` names once links are followed: two names of one file share one lock,
    and a repair renames over the file, never over the link."""
    try:
        return out.resolve()
    except OSError:  # a loop of links: left for the open to report
        return out


def cut_torn_tail(path: Path) -> bool:
    """Cut a last line with no newline (a write that failed part-way). True when the file ends
    at a line end afterwards; False when it cannot be opened or cut (the next run cuts it)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        size = end = os.fstat(fd).st_size
        while end > 0:
            step = min(end, 1 << 16)
            block = os.pread(fd, step, end - step)
            i = block.rfind(b"\n")
            if i >= 0:
                end = end - step + i + 1
                break
            end -= step
        if end < size:
            os.ftruncate(fd, end)  # frees space: allowed on a full disk
            os.fsync(fd)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


FSYNC_EVERY_S = 0.5


class _Output:
    """The output file: whole lines, flushed at once, fsynced at most every FSYNC_EVERY_S."""

    def __init__(self, fh: IO[str]):
        self.fh = fh
        self.synced = 0.0

    def write(self, record: dict[str, Any]) -> None:
        try:
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate left somewhere: escaped, never a crash
            line = json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n"
        self.fh.write(line)
        self.fh.flush()
        now = time.monotonic()
        if now - self.synced >= FSYNC_EVERY_S:
            os.fsync(self.fh.fileno())
            self.synced = now

    def sync(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())


def _account(s: BatchSummary, rec: dict[str, Any]) -> None:
    prov = rec.get("provenance", {})
    usage = prov.get("usage", {})
    if is_error(rec):
        s.failed += 1
        s.failures.append({"article_id": rec["article_id"], "stage": rec["error"]["stage"],
                           "message": rec["error"]["message"][:300]})
    else:
        s.done += 1
        s.events += len(rec["events"])
        if prov.get("input", {}).get("warnings"):
            s.warnings += 1
    if prov.get("cached"):
        s.cache_hits += 1
    else:
        s.prompt_tokens += int(usage.get("prompt_tokens", 0))
        s.completion_tokens += int(usage.get("completion_tokens", 0))


def run_batch(
    inputs: Iterable[Article | InputFailure],
    extractor: Extractor | None,
    out: Path,
    *,
    concurrency: int = 1,
    retry_errors: bool = False,
    progress: ProgressFn | None = None,
    on_start: Callable[[BatchSummary], None] | None = None,
    input_paths: Sequence[Path] = (),
    runner: Runner | None = None,
) -> BatchSummary:
    """Every input once in ``out``; ``input_paths`` (the files and folders the inputs came from)
    are never written over. ``runner`` replaces the thread pool (it gets the pending inputs,
    which need only an ``id``); without it, ``extractor`` runs each article here."""
    t0 = time.perf_counter()
    s = BatchSummary()
    check_batch_output(out, input_paths)
    target = resolved_target(out)  # a link to an output: the file it names is locked, repaired and written
    with output_lock(target):
        try:
            present, _ = repair_and_read(target, drop_errors=retry_errors)
        except OSError as e:
            raise OutputRefusedError(f"cannot read or repair {out}: {e.strerror or type(e).__name__}") from None
        items = list(inputs)
        s.total = len(items)
        pending = [it for it in items if it.id not in present]
        s.skipped = s.total - len(pending)
        if on_start:
            on_start(s)
        try:
            with target.open("a", encoding="utf-8") as fh:
                output = _Output(fh)
                try:
                    if runner is not None:
                        runner(pending, output, s, progress)
                    else:
                        assert extractor is not None
                        _run_pool(pending, extractor, output, s, max(1, concurrency), progress)
                finally:
                    output.sync()
        except OSError as e:  # a full disk, a folder made read-only during the run
            cut = cut_torn_tail(target)  # the file is closed: nothing more can land after the cut
            tail = ("the torn last line was cut" if cut else
                    "its torn last line could not be cut and is cut when the run is resumed")
            raise OutputIncompleteError(
                f"cannot write {out}: {e.strerror or type(e).__name__}; stopped part-way: the lines written so far "
                f"are kept ({tail}): free the space and run the same command to resume") from None
    s.seconds = time.perf_counter() - t0
    return s


T = TypeVar("T")


def interruptible(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a daemon thread, the main thread waiting in short steps: a blocking
    request never keeps Ctrl-C or SIGTERM from the main thread."""
    box: list[Any] = []
    t = threading.Thread(target=lambda: box.append(_capture(fn, *args)), daemon=True, name="coopex-call")
    t.start()
    while t.is_alive():
        t.join(0.25)
    ok, value = box[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _capture(fn: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    try:
        return True, fn(*args)
    except BaseException as e:
        return False, e


def _run_pool(pending: list[Article | InputFailure], extractor: Extractor, output: _Output,
              s: BatchSummary, concurrency: int, progress: ProgressFn | None) -> None:
    """Workers extract; the main thread only writes. The main thread never blocks in a
    socket read, so Ctrl-C and SIGTERM reach it at once whatever thread the OS delivers
    them to; the workers are daemon threads, so an interrupted run does not wait for
    requests in flight (their articles are redone by the next run)."""
    todo: queue.SimpleQueue[Article | InputFailure] = queue.SimpleQueue()
    done: queue.SimpleQueue[dict[str, Any] | BaseException] = queue.SimpleQueue()
    for it in pending:
        todo.put(it)
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            try:
                it = todo.get_nowait()
            except queue.Empty:
                return
            try:
                done.put(extractor.run(it))  # run() turns every per-article failure into a record
            except BaseException as e:  # a bug in a worker must not leave the writer waiting
                done.put(e)

    workers = [threading.Thread(target=work, name=f"coopex-{i}", daemon=True)
               for i in range(min(concurrency, len(pending)))]
    for w in workers:
        w.start()
    try:
        for _ in range(len(pending)):
            while True:
                try:
                    rec = done.get(timeout=0.25)
                    break
                except queue.Empty:
                    continue
            if isinstance(rec, BaseException):
                raise rec
            output.write(rec)
            _account(s, rec)
            if progress:
                progress(s, rec)
    finally:
        stop.set()
