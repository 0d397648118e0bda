"""The embedded default: an OpenAI-compatible server over llama-cpp-python on 127.0.0.1.

Started once per run on a free port with the bundled model, waited for until
it answers, reused for every article, and stopped on exit (Ctrl-C included).
Requests go through the same ``OpenAICompatBackend`` as any remote endpoint.
The server (``llama_server``) gives the same answer to the same request
whatever it served before, with a fixed thread count by default.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import httpx

from pipeline.backends.llama_server import DEFAULT_THREADS
from pipeline.core.errors import ConfigError

READY_TIMEOUT_S = 300.0


def _die_with_parent() -> None:
    """In the server's process: be stopped when coopex dies, even by SIGKILL (Linux)."""
    try:
        import ctypes  # here: runs in the server's child process only

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG; it holds nothing to save
    except (OSError, AttributeError):
        pass  # elsewhere, stop() on exit is all there is


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EmbeddedServer:
    def __init__(self, model_path: Path, *, alias: str, n_ctx: int = 8192, n_threads: int = 0,
                 log_path: Path | None = None):
        self.model_path = model_path
        self.alias = alias
        self.n_ctx = n_ctx
        self.n_threads = n_threads or DEFAULT_THREADS
        self.log_path = log_path or Path(tempfile.gettempdir()) / f"coopex-llama-{os.getpid()}.log"
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> str:
        try:
            import llama_cpp  # noqa: F401  # here: an optional extra (coopex[embedded]); its absence is a clear error
        except ImportError as e:
            raise ConfigError(
                "the embedded model needs llama-cpp-python[server]; run `bash scripts/install.sh`, "
                "or set OPENAI_BASE_URL to use another endpoint"
            ) from e
        self.port = free_port()
        self._spawn(self.command())
        try:
            self._wait_ready()
        except BaseException:  # Ctrl-C while loading too: __exit__ does not run when __enter__ raises
            self.stop()
            raise
        return self.base_url

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "pipeline.backends.llama_server",
            "--model", str(self.model_path), "--model_alias", self.alias,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
        ]

    def _spawn(self, cmd: list[str]) -> None:
        """Start the server from a thread of its own that lives as long as the server does.

        Linux delivers PR_SET_PDEATHSIG when the *thread* that forked the child ends, not the
        process: a server started from a short-lived worker thread (the first cache miss of a
        run) would be killed as soon as that thread finished its article."""
        spawned = threading.Event()
        failure: list[BaseException] = []

        def own() -> None:
            log = self.log_path.open("ab")
            try:
                # Its own process group, so a Ctrl-C in the terminal reaches us first
                # and we stop the server in order.
                proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=_die_with_parent if sys.platform == "linux" else None)
            except BaseException as e:  # reported to start() below
                failure.append(e)
                spawned.set()
                return
            finally:
                log.close()
            self._proc = proc
            spawned.set()
            proc.wait()

        threading.Thread(target=own, name="coopex-embedded-server", daemon=True).start()
        spawned.wait()
        if failure:
            raise failure[0]

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-1500:]
                raise ConfigError(f"the embedded model server exited at start (code {self._proc.returncode}):\n{tail}")
            try:
                r = httpx.get(f"{self.base_url}/models", timeout=2.0)
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise ConfigError(f"the embedded model server did not answer within {READY_TIMEOUT_S:.0f}s; see {self.log_path}")

    def stop(self) -> None:
        p, self._proc = self._proc, None
        if p is None or p.poll() is not None:
            return
        try:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=10)

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
