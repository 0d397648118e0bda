#!/usr/bin/env bash
# The README's review screenshot (docs/review.png): the invented demo set (tests/support/demo.py) under
# review, one event accepted and one party moved, rendered by headless Chromium. Nothing is fetched
# from the network.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
tmp=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
"$PY" -m tests.support.demo "$tmp" >/dev/null
"$PY" - "$tmp" <<'PYEOF'
import json, sys
from pathlib import Path
from tests.support.demo import ARTICLES
from pipeline.review.items import load_records
from pipeline.review.store import ReviewFolder
tmp = Path(sys.argv[1])
(tmp / "articles.jsonl").write_text("".join(json.dumps({k: a[k] for k in ("id", "text", "title", "url", "date")},
                                                       ensure_ascii=False) + "\n" for a in ARTICLES), "utf-8")
rv = ReviewFolder(tmp / "review")
rv.lock()
rv.begin(tmp / "records.jsonl", load_records(tmp / "records.jsonl")[0], [tmp / "articles.jsonl"])
for aid in ("demo-ru-002", "demo-ru-004"):
    if aid in rv.states:
        for e in rv.states[aid].events:
            rv.decide({"article_id": aid, "action": "accept", "event": e.id})
        rv.decide({"article_id": aid, "action": "done"})
rv.close()
PYEOF
"$PY" -m pipeline.cli.main review "$tmp/records.jsonl" -o "$tmp/review" --articles "$tmp/articles.jsonl" \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
for _ in $(seq 1200); do grep -q "^review page: " "$tmp/serve.out" && break; sleep 0.1; done  # up to 2 minutes on a busy machine
url=$(sed -n 's/^review page: //p' "$tmp/serve.out")
[ -n "$url" ] || { echo "the review server did not start:" >&2; cat "$tmp/serve.err" >&2; exit 1; }
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$tmp/profile" --hide-scrollbars --virtual-time-budget=5000 \
  --screenshot="$tmp/shot.png" --window-size=1440,900 "$url" 2>/dev/null
"$PY" - "$tmp/shot.png" docs/review.png <<'PYEOF'
import sys
from PIL import Image
Image.open(sys.argv[1]).convert("RGB").quantize(colors=96).save(sys.argv[2], optimize=True)
PYEOF
echo "wrote docs/review.png"
