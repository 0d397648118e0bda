"""Shared fixtures. Unit tests never reach the network: only loopback is allowed."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.config import Settings
from pipeline.testing import FakeBackend

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"

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
