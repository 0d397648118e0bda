#!/usr/bin/env bash
# The test command: install (fast when already installed), lint, type-check,
# the real embedded model end to end, the prompt-evaluation and merge gates on recorded
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
echo "== prompt evaluation gate (recorded answers, no model): the corpus"
.venv/bin/coopex eval --replay --gate eval/baseline.json --out "${TMPDIR:-/tmp}/coopex-eval-ci.json"
echo "== prompt evaluation gate (recorded answers, no model): the development set in ../shared/dev"
if [ -d ../shared/dev/articles ]; then
  .venv/bin/coopex eval --replay --corpus ../shared/dev/articles --gold ../shared/dev/gold \
    --gate eval/baseline-dev.json --out "${TMPDIR:-/tmp}/coopex-eval-dev-ci.json"
elif [ "${CI:-}" = true ]; then
  echo "the development set is missing at ../shared/dev" >&2
  exit 1
else
  echo "note: no development set at ../shared/dev beside this checkout; its gate did not run"
fi
echo "== prompt evaluation gate (recorded answers, no model): the confirmation split in ../shared/check, aggregate figures only"
if [ -d ../shared/check/articles ]; then
  .venv/bin/coopex eval --replay --aggregate-only --corpus ../shared/check/articles --gold ../shared/check/gold \
    --gate eval/baseline-check.json --out "${TMPDIR:-/tmp}/coopex-eval-check-ci.json"
elif [ "${CI:-}" = true ]; then
  echo "the confirmation split is missing at ../shared/check" >&2
  exit 1
else
  echo "note: no confirmation split at ../shared/check beside this checkout; its gate did not run"
fi
echo "== merge gate (recorded answers, no model): the merge set in ../shared/merge"
if [ -d ../shared/merge/articles ] && [ -f ../shared/merge/occasions.tsv ]; then
  .venv/bin/coopex eval --merge --replay --corpus ../shared/merge/articles --occasions ../shared/merge/occasions.tsv \
    --gate eval/baseline-merge.json --out "${TMPDIR:-/tmp}/coopex-eval-merge-ci.json"
elif [ "${CI:-}" = true ]; then
  echo "the merge set is missing at ../shared/merge" >&2
  exit 1
else
  echo "note: no merge set at ../shared/merge beside this checkout; its gate did not run"
fi
echo "== unit tests"
.venv/bin/pytest -q
