"""The versions table: each prompt version on the development set and the confirmation split side by
side, with the gap, from the reports under eval/reports/dev/ and eval/reports/check/ (never typed).

    .venv/bin/python scripts/versions_table.py [--reports eval/reports]

A report is written by `coopex eval ... --out eval/reports/<set>/<prompt>__<model>.json`; the
confirmation split's with `--aggregate-only`. The same table, with every other figure, is in
docs/results.md (`scripts/results.py`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import ROOT, versions_table  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=Path, default=ROOT / "eval" / "reports")
    print(versions_table(ap.parse_args().reports))


if __name__ == "__main__":
    main()
