#!/usr/bin/env bash
# The test command: install (fast when already installed), lint, type-check,
# the real embedded model end to end, the prompt-evaluation gate on recorded
# answers, then the unit tests (no network, scripted backends).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
echo "== lint"
.venv/bin/ruff check pipeline tests bench
echo "== types"
.venv/bin/mypy pipeline
echo "== embedded model, end to end"
.venv/bin/pytest -q -m embedded
echo "== prompt evaluation gate (recorded answers, no model)"
.venv/bin/coopex eval --replay --gate eval/baseline.json --out "${TMPDIR:-/tmp}/coopex-eval-ci.json"
echo "== unit tests"
.venv/bin/pytest -q
