"""Where commands write: nothing that is not coopex's is touched, no input is written over.

The rules, for every command that writes (``batch``, ``merge``, ``export``, ``report``):

- An output that exists and is not coopex output is refused (``OutputRefusedError``,
  exit 2): a JSONL output must hold only coopex lines (a torn last line left by a
  crash is allowed after a complete coopex line, never as the file's only line);
  a folder output may hold anything, but a file coopex would replace must be one
  coopex wrote (listed in the folder's manifest with the same content, or
  recognisably coopex's own).
- An output that is one of the inputs (a path, a link or a ``file://`` URI of
  one) is refused.
- A folder named where a file is wanted (or a file where a folder is wanted), a
  folder that cannot be created or written, a ``-o`` given as a URI: refused with
  a one-line message.
- An output named through a symbolic link is written where the link points; the
  link stays a link.
- New content is written beside the target and renamed over it, so existing
  data is replaced only once the new data is complete; temporary names are
  unique, so no file of the user's is ever used as one.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from pipeline.core.errors import OutputRefusedError
from pipeline.storage.remote import as_uri, local_path

MANIFEST = ".coopex-manifest.json"
MAX_LINE = 1 << 26  # 64 MiB: far beyond any record (its quotes and raw answers are bounded)
MANIFEST_KIND = "coopex-output-manifest"

RecordTest = Callable[[Any], bool]


# ------------------------------------------------------------------ what coopex writes


def is_batch_line(rec: Any) -> bool:
    """A line of ``coopex batch`` output: a record or an error record."""
    if not isinstance(rec, dict) or not isinstance(rec.get("article_id"), str):
        return False
    if isinstance(rec.get("error"), dict):
        return True
    return isinstance(rec.get("events"), list) and isinstance(rec.get("provenance"), dict)


def is_merged_line(rec: Any) -> bool:
    """A line of ``coopex merge`` output: one merged event."""
    return (isinstance(rec, dict) and isinstance(rec.get("event_id"), str)
            and isinstance(rec.get("sources"), list))


# ------------------------------------------------------------------ checks


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def refuse_inputs(out: Path, inputs: Iterable[Path], what: str = "-o") -> None:
    """An output that is one of the input files (or a link to one, or a ``file://`` URI of
    one) is refused."""
    for src in inputs:
        local = local_path(src)  # file:///path/out.jsonl names a local file like the path does
        if (local or src).is_file() and _same(out, local or src):
            raise OutputRefusedError(f"refusing to write {what} {out}: it is one of the inputs ({src}); "
                                     "choose another output")


def _target(out: Path) -> Path:
    try:
        return out.resolve()
    except OSError:
        return out


def _writable_folder(folder: Path, out: Path) -> None:
    """Create the folder if need be, and prove a file can be created in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputRefusedError(f"cannot write {out}: cannot create the folder {folder} ({_reason(e)})") from None
    if not folder.is_dir():
        raise OutputRefusedError(f"cannot write {out}: {folder} is not a folder")
    try:
        fd, name = tempfile.mkstemp(prefix=".coopex-probe-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as e:
        raise OutputRefusedError(f"cannot write {out}: the folder {folder} is not writable ({_reason(e)})") from None


def _reason(e: OSError) -> str:
    if e.errno == errno.EROFS:
        return "read-only file system"
    return e.strerror or type(e).__name__


def first_foreign_line(path: Path, is_ours: RecordTest) -> int | None:
    """The number of the first line of ``path`` that is not coopex's, or None.

    A last line with no newline may be a line torn by a crash (resuming cuts it); it is
    let pass only when a complete coopex line before it proves the file is coopex's, or
    when it is itself a whole coopex line. A file whose only line is unterminated and not
    a coopex line (a user's one-line config file, say) is not coopex's."""
    with path.open("rb") as fh:
        n = 0
        proven = False  # a complete coopex line has been read
        while raw := fh.readline(MAX_LINE):
            n += 1
            if not raw.endswith(b"\n"):
                if len(raw) == MAX_LINE:
                    return n  # no coopex line is this long (a binary file, say): never read it whole
                if proven or not raw.strip() or _is_line_of(raw, is_ours):
                    return None  # a torn last line of coopex's file: resuming cuts it
                return n
            if not raw.strip():
                continue
            if not _is_line_of(raw, is_ours):
                return n
            proven = True
    return None


def _is_line_of(raw: bytes, is_ours: RecordTest) -> bool:
    try:
        rec = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return is_ours(rec)


def check_file_output(out: Path, inputs: Sequence[Path], is_ours: RecordTest, what: str) -> None:
    """``out`` may be written as a JSONL file of ``what``: it is not a folder, not an input,
    its folder can be written, and if it exists every complete line is coopex's."""
    if as_uri(out) is not None:
        raise OutputRefusedError(f"-o {out} is a URI; give a local path"
                                 + (f", such as {local_path(out)}" if local_path(out) else ""))
    if out.is_dir():
        raise OutputRefusedError(f"-o {out} is a folder; give a file name, such as {out / 'out.jsonl'}")
    refuse_inputs(out, inputs)
    _writable_folder(_target(out).parent, out)  # a link's target is what gets written
    if out.exists():
        if not out.is_file():
            raise OutputRefusedError(f"-o {out} is not a regular file; choose another output")
        try:
            bad = first_foreign_line(out, is_ours)
        except OSError as e:
            raise OutputRefusedError(f"cannot read {out} to check it is coopex output ({_reason(e)})") from None
        if bad is not None:
            raise OutputRefusedError(
                f"refusing to write to {out}: it exists and is not {what} (line {bad} is not a coopex line); "
                "nothing was changed: choose another -o, or move the file away")


def check_batch_output(out: Path, inputs: Sequence[Path]) -> None:
    check_file_output(out, inputs, is_batch_line, "coopex batch output")


def check_merge_output(out: Path, inputs: Sequence[Path]) -> None:
    check_file_output(out, inputs, is_merged_line, "coopex merge output")


# ------------------------------------------------------------------ atomic files


@contextlib.contextmanager
def replacing(target: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file beside ``target`` with a unique name; renamed over ``target`` only when the
    block ends without error (and fsynced first), removed otherwise. A ``target`` that is a
    symbolic link stays one: the file it names is replaced."""
    target = _target(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".coopex-tmp", dir=target.parent)
    tmp = Path(name)
    try:
        os.chmod(fd, _mode_for(target))  # mkstemp makes 0600: the file gets the mode it would have had
        fh: IO[Any]
        with (os.fdopen(fd, "wb") if "b" in mode else os.fdopen(fd, "w", encoding="utf-8", newline="")) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _mode_for(target: Path) -> int:
    """The replaced file's mode, or for a new file what open() would give (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(target: Path, data: bytes) -> None:
    try:
        with replacing(target, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise OutputRefusedError(f"cannot write {target} ({_reason(e)}); nothing there was changed") from None


# ------------------------------------------------------------------ folder outputs


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


Recognise = Callable[[Path], bool]


class FolderOutput:
    """A folder coopex writes files into (``export``, ``report``).

        out = FolderOutput(folder, names=[...], inputs=[source], recognise={...})  # checks; refuses
        out.write("report.md", data)   # beside, then renamed over; the manifest records it
        out.commit()

    A file coopex would replace must be listed in the folder's manifest with its
    current content (or, for folders written before manifests, be recognisably
    coopex's by ``recognise``); anything else there is left alone.
    """

    def __init__(self, folder: Path, names: Iterable[str], inputs: Sequence[Path] = (),
                 recognise: dict[str, Recognise] | None = None):
        self.folder = folder
        self.names = list(names)
        if folder.exists() and not folder.is_dir():
            raise OutputRefusedError(f"-o {folder} is a file; give a folder for the output files")
        for name in self.names:
            refuse_inputs(folder / name, inputs)
        _writable_folder(folder, folder)
        self.manifest = self._read_manifest()
        recognise = recognise or {}
        for name in self.names:
            path = folder / name
            if not path.exists():
                continue
            if not path.is_file():
                raise OutputRefusedError(f"refusing to write {path}: it exists and is not a file coopex wrote; "
                                         "choose another -o")
            known = self.manifest.get(name)
            if known is not None:
                if _sha256(path) not in known:
                    raise OutputRefusedError(
                        f"refusing to replace {path}: it was changed since coopex wrote it; nothing was changed: "
                        "move it away or choose another -o")
                continue
            test = recognise.get(name) or recognise.get(Path(name).suffix)
            if not (test and _safe(test, path)):
                raise OutputRefusedError(
                    f"refusing to replace {path}: it exists and is not coopex output; nothing was changed: "
                    "move it away or choose another -o")

    def _read_manifest(self) -> dict[str, list[str]]:
        path = self.folder / MANIFEST
        if not path.exists():
            return {}
        try:
            raw = json.loads(path.read_text("utf-8"))
            if raw.get("kind") != MANIFEST_KIND:
                raise ValueError("not a coopex manifest")
            return {str(k): [str(h) for h in v] for k, v in raw["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise OutputRefusedError(f"refusing to write into {self.folder}: {path} is not a coopex manifest; "
                                     "move it away or choose another -o") from None

    def _write_manifest(self) -> None:
        doc = {"kind": MANIFEST_KIND, "version": 1,
               "note": "files coopex wrote here, with the SHA-256 of their content; coopex replaces only these",
               "files": {k: v for k, v in sorted(self.manifest.items())}}
        write_atomic(self.folder / MANIFEST, (json.dumps(doc, indent=1) + "\n").encode())

    def write(self, name: str, data: bytes) -> Path:
        """Write one file: the manifest first learns its new content, then it is renamed into place,
        then the manifest forgets the old content (a crash between leaves both listed)."""
        if name not in self.names:
            raise ValueError(f"{name} is not one of this output's files")
        target = self.folder / name
        digest = hashlib.sha256(data).hexdigest()
        self.manifest[name] = list(dict.fromkeys([*self.manifest.get(name, []), digest]))
        self._write_manifest()
        write_atomic(target, data)
        self.manifest[name] = [digest]
        return target

    def write_with(self, name: str, fill: Callable[[Path], None]) -> Path:
        """Like ``write`` for a library that writes to a path itself (a Parquet writer, a plot)."""
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".coopex-tmp", dir=self.folder)
        except OSError as e:
            raise OutputRefusedError(f"cannot write into {self.folder} ({_reason(e)})") from None
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            fill(tmp)
            data = tmp.read_bytes()
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return self.write(name, data)

    def commit(self) -> None:
        self._write_manifest()


def _safe(test: Recognise, path: Path) -> bool:
    try:
        return test(path)
    except (OSError, ValueError):
        return False


def first_line(path: Path, limit: int = 4096) -> str:
    with path.open("rb") as fh:
        return fh.read(limit).split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r")
