"""merge, export and report: one record per real-world event, tables, and a report with plots."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.config import repo_root
from pipeline.schema import load_schema
from pipeline.views.export import export
from pipeline.views.merge import cluster, merge_records, pairwise_and_bcubed, refs_from_records
from pipeline.views.report import Rates
from pipeline.views.report_folder import write_report

GOLD = sorted((repo_root() / "eval" / "gold").glob("0*.json"))


def gold_records() -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in GOLD]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_the_same_meeting_in_kazakh_and_russian_is_one_event() -> None:
    merged = merge_records(gold_records())
    multi = [m for m in merged if len(m["sources"]) > 1]
    assert len(merged) == 5 and len(multi) == 1
    m = multi[0]
    assert {s["article_id"][:3] for s in m["sources"]} == {"000", "001"}
    assert {s["language"] for s in m["sources"]} == {"kk", "ru"}
    assert m["date"] == "2025-12-27" and m["location"]["place"] == "Hangzhou"
    assert len({p["name_en"] for p in m["cn_parties"]}) == len(m["cn_parties"])  # union without repeats
    schema = load_schema("merged.v1")
    for rec in merged:
        schema.validate(rec)


def test_two_events_of_one_article_never_merge_and_far_dates_do_not_either() -> None:
    recs = gold_records()
    a = copy.deepcopy(recs[1])  # 001, the Russian report of the meeting
    a["article_id"] = "copy"
    a["events"][0]["date"] = "2026-03-01"  # two months later: another occasion
    refs = refs_from_records([recs[1], a, recs[2]])
    groups = [[r.id for r in g] for g in cluster(refs)]
    assert all(len(g) == 1 for g in groups)
    assert ["002_d431c98a8af968cf#0"] in groups and ["002_d431c98a8af968cf#1"] in groups


def test_conflicting_sources_are_noted_not_hidden() -> None:
    recs = gold_records()
    b = copy.deepcopy(recs[2])
    b["article_id"] = "other-report"
    b["events"] = [b["events"][0]]
    # an amount a fifth higher: not the same figure, not another project either (amounts that
    # differ by more than half are a contradiction: see test_merge_rules)
    b["events"][0]["projects"][0]["value"]["amount"] = 1.8e8
    merged = merge_records([recs[2], b])
    m = next(m for m in merged if len(m["sources"]) == 2)
    assert {(s["article_id"], s["event_index"]) for s in m["sources"]} == {(recs[2]["article_id"], 0), ("other-report", 0)}
    assert any(c["slot"] == "projects.value" for c in m["conflicts"])


def test_pairwise_and_bcubed() -> None:
    gold = [["a", "b"], ["c"], ["d"]]
    assert pairwise_and_bcubed([["a", "b"], ["c"], ["d"]], gold)["pairwise_f1"] == 1.0
    s = pairwise_and_bcubed([["a"], ["b"], ["c", "d"]], gold)
    assert s["pairwise_p"] == 0.0 and s["pairwise_r"] == 0.0
    assert s["bcubed_p"] == 0.75 and s["bcubed_r"] == 0.75


def test_export_csv_and_parquet_tables_join_on_event_id(tmp_path: Path) -> None:
    merged = write_jsonl(tmp_path / "merged.jsonl", merge_records(gold_records()))
    counts = export(merged, tmp_path / "t")
    assert counts["events"] == 5 and counts["parties"] > 10 and counts["projects"] == 4
    events = pq.read_table(tmp_path / "t" / "events.parquet").to_pylist()
    projects = pq.read_table(tmp_path / "t" / "projects.parquet")
    assert projects.schema.field("amount").type == "double"
    assert {p["event_id"] for p in projects.to_pylist()} <= {e["event_id"] for e in events}
    csv_lines = (tmp_path / "t" / "parties.csv").read_text("utf-8").splitlines()
    assert csv_lines[0] == "event_id,side,name,name_en,kind,title,affiliation,injected"
    assert len(csv_lines) == counts["parties"] + 1 and "Әбдікәрімов" in "".join(csv_lines)


def test_export_reads_batch_output_too(tmp_path: Path) -> None:
    recs = gold_records() + [{"article_id": "bad", "error": {"stage": "ingest"}}]
    counts = export(write_jsonl(tmp_path / "b.jsonl", recs), tmp_path / "t", ("csv",))
    assert counts["events"] == 6
    assert not (tmp_path / "t" / "events.parquet").exists()


def test_report_converts_with_the_rate_of_the_event_year(tmp_path: Path) -> None:
    merged = write_jsonl(tmp_path / "merged.jsonl", merge_records(gold_records()))
    s = write_report(merged, tmp_path / "r")
    kzt = next(c for c in s["conversions"] if c["currency"] == "KZT")
    assert kzt["rate_year"] == "2023" and kzt["rate"] == Rates.load().rates["KZT"]["2023"]
    assert abs(kzt["usd"] - 3e9 / kzt["rate"]) < 1
    assert s["value_by_region_usd"]["Aktobe Region"] == 150e6
    md = (tmp_path / "r" / "report.md").read_text("utf-8")
    assert "| 2023 | 456.31 |" in md and "Aktobe Region" in md
    for png in ("events_by_month.png", "value_by_region.png", "top_counterparts.png"):
        data = (tmp_path / "r" / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_rates_for_years_outside_the_table_and_unknown_currencies() -> None:
    r = Rates.load()
    last = max(r.rates["CNY"])
    assert r.to_usd(71.8, "CNY", "2099") == (71.8 / r.rates["CNY"][last], last, r.rates["CNY"][last])
    assert r.to_usd(5, "XAU", "2024") is None


def test_cli_merge_export_report_and_bad_input(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "records.jsonl", gold_records())
    runner = CliRunner()
    r = runner.invoke(app, ["merge", str(src), "-o", str(tmp_path / "m.jsonl")])
    assert r.exit_code == 0, r.output
    assert len((tmp_path / "m.jsonl").read_text("utf-8").splitlines()) == 5
    assert runner.invoke(app, ["export", str(tmp_path / "m.jsonl"), "-o", str(tmp_path / "t")]).exit_code == 0
    assert runner.invoke(app, ["report", str(tmp_path / "m.jsonl"), "-o", str(tmp_path / "r")]).exit_code == 0
    assert (tmp_path / "r" / "report.html").exists()
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"article_id": "a", "events": []}\n{not json\n', "utf-8")
    r = runner.invoke(app, ["merge", str(broken), "-o", str(tmp_path / "x.jsonl")])
    assert r.exit_code == 2 and "broken.jsonl:2" in r.output
    r = runner.invoke(app, ["export", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "t2")])
    assert r.exit_code == 2 and "no such file" in r.output
    r = runner.invoke(app, ["export", str(src), "-o", str(tmp_path / "t3"), "--format", "xlsx"])
    assert r.exit_code == 2


def _dated(article_id: str, date: str | None) -> dict[str, Any]:
    rec = copy.deepcopy(gold_records()[1])  # 001, the Russian report of the meeting
    rec["article_id"] = article_id
    rec["published"] = None
    rec["events"] = rec["events"][:1]
    rec["events"][0]["date"] = date
    return rec


def test_an_undated_event_never_chains_events_months_apart() -> None:
    recs = [_dated("jan", "2024-01-01"), _dated("undated", None), _dated("dec", "2024-12-01")]
    groups = [sorted(r.article_id for r in g) for g in cluster(refs_from_records(recs))]
    assert ["dec", "jan"] not in groups and not any(len(g) == 3 for g in groups)
    assert sorted(len(g) for g in groups) == [1, 2]  # the undated one joins one of them, not both
    # dates within the window still chain through an undated report
    recs = [_dated("a", "2024-01-01"), _dated("b", None), _dated("c", "2024-01-03")]
    assert [len(g) for g in cluster(refs_from_records(recs))] == [3]


def test_records_claiming_an_unknown_schema_version_are_refused(tmp_path: Path) -> None:
    from pipeline.core.errors import InputError
    from pipeline.views.export import read_records

    recs = gold_records()
    recs[2] = {**recs[2], "provenance": {"schema_id": "record.v9"}}
    src = write_jsonl(tmp_path / "r.jsonl", recs)
    runner = CliRunner()
    for cmd in ("merge", "export", "report"):
        r = runner.invoke(app, [cmd, str(src), "-o", str(tmp_path / f"out-{cmd}")])
        assert r.exit_code == 2 and "record.v9" in r.stderr and "r.jsonl:3" in r.stderr, r.output
    # a record that claims record.v1 must be one
    bad = {**gold_records()[0], "provenance": {"schema_id": "record.v1"}}
    try:
        read_records(write_jsonl(tmp_path / "b.jsonl", [bad]))
    except InputError as e:
        assert "record.v1" in str(e)
    else:
        raise AssertionError("a record failing the schema it claims was accepted")


def test_unmerged_files_given_to_export_and_report_are_said_so(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "records.jsonl", gold_records())
    runner = CliRunner()
    for cmd in ("export", "report"):
        r = runner.invoke(app, [cmd, str(src), "-o", str(tmp_path / cmd)])
        assert r.exit_code == 0, r.output
        assert "not merged events" in r.stderr and "coopex merge" in r.stderr
    html = (tmp_path / "report" / "report.html").read_text("utf-8")
    assert "per-article records, not merged events" in html
    merged = tmp_path / "m.jsonl"
    assert runner.invoke(app, ["merge", str(src), "-o", str(merged)]).exit_code == 0
    r = runner.invoke(app, ["report", str(merged), "-o", str(tmp_path / "r2")])
    assert r.exit_code == 0 and "not merged" not in r.stderr
    r = runner.invoke(app, ["merge", str(merged), "-o", str(tmp_path / "m2.jsonl")])
    assert r.exit_code == 2 and "merged events already" in r.stderr


HOSTILE = ["=HYPERLINK(\"http://evil.example/\",\"click\")", "+1+2", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR",
           "<script>alert(1)</script>"]


def hostile_records() -> list[dict[str, Any]]:
    recs = gold_records()
    ev = recs[1]["events"][0]
    for i, bad in enumerate(HOSTILE[:5]):
        ev["cn_parties"].append({"name": bad, "name_en": bad, "kind": "company", "title": None, "affiliation": None})
        del i
    ev["summary"] = HOSTILE[0]
    ev["kz_parties"][0]["title"] = HOSTILE[6]
    return recs


def test_csv_cells_that_start_like_formulas_are_neutralised(tmp_path: Path) -> None:
    import csv

    src = write_jsonl(tmp_path / "r.jsonl", hostile_records())
    export(src, tmp_path / "t", ("csv", "parquet"))
    with (tmp_path / "t" / "parties.csv").open(encoding="utf-8", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    for bad in HOSTILE[:5]:
        assert bad not in cells and "'" + bad in cells  # shown as text by a spreadsheet
    assert not any(c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not c[1:2].isdigit() and c != "-")
                   for c in cells if c)
    with (tmp_path / "t" / "events.csv").open(encoding="utf-8", newline="") as fh:
        summaries = [row["summary"] for row in csv.DictReader(fh)]
    assert "'" + HOSTILE[0] in summaries
    names = {p["name"] for p in pq.read_table(tmp_path / "t" / "parties.parquet").to_pylist()}
    assert HOSTILE[0] in names  # Parquet keeps the data as it is


def test_a_record_repeated_in_merge_input_is_taken_once_with_a_warning(tmp_path: Path) -> None:
    """`cat out.jsonl out.jsonl > x.jsonl; coopex merge x.jsonl`: the same events and USD total
    as from out.jsonl, and a warning that names the repeated articles."""
    recs = gold_records()
    once = write_jsonl(tmp_path / "out.jsonl", recs)
    twice = tmp_path / "x.jsonl"
    twice.write_bytes(once.read_bytes() * 2)
    runner = CliRunner()
    r1 = runner.invoke(app, ["merge", str(once), "-o", str(tmp_path / "m1.jsonl")])
    r2 = runner.invoke(app, ["merge", str(twice), "-o", str(tmp_path / "m2.jsonl")])
    assert r1.exit_code == 0 and r2.exit_code == 0, r2.output
    assert "taken once" not in r1.stderr
    assert f"{len(recs)} repeated record(s) of {len(recs)} article(s)" in r2.stderr and "taken once" in r2.stderr
    assert recs[0]["article_id"] in r2.stderr
    assert (tmp_path / "m2.jsonl").read_bytes() == (tmp_path / "m1.jsonl").read_bytes()
    summaries = []
    for m in ("m1", "m2"):
        assert runner.invoke(app, ["report", str(tmp_path / f"{m}.jsonl"), "-o", str(tmp_path / f"r{m}")]).exit_code == 0
        summaries.append(json.loads((tmp_path / f"r{m}" / "summary.json").read_text("utf-8")))
    assert summaries[0]["events"] == summaries[1]["events"] > 0
    assert summaries[0] == summaries[1]
    # the same article id with a different record (extracted again) is not a repeat: both are kept
    changed = copy.deepcopy(recs[0])
    changed["events"] = []
    write_jsonl(tmp_path / "y.jsonl", [*recs, changed])
    r3 = runner.invoke(app, ["merge", str(tmp_path / "y.jsonl"), "-o", str(tmp_path / "m3.jsonl")])
    assert r3.exit_code == 0 and "taken once" not in r3.stderr


def test_an_amount_dated_before_the_rate_table_is_converted_with_a_rate_marked_estimated(tmp_path: Path) -> None:
    r = Rates.load()
    first = min(r.rates["KZT"])
    assert first > "2005"  # the table starts later than the amounts of older news
    ev = {**copy.deepcopy(merge_records(gold_records())[0]), "date": "2005-06-01"}
    ev["projects"] = [{"description": "a grain terminal", "location": None, "sectors": ["logistics_transport"],
                       "value": {"amount": 13_288_000_000, "currency": "KZT", "qualifier": "exact"},
                       "status": "agreed"}]
    s = write_report(write_jsonl(tmp_path / "m.jsonl", [ev]), tmp_path / "r")
    conv = s["conversions"][0]
    assert conv["rate_year"] == first and conv["estimated_rate"] is True
    assert "2005 is before the rate table's first year" in conv["estimate_note"]
    md = (tmp_path / "r" / "report.md").read_text("utf-8")
    assert f"{first} (estimate)" in md and "2005 is before the rate table's first year" in md
    assert "2005 is before the rate table" in (tmp_path / "r" / "report.html").read_text("utf-8")
    # a year the table holds, and not marked estimated there, is exact
    ev["date"] = "2019-06-01"
    s = write_report(write_jsonl(tmp_path / "m.jsonl", [ev]), tmp_path / "r")
    assert s["conversions"][0]["estimated_rate"] is False and "estimate_note" not in s["conversions"][0]


def test_the_recorded_corpus_answers_keep_the_cross_language_pair_merged(tmp_path: Path) -> None:
    """The default prompt's recorded answers on the corpus (no model): 000 and 001 are one record,
    and the second source says why it was joined to the first."""
    from pipeline.core.config import Settings

    out = tmp_path / "r.json"
    settings = Settings(cache_dir=tmp_path / "cache", model_dir=tmp_path / "models")
    r = CliRunner().invoke(app, ["eval", "--replay", "--prompt", "extract-v9", "--out", str(out)],
                           obj={"settings": settings})
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text("utf-8"))
    assert report["merge"]["predicted_events"]["pairwise_r"] == 1.0
    merged = merge_records(report["records"].values())
    pair = [m for m in merged if {s["article_id"][:3] for s in m["sources"]} == {"000", "001"}]
    assert len(pair) == 1 and len(pair[0]["sources"]) == 2
    why = pair[0]["sources"][1]["why"]
    assert why["with"] == f"{pair[0]['sources'][0]['article_id']}#{pair[0]['sources'][0]['event_index']}"
    assert why["parties"] and why["time"]
    assert all(len(m["sources"]) == 1 for m in merged if m is not pair[0])
