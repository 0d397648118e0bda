#!/usr/bin/env bash
# The test command: install (fast when already installed), lint, type-check,
# unit tests (no network, scripted backends), then the real embedded model end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
echo "== lint"
.venv/bin/ruff check pipeline tests bench
echo "== types"
.venv/bin/mypy pipeline
echo "== unit tests"
.venv/bin/pytest -q
echo "== embedded model, end to end"
.venv/bin/pytest -q -m embedded
