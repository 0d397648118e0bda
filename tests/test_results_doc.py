"""docs/results.md is generated from the committed reports (scripts/results.py): regenerating it gives
the committed page exactly, so no figure in it can go stale."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _results_module():
    spec = importlib.util.spec_from_file_location("coopex_results_doc", ROOT / "scripts" / "results.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_results_page_is_what_the_reports_give():
    committed = (ROOT / "docs" / "results.md").read_text(encoding="utf-8")
    assert _results_module().render(ROOT) == committed, (
        "docs/results.md is stale: run `.venv/bin/python scripts/results.py` and commit docs/results.md")


def test_readme_versions_table_is_what_the_reports_give():
    committed = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _results_module().readme(ROOT) == committed, (
        "README.md's versions table is stale: run `.venv/bin/python scripts/results.py` and commit README.md")


def test_confirmation_split_only_in_aggregate():
    """Every report under eval/reports/check is aggregate-only, so the page can name none of its articles."""
    reports = sorted((ROOT / "eval" / "reports" / "check").glob("*.json"))
    assert reports
    for p in reports:
        r = json.loads(p.read_text(encoding="utf-8"))
        assert r.get("aggregate_only") is True, p
        assert "articles" not in r and "records" not in r, p
