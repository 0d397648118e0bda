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
echo "== layers (import-linter: a lower stage never imports a higher one)"
.venv/bin/lint-imports
echo "== embedded model, end to end"
.venv/bin/pytest -q -m embedded
echo "== prompt evaluation gate (recorded answers, no model): the corpus"
.venv/bin/coopex eval --replay --gate eval/baseline.json --out "${TMPDIR:-/tmp}/coopex-eval-ci.json"
# gate WHAT DIR REQUIRED_FILE COOPEX_EVAL_ARGS...: a set kept beside the checkout in ../shared; in CI it must be there
gate() {
  local what=$1 dir=$2 need=$3
  shift 3
  echo "== $what in $dir (recorded answers, no model)"
  if [ -e "$need" ]; then
    .venv/bin/coopex eval --replay "$@"
  elif [ "${CI:-}" = true ]; then
    echo "$what: missing at $dir" >&2
    exit 1
  else
    echo "note: nothing at $dir beside this checkout; the $what did not run"
  fi
}
gate "prompt evaluation gate: the development set" ../shared/dev ../shared/dev/articles \
  --corpus ../shared/dev/articles --gold ../shared/dev/gold \
  --gate eval/baseline-dev.json --out "${TMPDIR:-/tmp}/coopex-eval-dev-ci.json"
gate "prompt evaluation gate: the confirmation split, aggregate figures only" ../shared/check ../shared/check/articles \
  --aggregate-only --corpus ../shared/check/articles --gold ../shared/check/gold \
  --gate eval/baseline-check.json --out "${TMPDIR:-/tmp}/coopex-eval-check-ci.json"
gate "merge gate: the merge set" ../shared/merge ../shared/merge/occasions.tsv \
  --merge --corpus ../shared/merge/articles --occasions ../shared/merge/occasions.tsv \
  --gate eval/baseline-merge.json --out "${TMPDIR:-/tmp}/coopex-eval-merge-ci.json"
echo "== unit tests"
.venv/bin/pytest -q
