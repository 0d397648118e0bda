"""The real embedded model, end to end (slow: run with `pytest -m embedded`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.schema import load_schema

from .conftest import CORPUS

pytestmark = pytest.mark.embedded


def test_extract_shortest_corpus_article_with_the_embedded_model(tmp_path: Path) -> None:
    article = min(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "COOPEX_MODEL")}
    env["COOPEX_HOME"] = str(tmp_path)  # a fresh result cache: the model must really run
    env["COOPEX_MODEL_DIR"] = os.environ.get("COOPEX_MODEL_DIR", str(Path.home() / ".cache" / "coopex" / "models"))
    before = _servers()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "extract", str(article), "--json", "--max-tokens", "1500"],
        capture_output=True, text=True, env=env, timeout=1500,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    record = json.loads(proc.stdout)
    if "error" in record:
        pytest.fail(f"the embedded model gave an error record: {record['error']}")
    load_schema("record.v1").validate(record)
    prov = record["provenance"]
    assert prov["backend"] == "embedded" and prov["cached"] is False
    assert prov["usage"]["prompt_tokens"] > 500 and prov["usage"]["completion_tokens"] > 0
    assert record["language"] == "kk"
    # the server was stopped on exit: no llama.cpp server left behind
    assert _servers() <= before


def _servers() -> set[str]:
    out = subprocess.run(["pgrep", "-f", "llama_cpp.server"], capture_output=True, text=True).stdout
    return set(out.split())
