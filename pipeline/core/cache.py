"""The result cache: validated LLM results on disk, keyed by everything that changes them.

The key is the SHA-256 of the canonical JSON of the whole request: article text
hash, prompt id and hash, schema id and hash, model, mode and decoding
parameters. Each entry carries a checksum of its own body, so a damaged entry is
dropped and recomputed, never read as good data.

The cache is an optimisation, never a reason to lose a result: when its database
is damaged during a run (a read or a write fails), that read is a miss, that
write is skipped, the result is still returned, ``warn`` is told once, and the
rest of the run goes on without the cache. SQLite reads the database with plain
reads, never through a memory map (``sqlite_mmap_size`` 0): a database file cut
short while mapped would kill the process with SIGBUS instead of raising an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import diskcache

from pipeline.core.errors import ConfigError

KEY_VERSION = 1


class Cache(Protocol):
    """What the extractor needs from a cache (the result cache, or recordings)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def set(self, key: str, value: dict[str, Any]) -> None: ...


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def cache_key(parts: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json({"coopex_cache": KEY_VERSION, **parts}).encode()).hexdigest()


class ResultCache:
    """diskcache under ``directory``. A cache whose database cannot be read is moved
    aside (``<dir>.broken-<time>``) and rebuilt empty; ``rebuilt`` says why."""

    def __init__(self, directory: Path, warn: Callable[[str], None] | None = None):
        self.directory = directory
        self.rebuilt: str | None = None
        self.failures = 0  # reads and writes that failed during the run (each a miss or a skipped write)
        self.off = False  # the database failed once: the rest of the run goes on without the cache
        self._warn = warn
        hint = "set COOPEX_HOME to a writable folder, or run with --no-cache"
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot use the cache folder {directory}: {e.strerror or e}; {hint}") from None
        try:
            self._c = self._open()
        except (sqlite3.DatabaseError, OSError) as e:
            aside = directory.with_name(f"{directory.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
            try:
                shutil.move(str(directory), str(aside))
                directory.mkdir(parents=True, exist_ok=True)
                self._c = self._open()
            except (sqlite3.DatabaseError, OSError) as e2:
                raise ConfigError(f"cannot use the cache folder {directory}: {type(e2).__name__}: {e2}; {hint}") from None
            self.rebuilt = f"unreadable cache moved to {aside} ({type(e).__name__}: {e})"

    def _open(self) -> diskcache.Cache:
        # no memory map: a database file truncated under a running process must raise an error, not SIGBUS
        c = diskcache.Cache(str(self.directory), size_limit=8 << 30, sqlite_mmap_size=0)
        try:
            len(c)  # reads the database: a damaged file fails here, not mid-run
            c._sql("SELECT key FROM Cache LIMIT 1").fetchall()
        except BaseException:
            c.close()
            raise
        return c

    def _failed(self, what: str, e: BaseException) -> None:
        self.failures += 1
        self.off = True
        if self.failures == 1 and self._warn:
            self._warn(f"the result cache in {self.directory} failed during the run ({what}: {type(e).__name__}: {e}); "
                       "the run goes on without the cache: every result is still written to the output")

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached value, or None: a miss, a damaged entry (dropped) or a damaged database."""
        if self.off:
            return None
        try:
            return self._get(key)
        except Exception as e:  # the database itself is damaged: a miss, never an error
            self._failed("read", e)
            return None

    def _get(self, key: str) -> dict[str, Any] | None:
        try:
            entry = self._c.get(key)
        except Exception:  # an unreadable entry is a miss; it is rewritten below
            self._c.delete(key)
            return None
        if not isinstance(entry, dict) or "body" not in entry or "sha256" not in entry:
            if entry is not None:
                self._c.delete(key)
            return None
        body = entry["body"]
        if not isinstance(body, str) or hashlib.sha256(body.encode()).hexdigest() != entry["sha256"]:
            self._c.delete(key)
            return None
        value = json.loads(body)
        return value if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Keep a result; a write the database refuses is skipped (the result itself is not lost)."""
        if self.off:
            return
        body = canonical_json(value)
        try:
            self._c.set(key, {"body": body, "sha256": hashlib.sha256(body.encode()).hexdigest()})
        except Exception as e:
            self._failed("write", e)

    def info(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "entries": len(self._c), "size_bytes": self._c.volume()}

    def clear(self) -> int:
        return int(self._c.clear())

    def close(self) -> None:
        try:
            self._c.close()
        except Exception as e:  # closing a damaged database must not turn a finished run into a failure
            self._failed("close", e)
