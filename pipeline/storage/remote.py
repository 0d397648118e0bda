"""Inputs that are not local paths: files named by URI, and bytes read ahead.

``batch`` takes, beside local files and folders, URIs that one of pyarrow's
filesystems reads (``s3://bucket/news/``, ``gs://...``, ``hdfs://host:port/...``,
``file:///abs/path``), with credentials from the environment as pyarrow finds
them. A URI of a folder stands for the files under it with a known suffix,
sorted, as a local folder does.

Ingest reads files through a small part of ``pathlib.Path`` (``read_bytes``,
``stem``, ``suffix``, ``str``; ``is_dir``, ``exists`` and ``resolve`` to find
them). ``RemoteFile`` and ``FileBytes`` offer that part, so article ids,
decoding and cleaning stay in ``pipeline.ingest.articles`` alone, whatever the file came
from.

A remote filesystem may never answer (a bucket behind a dead proxy, a metadata
server that is not there). Every listing and read runs in a helper thread and
is given up after ``timeout_s`` (``COOPEX_REMOTE_TIMEOUT``, default 60 s): a
listing that times out stops the run (exit 2), a file that times out gets an
error record. The caller's thread waits in short steps, so Ctrl-C and SIGTERM
end the run at once (exit 130) even while a read hangs in pyarrow's C++ code.
"""

from __future__ import annotations

import errno
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar, cast
from urllib.parse import unquote

from pipeline.core.errors import InputError
from pipeline.ingest.articles import SUFFIXES

_URI = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]+):/+(.*)$")
REMOTE_TIMEOUT_S = 60.0
THREAD_NAME = "coopex-remote"
T = TypeVar("T")


def timed(fn: Callable[[], T], timeout_s: float) -> T:
    """fn() in a daemon thread, waited for in short steps (a signal reaches the caller at once);
    ``TimeoutError`` after ``timeout_s`` (the thread is left to end on its own)."""
    box: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            box.append((True, fn()))
        except BaseException as e:  # handed to the caller
            box.append((False, e))

    t = threading.Thread(target=run, daemon=True, name=THREAD_NAME)
    t.start()
    deadline = time.monotonic() + timeout_s
    while t.is_alive():
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no answer within {timeout_s:g} s (COOPEX_REMOTE_TIMEOUT)")
        t.join(min(0.25, left))
    ok, value = box[0]
    if not ok:
        raise value
    return cast(T, value)


def left_hanging() -> bool:
    """A remote read given up on (timed out, or interrupted) is still in pyarrow's code."""
    return any(t.name == THREAD_NAME and t.is_alive() for t in threading.enumerate())


def as_uri(p: str | Path) -> str | None:
    """The URI that ``p`` names, or None for a local path. A command-line argument arrives
    as a Path, which folds 's3://b/k' to 's3:/b/k': the scheme is recognised either way."""
    s = str(p)
    m = _URI.match(s)
    if not m or len(m.group(1)) < 2 or Path(s).exists():  # 'C:/x' and local files stay local
        return None
    scheme, rest = m.group(1).lower(), m.group(2)
    return f"file:///{rest}" if scheme == "file" else f"{scheme}://{rest}"


def _filesystem(uri: str) -> tuple[Any, str]:
    import pyarrow.fs as pafs  # here: loaded only for a remote URI (it takes a second to import)

    try:
        fs, path = pafs.FileSystem.from_uri(uri)
    except Exception as e:  # an unknown scheme, a filesystem pyarrow was built without, bad credentials
        raise InputError(f"cannot open {uri}: {e}") from e
    return fs, path


class _PathLike:
    """What ingest uses of a Path, for a file that is not a local path."""

    location: str

    def __str__(self) -> str:
        return self.location

    @property
    def _pure(self) -> PurePosixPath:
        return PurePosixPath(self.location.split("://", 1)[-1])

    @property
    def name(self) -> str:
        return self._pure.name

    @property
    def stem(self) -> str:
        return self._pure.stem

    @property
    def suffix(self) -> str:
        return self._pure.suffix

    def is_dir(self) -> bool:
        return False

    def is_file(self) -> bool:
        return True

    def exists(self) -> bool:
        return True

    def resolve(self) -> Any:
        return self

    def absolute(self) -> Any:
        return self


@dataclass(frozen=True, eq=True)
class RemoteFile(_PathLike):
    """A file named by URI, read through pyarrow's filesystems when ingest reads it; ``rel`` is
    its name relative to the folder URI it was found under (its article id comes from it)."""

    location: str
    rel: str = ""
    timeout_s: float = field(default=REMOTE_TIMEOUT_S, compare=False)

    def read_bytes(self) -> bytes:
        def read() -> bytes:
            fs, path = _filesystem(self.location)
            with fs.open_input_stream(path) as f:
                return bytes(f.read())

        try:
            return timed(read, self.timeout_s)
        except TimeoutError as e:
            raise OSError(errno.ETIMEDOUT, str(e)) from e
        except InputError as e:
            raise OSError(errno.EIO, str(e)) from e
        except OSError:
            raise
        except Exception as e:  # pyarrow's own errors
            raise OSError(errno.EIO, f"{type(e).__name__}: {e}") from e


@dataclass(frozen=True, eq=True)
class FileBytes(_PathLike):
    """A file's bytes, read ahead where the file is (batch --ray: on the driver), under its own name."""

    location: str
    data: bytes

    def read_bytes(self) -> bytes:
        return self.data


def local_path(p: str | Path | _PathLike) -> Path | None:
    """The local path a ``file://`` URI (or a file read through one) names; None for anything else."""
    uri = getattr(p, "location", None) if isinstance(p, _PathLike) else as_uri(p)
    if not uri or not uri.lower().startswith("file://"):
        return None
    return Path("/" + unquote(uri.split("://", 1)[1]).lstrip("/"))


def _excluded(f: RemoteFile, skip: set[Path]) -> bool:
    local = local_path(f)
    return local is not None and _resolved(local) in skip


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p.absolute()


def list_uri(uri: str, exclude: Sequence[Path] = (), timeout_s: float = REMOTE_TIMEOUT_S) -> list[RemoteFile]:
    """The file a URI names, or the files under it with a known suffix, sorted; a local file
    in ``exclude`` (the run's own output) found under a ``file://`` folder is left out; an
    ``InputError`` when the filesystem does not answer within ``timeout_s``."""
    try:
        return timed(lambda: _list_uri(uri, exclude, timeout_s), timeout_s)
    except TimeoutError as e:
        raise InputError(f"cannot list {uri}: {e}") from None


def _list_uri(uri: str, exclude: Sequence[Path], timeout_s: float) -> list[RemoteFile]:
    import pyarrow.fs as pafs  # here: loaded only for a remote URI (it takes a second to import)

    fs, path = _filesystem(uri)
    prefix = uri[: len(uri) - len(path)] if path and uri.endswith(path) else uri.split("://", 1)[0] + "://"
    try:
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            raise InputError(f"no such file or directory: {uri}")
        if info.type != pafs.FileType.Directory:
            return [RemoteFile(uri, PurePosixPath(path).name, timeout_s)]
        infos = fs.get_file_info(pafs.FileSelector(path, recursive=True))
    except InputError:
        raise
    except Exception as e:
        raise InputError(f"cannot list {uri}: {e}") from e
    found = [i.path for i in infos if i.type == pafs.FileType.File and PurePosixPath(i.path).suffix.lower() in SUFFIXES]
    root = PurePosixPath(path)
    skip = {_resolved(x) for x in exclude}
    # in the order a local folder's files come in (pathlib sorts by parts)
    files = [RemoteFile(prefix + p, _relative(PurePosixPath(p), root), timeout_s)
             for p in sorted(found, key=lambda p: PurePosixPath(p).parts)]
    return [f for f in files if not _excluded(f, skip)]


def _relative(p: PurePosixPath, root: PurePosixPath) -> str:
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return p.name


def expand_uris(paths: Sequence[Path], exclude: Sequence[Path] = (),
                timeout_s: float = REMOTE_TIMEOUT_S) -> list[Path]:
    """``paths`` with each URI replaced by the files it names (typed as Paths for ingest);
    ``exclude`` and ``timeout_s`` as for ``list_uri``."""
    out: list[Path] = []
    for p in paths:
        uri = as_uri(p)
        if uri is None:
            out.append(p)
        else:
            out.extend(cast(list[Path], list_uri(uri, exclude, timeout_s)))
    return out
