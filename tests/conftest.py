"""Shared fixtures. Unit tests never reach the network: only loopback is allowed."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from pipeline.core.config import Settings
from pipeline.testing import FakeBackend

# CI runs the property tests on a fixed sequence of examples, the same on every run (a failure
# there is reproducible); elsewhere each run draws new examples and may find a new case.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
# invented articles: one Russian sentence numbered n, and a short English one
RU = "Аким области провел встречу с делегацией китайской компании номер {n} и обсудил строительство завода."
ARTICLE = "Kazakh and Chinese delegations met in Astana to discuss a new plant.\nThe talks went well."

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")) and self.family != socket.AF_UNIX:
        raise RuntimeError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # CLI mechanics are tested on the full-shape prompt, whose scripted answers are the spec's
    # events; test_cli has its own test of the default (compact) prompt.
    return Settings(cache_dir=tmp_path / "cache", model_dir=tmp_path / "models", prompt_id="extract-v1")


def event(**over: Any) -> dict[str, Any]:
    """A valid model-facing event; fields can be replaced."""
    ev: dict[str, Any] = {
        "type": "meeting", "date": "2025-12-27", "location": {"place": "Hangzhou", "country": "CN"},
        "kz_parties": [{"name": "Роман Скляр", "name_en": "Roman Sklyar", "kind": "person",
                        "title": "First Deputy Prime Minister of Kazakhstan", "affiliation": "Government of Kazakhstan"}],
        "cn_parties": [{"name": "Ван Хао", "name_en": "Wang Hao", "kind": "person", "title": "Party Secretary",
                        "affiliation": "Zhejiang Province"}],
        "sectors": ["machine_building"], "agreements": [], "projects": [],
        "summary": "Talks on industrial cooperation.", "evidence": [],
    }
    ev.update(over)
    return ev


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend()


def fake_factory(backend: FakeBackend):  # type: ignore[no-untyped-def]
    @contextmanager
    def factory(_settings: Settings, _say: Any) -> Iterator[FakeBackend]:
        yield backend

    return factory


def write_articles(d: Path, n: int = 2, name: str = "a{}.txt") -> Path:
    """The folder d with n invented Russian articles, numbered 0 to n-1 (in their text and name)."""
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (d / name.format(i)).write_text(RU.format(n=i), "utf-8")
    return d


def mixed_corpus(d: Path, n: int) -> Path:
    """The folder d with n short English articles, an empty file and a binary one."""
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (d / f"{i:04d}.txt").write_text(f"Article {i}. {ARTICLE}\nA second paragraph for article {i}.", "utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 4)
    return d


def one_line_error(r) -> str:  # type: ignore[no-untyped-def]
    """The one stderr line of a CLI run that stopped with exit 2 and no traceback."""
    assert r.exit_code == 2, (r.exit_code, r.output)
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    return lines[0]
