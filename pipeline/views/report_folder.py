"""The report's folder: report.md, report.html, summary.json and the plots, written together
through one ``FolderOutput`` (all or nothing) from a merged batch output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.storage.outputs import FolderOutput, first_line
from pipeline.views.export import Records, events_of, read_records, unmerged_warning
from pipeline.views.report import FILES, REPORT_HEADING, Rates, markdown, plots, summarise
from pipeline.views.report_page import render_page


def recognise_report() -> dict[str, Callable[[Path], bool]]:
    """How to tell the files an older coopex wrote (before folder manifests) from other files."""
    def summary(p: Path) -> bool:
        raw = json.loads(p.read_text("utf-8"))
        return isinstance(raw, dict) and "rate_table" in raw and "events" in raw

    def png(p: Path) -> bool:
        head = p.read_bytes()[:4096]
        return head.startswith(b"\x89PNG\r\n\x1a\n") and b"Matplotlib" in head

    return {"report.md": lambda p: first_line(p).startswith(REPORT_HEADING),
            "report.html": lambda p: b"<title>coopex report" in p.read_bytes()[:4096],
            "summary.json": summary, ".png": png}


def write_report(source: Path, out_dir: Path, rates_path: Path | None = None,
                 on_warning: Callable[[str], None] | None = None) -> dict[str, Any]:
    out = FolderOutput(out_dir, FILES, inputs=[source] + ([rates_path] if rates_path else []),
                       recognise=recognise_report())
    recs: Records = read_records(source)
    if not recs.merged and recs.rows and on_warning:
        on_warning(unmerged_warning(source))
    events = list(events_of(recs.rows))
    rates = Rates.load(rates_path)
    s = summarise(events, rates)
    s["merged"] = recs.merged
    images: dict[str, bytes] = {}
    for name, draw in plots(s).items():
        out.write_with(name, draw)
        images[name] = (out_dir / name).read_bytes()
    out.write("report.md", markdown(events, s, list(images), recs.merged).encode("utf-8"))
    out.write("report.html", render_page(events, s, images, source.name).encode("utf-8"))
    out.write("summary.json", json.dumps(s, indent=1, ensure_ascii=False).encode("utf-8"))
    out.commit()
    return s
