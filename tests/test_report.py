"""The report for analysts and journalists: every section is there, every text is escaped, and the
page works in a real headless Chromium (filters, sorting, no external resources, a screenshot)."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.views.merge import merge_records
from pipeline.views.report import md
from pipeline.views.report_folder import write_report
from tests.support.demo import demo_merged, demo_records

from .test_tables import HOSTILE, gold_records, write_jsonl

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def demo_report(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    src = write_jsonl(tmp_path / "merged.jsonl", demo_merged())
    s = write_report(src, tmp_path / "r")
    return tmp_path / "r", s


def test_the_html_report_holds_every_section_not_only_the_heading(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "merged.jsonl", merge_records(gold_records()))
    r = CliRunner().invoke(app, ["report", str(src), "-o", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    summary = json.loads((tmp_path / "r" / "summary.json").read_text("utf-8"))
    for region in summary["value_by_region_usd"]:  # the region table
        assert region in page
    for counterpart in summary["top_counterparts"]:  # the counterpart table
        assert counterpart.replace("'", "&#x27;") in page
    for t in summary["by_type"]:  # the type counts
        assert t in page
    assert page.count("<tbody class='ev'") == summary["events"]  # one row group per event
    assert "Hangzhou" in page and "Roman Sklyar" in page and "456.31" in page  # an event, a conversion rate
    assert page.count("<blockquote>") == sum(len(json.loads(x)["evidence"]) for x in src.read_text().splitlines())
    md_text = (tmp_path / "r" / "report.md").read_text("utf-8")
    assert "## Top China-side counterparts" in md_text and "### Evidence" in md_text


def test_header_counts_period_and_total_value(tmp_path: Path) -> None:
    out, s = demo_report(tmp_path)
    assert s["period"] == {"first": "2025-03-14", "last": "2025-11-22", "undated": 1}
    assert s["events"] == 6 and s["sources"] == 7
    assert s["total_usd"] == pytest.approx(sum(c["usd"] for c in s["conversions"]))
    page = (out / "report.html").read_text("utf-8")
    assert "2025-03-14 to 2025-11-22 (1 undated)" in page and "$464.5 m" in page
    # every event links to its sources: to the article's address when the input gave one
    assert "href='https://example.org/news/tractor-plant'" in page and "href='https://example.org/ru/traktor'" in page
    assert re.search(r"<a href='#s[0-9a-f]{12}'[^>]*>demo-ru-004</a>", page)  # no address: the sources list


def hostile_merged() -> list[dict[str, Any]]:
    recs = copy.deepcopy(gold_records())
    ev = recs[2]["events"][0]
    ev["cn_parties"] = [{"name": bad, "name_en": bad, "kind": "company", "title": None, "affiliation": None}
                        for bad in HOSTILE] + ev["cn_parties"]
    ev["summary"] = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) ' \" |"
    ev["projects"][0]["description"] = "=HYPERLINK(\"http://evil.example/\",\"x\")"
    ev["evidence"].append("</script><script>alert(2)</script>")
    recs[2]["provenance"] = {"input": {"url": "javascript:alert(3)", "title": "<b>bold</b>"}}
    return merge_records(recs)


def test_hostile_text_is_escaped_in_the_page_and_neutralised_in_markdown(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "merged.jsonl", hostile_merged())
    write_report(src, tmp_path / "r")
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert page.count("<script") == 1 and page.count("</script>") == 1  # the page's own script only
    assert "<img src=x" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert all(h.startswith(("#", "http://", "https://")) for h in re.findall(r"href='([^']*)'", page))
    assert "<td>javascript:alert(3)</td>" in page  # an address that is no web address: shown as text, not a link
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    mdown = (tmp_path / "r" / "report.md").read_text("utf-8")
    assert "<script" not in mdown and "<img" not in mdown and "<b>" not in mdown
    assert not re.search(r"(?<!\\)\]\(", mdown.split("![")[0]) and "\\[click\\]" in mdown  # no link forms
    cells = [c.strip() for line in mdown.splitlines() if line.startswith("| ")
             for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    assert not any(c[:1] in ("=", "+", "@") for c in cells)  # a spreadsheet given this table runs nothing
    assert "'=HYPERLINK" in mdown and "'+1+2" in mdown and "'@SUM" in mdown


def test_markdown_cells_are_escaped() -> None:
    assert md("a | b") == "a \\| b"
    assert md("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert md("=1+1") == "'=1+1" and md("-5") == "'-5" and md("a\nb") == "a b"
    assert md("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md("$100 and $200") == "\\$100 and \\$200"


# ------------------------------------------------------------------ in a real browser


def _chromium() -> str:
    path = shutil.which("chromium")
    assert path, "chromium is not installed: run scripts/install.sh (apt-get install chromium)"
    return path


def dump_dom(page: Path, tmp_path: Path, fragment: str = "") -> str:
    profile = tmp_path / f"profile-{abs(hash(fragment))}"
    p = subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                        page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert "<table id=\"events\"" in p.stdout, p.stderr[-2000:]
    return p.stdout


def shown_rows(dom: str) -> list[str]:
    """The data-date of the event row groups the page shows, in the order it shows them."""
    groups = re.findall(r"<tbody class=\"ev\"([^>]*)>", dom)
    return [re.search(r'data-date="([^"]*)"', g).group(1) or "undated"  # type: ignore[union-attr]
            for g in groups if " hidden" not in g]


def test_the_page_filters_and_sorts_in_chromium(tmp_path: Path) -> None:
    out, s = demo_report(tmp_path)
    page = out / "report.html"
    dom = dump_dom(page, tmp_path)
    assert "6 of 6 events shown" in dom  # the script ran: the page's CSP allows it by hash
    assert shown_rows(dom) == ["2025-03-14", "2025-05-20", "2025-06-03", "2025-09-10", "2025-11-22", "undated"]
    dom = dump_dom(page, tmp_path, "#type=signing")
    assert shown_rows(dom) == ["2025-03-14"] and "1 of 6 events shown" in dom
    dom = dump_dom(page, tmp_path, "#sort=usd&dir=desc")
    assert shown_rows(dom)[:4] == ["2025-09-10", "2025-03-14", "2025-11-22", "2025-06-03"]  # 167, 120, 90, 87 m
    assert 'data-sort="usd" aria-sort="descending"' in dom or "aria-sort=\"descending\"" in dom
    dom = dump_dom(page, tmp_path, "#q=wheat")
    assert shown_rows(dom) == ["2025-11-22"]
    dom = dump_dom(page, tmp_path, "#sector=metallurgy&q=%D0%B0%D0%BB%D1%8E%D0%BC")  # "алюм", in the evidence
    assert shown_rows(dom) == ["2025-06-03"]


def test_the_page_loads_nothing_from_outside(tmp_path: Path) -> None:
    out, _ = demo_report(tmp_path)
    page = (out / "report.html").read_text("utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<(?:link|iframe|object|embed)\b", page)
    srcs = re.findall(r"\ssrc='([^']*)'", page)
    assert srcs and all(u.startswith("data:image/png;base64,") for u in srcs)
    for href in re.findall(r"href='([^']*)'", page):
        assert href.startswith(("#", "https://", "http://"))


def test_screenshot_of_the_report_in_chromium(tmp_path: Path) -> None:
    from PIL import Image

    out, _ = demo_report(tmp_path)
    shot = tmp_path / "report.png"
    subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'shot-profile'}",
                    f"--screenshot={shot}", "--window-size=1280,1400", (out / "report.html").as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 50_000  # a rendered page, not a blank one
    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 1400)
    colours = img.resize((320, 350)).getcolors(1 << 16) or []
    assert len(colours) > 200  # text, badges, the timeline and plots: not one flat colour
    # the type badges are drawn in their colours (the page's stylesheet applied under its CSP)
    pixels = {c for _, c in img.getcolors(1 << 22) or []}
    assert (46, 139, 87) in pixels and (59, 110, 165) in pixels  # signing, meeting


def test_demo_records_are_real_records(tmp_path: Path) -> None:
    from pipeline.schema import load_schema

    recs = demo_records()
    assert len(recs) == 7 and all("error" not in r for r in recs)
    assert all(r["provenance"]["grounding_rate"] == 1.0 for r in recs)
    for m in demo_merged():
        load_schema("merged.v1").validate(m)
