"""Shared by the review tests: batch records of corpus articles made from the recorded answers (no model),
and a review server run as its own process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline.core.config import Settings, repo_root
from pipeline.evaluation.evaluate import RecordingCache, RecordingStore, ReplayOnlyBackend, recordings_path
from pipeline.extract import Extractor, Params
from pipeline.ingest.articles import iter_inputs
from pipeline.methods.prompts import load_prompt
from pipeline.run.batch import run_batch
from pipeline.schema import load_schema

ROOT = repo_root()
CORPUS = ROOT / "eval" / "corpus"


def corpus_batch(tmp: Path, n: int = 3) -> tuple[Path, Path]:
    """The first ``n`` corpus articles copied to tmp/articles and their batch output (tmp/events.jsonl),
    extracted by the default prompt from its recorded answers."""
    arts = tmp / "articles"
    arts.mkdir(parents=True, exist_ok=True)
    for f in sorted(CORPUS.glob("*.txt"))[:n]:
        shutil.copy(f, arts / f.name)
    s = Settings(cache_dir=tmp / "cache")
    store = RecordingStore(recordings_path(ROOT / "eval" / "recordings", s.prompt_id, s.model_name))
    ex = Extractor(ReplayOnlyBackend(s.model_name, s.mode), load_prompt(s.prompt_id), load_schema(s.schema_id),
                   RecordingCache(store), Params(s.temperature, s.max_tokens, s.seed))
    out = tmp / "events.jsonl"
    summary = run_batch(list(iter_inputs([arts])), ex, out, input_paths=[arts])
    assert summary.done == n and summary.failed == 0, summary
    return out, arts


class ServerProcess:
    """``coopex review EVENTS -o FOLDER`` in its own process; ``url`` is the address it printed."""

    def __init__(self, events: Path, folder: Path, *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli.main", "review", str(events), "-o", str(folder), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("review page: "):
            self.proc.wait(timeout=30)
            raise AssertionError(f"the server did not start: {line!r} {self.proc.stderr.read() if self.proc.stderr else ''}")
        self.url = line.split(": ", 1)[1].strip()
        self.base = self.url.split("/?", 1)[0]
        self.token = self.url.split("token=", 1)[1]
        self.err = ""  # what it wrote to stderr, once stopped

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err += self.proc.stderr.read() if self.proc.stderr else ""
        return self.err

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)


def wait_for(cond, timeout: float = 60.0, what: str = "condition"):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
