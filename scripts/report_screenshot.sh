#!/usr/bin/env bash
# The README's report screenshot (docs/report.png): the invented demo set (tests/support/demo.py)
# through merge and report, rendered by headless Chromium. Nothing is fetched from the network.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m tests.support.demo "$tmp"
"$PY" -m pipeline.cli.main report "$tmp/merged.jsonl" -o "$tmp/report"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$tmp/profile" --hide-scrollbars \
  --screenshot="$tmp/shot.png" --window-size=1280,1160 "file://$tmp/report/report.html" 2>/dev/null
"$PY" - "$tmp/shot.png" docs/report.png <<'PYEOF'
import sys
from PIL import Image
Image.open(sys.argv[1]).convert("RGB").quantize(colors=96).save(sys.argv[2], optimize=True)
PYEOF
echo "wrote docs/report.png"
