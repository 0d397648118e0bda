"""`coopex batch --ray`: the per-article pipeline in a pool of Ray Data actors.

Who does what:

- The driver (the machine running ``coopex batch``) finds the inputs and numbers
  them as a local run does (``ingest.iter_inputs``, with files of one article
  handed on unread; a .jsonl file is read and its lines cleaned here, since its
  ids are inside it), takes the output's lock, skips the articles already in
  the output, and reads the bytes of the remaining local files, so the workers
  need no shared disk. Files named by URI (s3://..., gs://..., hdfs://...; see
  ``pipeline.storage.remote``) are read by the workers.
- Ray Data hands the pending inputs, ``batch`` at a time, to a fixed pool of
  long-lived actors (``map_batches`` with the callable class ``ExtractWorker``).
  Each actor builds its backend (one endpoint, or a pool of several), its
  result cache and its extractor once, and runs ``threads`` articles at once in
  a thread pool: ingest of a file (decode, clean, language), prompt, cache, model call,
  expansion, grounding, schema validation -- ``Extractor.run``, the same
  per-article function a local run uses.
- The driver writes every record that comes back into the one output file with
  ``batch._Output`` (whole lines, flushed at once, fsynced), counts it for the
  progress bar and the summary, and never writes an article twice: a batch that
  Ray runs again after a worker died may return articles already written.

Lines are in the order the articles finish, as in a local run with
``--concurrency`` above 1. A worker killed mid-run is restarted by Ray and the
batches it held are run again; the driver killed mid-run ends the job's
workers, and the same command resumes from the output.
"""

from __future__ import annotations

import json
import logging
import math
import os
import pickle
import queue
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pipeline.backends.factory import budget_for, open_backend
from pipeline.core.cache import ResultCache
from pipeline.core.config import Settings
from pipeline.core.errors import ConfigError, CoopexError, InputError
from pipeline.extract import Extractor, Params
from pipeline.ingest.articles import Article, InputFailure, iter_inputs, read_article
from pipeline.methods.prompts import Prompt
from pipeline.run.batch import BatchSummary, ProgressFn, _account, _Output
from pipeline.schema import ERROR_SCHEMA_ID, Schema, load_schema
from pipeline.storage.remote import REMOTE_TIMEOUT_S, FileBytes, expand_uris

if TYPE_CHECKING:
    import pyarrow as pa

INSTALL_HINT = "pip install 'coopex[ray]'"
DEFAULT_THREADS = 8  # requests in flight per worker
CALLS_PER_WORKER = 4  # batches a worker holds at once, so its thread pool never waits for a batch's last article

# A Ray started by coopex on this machine listens on 127.0.0.1 only: Ray's single-machine mode
LOOPBACK_ONLY = ("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
# Ray is started or joined by coopex alone: a Ray call after shutdown (Ctrl-C) never starts another
NO_AUTO_INIT = ("RAY_ENABLE_AUTO_CONNECT", "0")
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))  # this package, as the driver imported it
_ADDRESS = re.compile(r"^(auto|local|ray://\S+|[\w.-]+:\d{1,5}|\[[0-9a-fA-F:.]+\]:\d{1,5})$")


def check_address(address: str) -> str:
    """'local', 'auto', 'host:port' or 'ray://host:port'; anything else is a ConfigError."""
    if not _ADDRESS.match(address):
        raise ConfigError(f"--ray: {address!r} is not a Ray address (host:port, ray://host:port, auto, "
                          "or local to start one here)")
    return address


def import_ray(*, local: bool = False) -> Any:
    """Ray, or a ConfigError saying how to install it. ``local``: a Ray this run starts on this
    machine listens on 127.0.0.1 only (Ray's single-machine mode; read when ray is imported)."""
    if "ray" not in sys.modules:
        os.environ.setdefault(*NO_AUTO_INIT)
        if local:
            os.environ.setdefault(*LOOPBACK_ONLY)
    try:
        import ray  # here: an optional extra (coopex[ray]), imported after the loopback setting above
        import ray.data  # noqa: F401
    except ImportError as e:
        raise ConfigError(f"--ray needs Ray, which is not installed: {INSTALL_HINT}") from e
    return ray


# ---------------------------------------------------------------- the worker


@dataclass(frozen=True)
class Unread:
    """A file of one article, handed on unread: a worker reads and cleans it."""

    id: str
    file: Any  # a Path, a remote.RemoteFile, or a remote.FileBytes (read ahead on the driver)

    @staticmethod
    def hand_on(file: Path, article_id: str, _max_chars: int) -> Unread:
        return Unread(article_id, file)  # ingest.iter_inputs(read=...)


def plan_inputs(paths: list[Path], max_chars: int, remote_timeout_s: float = REMOTE_TIMEOUT_S) -> list[Any]:
    """The run's inputs with their ids, as a local run numbers them: a .jsonl file is read here
    (its ids are inside it), a file of one article is handed on ``Unread``."""
    return list(iter_inputs(expand_uris(paths, timeout_s=remote_timeout_s), max_chars, read=Unread.hand_on))


def read_ahead(item: Any) -> Any:
    """A local file's bytes go with it to the workers, which may be on other machines (a file
    that cannot be read here is left for the worker's read to report)."""
    if isinstance(item, Unread) and isinstance(item.file, Path):
        try:
            return Unread(item.id, FileBytes(str(item.file), item.file.read_bytes()))
        except OSError:
            return item
    return item


def load(item: Any, max_chars: int) -> Article | InputFailure:
    """What ingest.iter_inputs would have given for this input."""
    if not isinstance(item, Unread):
        return cast(Article | InputFailure, item)
    try:
        return read_article(cast(Path, item.file), item.id, max_chars)
    except InputError as e:
        return InputFailure(item.id, e, str(item.file))


class ExtractWorker:
    """One Ray Data actor: backend, cache and extractor built once; ``threads`` articles at once."""

    def __init__(self, settings: Settings, prompt: Prompt, schema: Schema, error_schema: Schema, threads: int):
        self._stack = ExitStack()
        backend = self._stack.enter_context(open_backend(settings))
        cache = ResultCache(settings.cache_dir) if settings.use_cache else None
        if cache is not None:
            self._stack.callback(cache.close)
        self.extractor = Extractor(backend, prompt, schema, cache,
                                   Params(settings.temperature, settings.max_tokens, settings.seed),
                                   strict_grounding=settings.strict_grounding, error_schema=error_schema,
                                   budget=budget_for(settings))
        self.max_chars = settings.max_chars
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="coopex")

    def one(self, row: dict[str, Any]) -> dict[str, Any]:
        return self.extractor.run(load(pickle.loads(row["item"]), self.max_chars))

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa  # here: in the Ray worker's process

        records = list(self.pool.map(self.one, batch.to_pylist()))
        return pa.table({"article_id": [r["article_id"] for r in records],
                         "record": [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]})

    def __del__(self) -> None:
        if hasattr(self, "pool"):
            self.pool.shutdown(wait=False, cancel_futures=True)
        self._stack.close()


# ---------------------------------------------------------------- the driver


def job_runtime_env() -> dict[str, Any]:
    """The workers import this very package (a checkout or an installed copy), whatever the
    nodes have installed: Ray ships it to every node. Its dependencies must be installed there."""
    return {"py_modules": [PACKAGE_DIR]}


def probe(address: str, timeout_s: float = 5.0) -> None:
    """A ConfigError at once when nothing answers at a host:port address (Ray itself would retry
    for minutes before giving up)."""
    m = re.match(r"^(?:ray://)?\[?([^\]]+?)\]?:(\d+)$", address)
    if not m:
        return  # 'local', 'auto': Ray starts or finds the cluster itself
    try:
        socket.create_connection((m.group(1), int(m.group(2))), timeout=timeout_s).close()
    except OSError as e:
        raise ConfigError(f"cannot join the Ray cluster at {address}: nothing answers there "
                          f"({e.strerror or type(e).__name__}); start it with `ray start --head`, or check the "
                          "address") from None


@contextmanager
def ray_session(ray: Any, address: str, say: Callable[[str], None]) -> Iterator[None]:
    """Ray for this run: a session already open in this process is used as it is (and left
    open); else a local Ray on all cores ('local'), or the cluster at ``address``."""
    if ray.is_initialized():
        yield
        return
    opts: dict[str, Any] = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                                runtime_env=job_runtime_env())
    t0 = time.perf_counter()
    main = threading.current_thread() is threading.main_thread()
    on_sigterm = signal.getsignal(signal.SIGTERM) if main else None
    try:
        if address == "local":
            say(f"starting a local Ray ({os.cpu_count()} cores)")
            ray.init(address="local", num_cpus=os.cpu_count(), **opts)
        else:
            say(f"joining the Ray cluster at {address}")
            ray.init(address=address, **opts)
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise ConfigError(f"cannot {'start Ray' if address == 'local' else f'join the Ray cluster at {address}'}: "
                          f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from e
    finally:
        if main and on_sigterm is not None:
            signal.signal(signal.SIGTERM, on_sigterm)  # ray.init sets its own (exit at once): coopex's stops in order
    say(f"Ray ready in {time.perf_counter() - t0:.1f}s")
    try:
        yield
    finally:
        quiet_ray_data(logging.CRITICAL)  # an interrupted run's executor complains of the shutdown
        ray.shutdown()


class RayRunner:
    """A ``batch.Runner``: the pending inputs through Ray Data, every record into the output."""

    def __init__(self, settings: Settings, prompt: Prompt, schema: Schema, *, address: str,
                 workers: int | None = None, threads: int = DEFAULT_THREADS,
                 say: Callable[[str], None] | None = None):
        address = check_address(address)
        if settings.embedded:
            raise ConfigError("batch --ray sends articles to model endpoints: give --base-url (or OPENAI_BASE_URL); "
                              "the embedded model serves one request at a time on this machine, so run batch "
                              "without --ray for it")
        self.address = check_address(address)
        probe(self.address)
        self.ray = import_ray(local=self.address == "local")
        self.settings = settings
        self.prompt = prompt
        self.schema = schema
        self.error_schema = load_schema(ERROR_SCHEMA_ID)  # the workers have the package, not schemas/ or prompts/
        self.workers = workers
        self.threads = max(1, threads)
        self.say = say or (lambda _m: None)
        self.stats: dict[str, Any] = {}  # what the last run used and took (benchmark figures)
        self._t0 = 0.0

    def plan(self, paths: list[Path]) -> list[Any]:
        return plan_inputs(paths, self.settings.max_chars, self.settings.remote_timeout_s)

    def __call__(self, pending: list[Any], output: _Output, s: BatchSummary, progress: ProgressFn | None) -> None:
        if not pending:
            return
        t0 = self._t0 = time.perf_counter()
        rows = [{"id": it.id, "item": pickle.dumps(read_ahead(it))} for it in pending]
        with ray_session(self.ray, self.address, self.say):
            t_ready = time.perf_counter()
            ds = self._dataset(rows)
            self._write(ds, {src.id for src in pending}, output, s, progress)
        self.stats.update(ray_ready_s=round(t_ready - t0, 3), run_s=round(time.perf_counter() - t0, 3))

    def _dataset(self, rows: list[dict[str, Any]]) -> Any:
        ray = self.ray
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # coopex draws its own
        ctx.print_on_execution_start = False
        quiet_ray_data()
        batch = max(1, self.threads // 2)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        workers = self.workers or max(1, cpus)
        workers = max(1, min(workers, math.ceil(len(rows) / batch)))
        nodes = len([n for n in ray.nodes() if n.get("Alive")])
        self.say(f"Ray: {nodes} node(s), {cpus} CPU(s); {workers} worker(s) x {self.threads} requests in flight")
        self.stats.update(workers=workers, threads=self.threads, batch=batch, nodes=nodes, cpus=cpus)
        ds = ray.data.from_items(rows, override_num_blocks=max(1, math.ceil(len(rows) / batch)))
        return ds.map_batches(
            ExtractWorker,
            fn_constructor_args=(self.settings, self.prompt, self.schema, self.error_schema, self.threads),
            batch_size=batch,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(
                size=workers, max_tasks_in_flight_per_actor=CALLS_PER_WORKER,
                max_concurrent_calls_per_actor=CALLS_PER_WORKER, enable_true_multi_threading=True),
            num_cpus=1,
            # Ray Data's own defaults for actors do the rest: a dead worker is restarted
            # (max_restarts=-1) and the batches it held are run again (max_task_retries=-1)
        )

    def _write(self, ds: Any, expected: set[str], output: _Output, s: BatchSummary,
               progress: ProgressFn | None) -> None:
        """Records from the workers into the output, each article once. The main thread only
        writes; a daemon thread reads from Ray, so Ctrl-C and SIGTERM reach the main thread at once."""
        got: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        stop = threading.Event()

        def consume() -> None:
            rows = iter(ds.iter_rows())
            try:
                for row in rows:
                    if stop.is_set():  # the run ended early (Ctrl-C, an error): Ray Data stops its workers
                        break
                    got.put(("row", row))
                got.put(("end", None))
            except BaseException as e:  # handed to the main thread
                got.put(("error", e))
            finally:
                close = getattr(rows, "close", None)
                if close:
                    close()

        threading.Thread(target=consume, name="coopex-ray", daemon=True).start()
        try:
            self._drain(got, expected, output, s, progress)
        finally:
            stop.set()

    def _drain(self, got: queue.SimpleQueue[tuple[str, Any]], expected: set[str], output: _Output,
               s: BatchSummary, progress: ProgressFn | None) -> None:
        written: set[str] = set()
        duplicates = 0
        busy = 0.0  # the driver's own time per record: a ceiling on a cluster's rate
        while True:
            try:
                kind, value = got.get(timeout=0.25)
            except queue.Empty:
                continue
            t_row = time.perf_counter()
            if kind == "end":
                break
            if kind == "error":
                raise _ray_failure(value)
            aid = value["article_id"]
            if aid in written or aid not in expected:
                duplicates += 1  # a batch run again after its worker died
                continue
            rec = json.loads(value["record"])
            output.write(rec)
            written.add(aid)
            if len(written) == 1:
                self.stats["first_record_s"] = round(time.perf_counter() - self._t0, 3)
            _account(s, rec)
            if progress:
                progress(s, rec)
            busy += time.perf_counter() - t_row
        self.stats["duplicates_dropped"] = duplicates
        self.stats["driver_ms_per_record"] = round(1000 * busy / max(1, len(written)), 3)
        missing = expected - written
        if missing:
            raise CoopexError(f"{len(missing)} article(s) came back from no Ray worker (e.g. {sorted(missing)[0]}); "
                              "run the same command again to extract them")


class _DropNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "Progress bars disabled" not in record.getMessage()


def quiet_ray_data(level: int = logging.WARNING) -> None:
    """Ray Data's console shows its warnings only (its log file keeps everything), and not the
    one about its progress bars: coopex draws its own."""
    for h in logging.getLogger("ray.data").handlers:
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler):
            h.setLevel(max(h.level, level))
            if not any(isinstance(f, _DropNoise) for f in h.filters):
                h.addFilter(_DropNoise())


def _ray_failure(e: BaseException) -> BaseException:
    if isinstance(e, (KeyboardInterrupt, CoopexError)):
        return e
    first = (str(e).strip().splitlines() or [type(e).__name__])[-1][:500]
    err = CoopexError(f"the Ray run stopped: {type(e).__name__}: {first}; finished articles are kept, "
                      "run the same command to resume")
    err.__cause__ = e
    return err
