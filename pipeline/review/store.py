"""The review folder: one writer (flock), the records as the review began, and the decisions log.

Every decision is one JSON line appended to ``decisions.jsonl`` and fsynced before it is
acknowledged; the review's state is the records replayed through the decisions, so a reload,
a crash or a second run resumes exactly where the last acknowledged decision left it. A line
cut short by a crash (it was never acknowledged) is dropped when the folder is opened.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.core.errors import InputError, OutputLockedError, OutputRefusedError
from pipeline.review.items import record_digest
from pipeline.schema import load_schema
from pipeline.storage.outputs import write_atomic

KIND = "coopex-review"
DECISIONS = "decisions.jsonl"
RECORDS = "records.jsonl"
META = "review.json"
LOCK = ".lock"

# the slots of an event a reviewer can set, in the record's order
SLOTS = ("type", "date", "location", "kz_parties", "cn_parties", "sectors", "agreements", "projects",
         "summary", "evidence")
ACTIONS = ("accept", "reject", "set", "add", "no_event", "done")


class DecisionError(InputError):
    """A decision the review cannot take (an unknown event, a value the gold schema refuses)."""


def validate_event(ev: Any) -> None:
    """Refuse an event the gold schema would refuse, naming the slot."""
    if not isinstance(ev, dict):
        raise DecisionError("an event must be an object")
    doc = {"article_id": "x", "language": "other", "published": None, "events": [ev]}
    errs = load_schema("gold.v1").errors(doc)
    if errs:
        first = errs[0].removeprefix("events/0/")
        raise DecisionError(f"not a valid event: {first}")


@dataclass
class EventState:
    id: str
    origin: str  # model | added
    status: str  # pending | accepted | rejected
    event: dict[str, Any]
    changed: list[str] = field(default_factory=list)  # slots the reviewer set

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "origin": self.origin, "status": self.status, "event": self.event,
                "changed": self.changed}


@dataclass
class ArticleState:
    events: list[EventState]
    done: bool = False
    negative: bool = False
    decisions: int = 0

    def find(self, event_id: Any) -> EventState:
        for e in self.events:
            if e.id == event_id:
                return e
        raise DecisionError(f"no event {event_id!r} in this article")

    def as_dict(self) -> dict[str, Any]:
        return {"events": [e.as_dict() for e in self.events], "done": self.done, "negative": self.negative,
                "decisions": self.decisions,
                "pending": sum(e.status == "pending" for e in self.events)}


def initial_state(record: dict[str, Any]) -> ArticleState:
    return ArticleState([EventState(f"m{i}", "model", "pending", copy.deepcopy(ev))
                         for i, ev in enumerate(record.get("events") or [])])


def apply(st: ArticleState, d: dict[str, Any]) -> None:
    """One decision on an article's state; raises DecisionError (and changes nothing) if it cannot be taken."""
    action = d.get("action")
    if action in ("accept", "reject"):
        st.find(d.get("event")).status = "accepted" if action == "accept" else "rejected"
    elif action == "set":
        ev = st.find(d.get("event"))
        values = d.get("values")
        if not isinstance(values, dict) or not values:
            raise DecisionError("a correction names at least one slot and its value")
        unknown = sorted(set(values) - set(SLOTS))
        if unknown:
            raise DecisionError(f"unknown slot(s) {', '.join(unknown)}")
        new = {**ev.event, **copy.deepcopy(values)}
        validate_event(new)
        ev.event = new
        ev.changed = sorted(set(ev.changed) | set(values), key=SLOTS.index)
        if ev.status == "pending":
            ev.status = "accepted"  # a corrected event is the reviewer's: kept unless rejected
    elif action == "add":
        ev_value = d.get("value")
        validate_event(ev_value)
        assert isinstance(ev_value, dict)
        st.events.append(EventState(f"a{d.get('seq')}", "added", "accepted", copy.deepcopy(ev_value),
                                    list(SLOTS)))
        st.negative = False
    elif action == "no_event":
        for e in st.events:
            e.status = "rejected"
        st.negative = True
        st.done = True
    elif action == "done":
        pending = [e.id for e in st.events if e.status == "pending"]
        if pending:
            raise DecisionError(f"{len(pending)} event(s) still to accept or reject")
        st.done = True
    else:
        raise DecisionError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
    st.decisions += 1


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ReviewFolder:
    """An open review folder, held by this process (an exclusive flock on ``.lock``) until ``close``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock_fh: IO[str] | None = None
        self._log: IO[bytes] | None = None
        self._mutex = threading.Lock()
        self.records: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self.states: dict[str, ArticleState] = {}
        self.meta: dict[str, Any] = {}
        self.seq = 0
        self.dropped_tail = False

    # -------------------------------------------------------------- opening

    def lock(self, holder: str = "") -> None:
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputRefusedError(f"{self.folder} is a file; give a folder for the review")
        if self.folder.is_dir() and not (self.folder / META).exists():
            others = sorted(p.name for p in self.folder.iterdir() if p.name != LOCK)
            if others:
                raise OutputRefusedError(f"{self.folder} is not a review folder and is not empty (it holds "
                                         f"{', '.join(others[:3])}{' ...' if len(others) > 3 else ''}); "
                                         "give a new or empty folder, or one a review made")
        self.folder.mkdir(parents=True, exist_ok=True)
        fh = open(self.folder / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 (held open: the lock)
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            who = fh.read().strip()
            fh.close()
            raise OutputLockedError(f"another coopex review is open on {self.folder}"
                                    + (f" ({who})" if who else "") + "; use that page, or stop it first") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}{', ' + holder if holder else ''}\n")
        fh.flush()
        self._lock_fh = fh

    def note_holder(self, holder: str) -> None:
        if self._lock_fh:
            self._lock_fh.seek(0)
            self._lock_fh.truncate()
            self._lock_fh.write(f"pid {os.getpid()}, {holder}\n")
            self._lock_fh.flush()

    def begin(self, source: Path, records: Sequence[dict[str, Any]], articles: Sequence[Path]) -> list[str]:
        """Open (or start) the review of ``records``; returns notes for the reviewer. The records kept in
        the folder stay the ones decisions refer to; articles new in ``records`` are added."""
        notes: list[str] = []
        kept = self._read_records() if (self.folder / RECORDS).exists() else {}
        changed = [r["article_id"] for r in records
                   if r["article_id"] in kept and record_digest(kept[r["article_id"]]) != record_digest(r)]
        added = [r for r in records if r["article_id"] not in kept]
        if changed:
            notes.append(f"{len(changed)} article(s) have another record in {source} than when this review began; "
                         "the review keeps the records it began with")
        if added or not (self.folder / RECORDS).exists():
            all_rows = list(kept.values()) + added
            write_atomic(self.folder / RECORDS,
                         "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in all_rows).encode("utf-8"))
            if kept:
                notes.append(f"{len(added)} article(s) added to the review")
            kept = {r["article_id"]: r for r in all_rows}
        self.meta = {"kind": KIND, "version": 1, "source": str(source.resolve()),
                     "articles": [str(p.resolve()) for p in articles]}
        write_atomic(self.folder / META, (json.dumps(self.meta, indent=1) + "\n").encode())
        self.records = kept
        self._replay()
        return notes

    def open_existing(self) -> None:
        """Read a review folder without serving it (export)."""
        meta = self.folder / META
        if not meta.exists() or not (self.folder / RECORDS).exists():
            raise InputError(f"{self.folder} is not a coopex review folder (no {META} and {RECORDS}); "
                             "start one with `coopex review events.jsonl -o FOLDER`")
        try:
            self.meta = json.loads(meta.read_text("utf-8"))
        except ValueError as e:
            raise InputError(f"{meta}: not JSON ({e})") from None
        if self.meta.get("kind") != KIND:
            raise InputError(f"{meta} is not a coopex review file")
        self.records = self._read_records()
        self._replay(repair=False)

    def _read_records(self) -> dict[str, dict[str, Any]]:
        out = {}
        path = self.folder / RECORDS
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    r = json.loads(line)
                except ValueError as e:
                    raise InputError(f"{path}:{n}: not JSON ({e})") from None
                out[r["article_id"]] = r
        return out

    def _replay(self, repair: bool = True) -> None:
        self.states = {aid: initial_state(r) for aid, r in self.records.items()}
        path = self.folder / DECISIONS
        self.seq = 0
        if not path.exists():
            return
        data = path.read_bytes()
        good_end = 0
        pos = 0
        while pos < len(data):
            nl = data.find(b"\n", pos)
            if nl < 0:
                break  # a line cut short by a crash: never acknowledged
            line = data[pos:nl]
            pos = nl + 1
            if not line.strip():
                good_end = pos
                continue
            try:
                d = json.loads(line)
            except ValueError as e:
                n = data[:pos].count(b"\n")
                raise InputError(f"{path}:{n}: unreadable decision ({e}); was the file changed by hand?") from None
            self.seq = max(self.seq, int(d.get("seq", 0)))
            st = self.states.get(d.get("article_id"))
            if st is not None:
                apply(st, d)  # every logged decision was checked before it was written
            good_end = pos
        if good_end < len(data):
            self.dropped_tail = True
            if repair:
                with open(path, "r+b") as fh:
                    fh.truncate(good_end)
                    fh.flush()
                    os.fsync(fh.fileno())

    # -------------------------------------------------------------- deciding

    def decide(self, decision: dict[str, Any]) -> tuple[dict[str, Any], ArticleState]:
        """Check a decision against the article's state, append it (fsynced), then apply it."""
        aid = decision.get("article_id")
        with self._mutex:
            st = self.states.get(aid) if isinstance(aid, str) else None
            if st is None or not isinstance(aid, str):
                raise DecisionError(f"no article {aid!r} in this review")
            line = {"seq": self.seq + 1, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    **{k: v for k, v in decision.items() if k in ("article_id", "action", "event", "values", "value")}}
            trial = copy.deepcopy(st)
            apply(trial, line)  # refused here: nothing written
            data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
            if self._log is None:
                new = not (self.folder / DECISIONS).exists()
                self._log = open(self.folder / DECISIONS, "ab")  # noqa: SIM115 (kept open for the run)
                if new:
                    _fsync_dir(self.folder)
            at = self._log.tell()
            try:
                self._log.write(data)
                self._log.flush()
                os.fsync(self._log.fileno())
            except OSError:
                with contextlib.suppress(OSError):  # leave no part of a line that was not saved
                    self._log.truncate(at)
                raise
            self.seq += 1
            self.states[aid] = trial
            return line, trial

    def progress(self) -> dict[str, int]:
        return {"reviewed": sum(s.done for s in self.states.values()), "total": len(self.states)}

    def close(self) -> None:
        if self._log:
            self._log.close()
            self._log = None
        if self._lock_fh:
            fcntl.flock(self._lock_fh.fileno(), fcntl.LOCK_UN)
            self._lock_fh.close()
            self._lock_fh = None
