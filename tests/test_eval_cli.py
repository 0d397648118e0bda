"""`coopex eval` through the runner: record, replay, gate, compare, HTML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from pipeline.backends.base import LLMRequest
from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.ingest.articles import iter_inputs
from pipeline.testing import FakeBackend

from .conftest import CORPUS, ROOT, fake_factory

runner = CliRunner()
GOLD = ROOT / "eval" / "gold"


def gold_answers(drop_agreements: bool = False):  # type: ignore[no-untyped-def]
    """A scripted model that answers each corpus article with its gold events."""
    texts = {a.id: a.text for a in iter_inputs([CORPUS])}
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in GOLD.glob("*.json")}

    def answer(req: LLMRequest) -> dict[str, Any]:
        last = req.messages[-1]["content"]
        aid = next(a for a, t in texts.items() if t in last)
        events = json.loads(json.dumps(golds[aid]["events"]))
        if drop_agreements:
            for ev in events:
                ev["agreements"], ev["projects"] = [], []
        return {"events": events}

    return answer


def invoke(fake: FakeBackend, settings: Settings, args: list[str]):  # type: ignore[no-untyped-def]
    # the scripted backend reports the configured model name, as the real backends do
    settings = settings.with_overrides(model=fake.model)
    return runner.invoke(app, ["eval", *args], obj={"settings": settings, "backend_factory": fake_factory(fake)})


def test_record_replay_gate_and_compare(settings: Settings, tmp_path: Path) -> None:
    rec_dir, good, bad, base = tmp_path / "rec", tmp_path / "good.json", tmp_path / "bad.json", tmp_path / "base.json"
    fake = FakeBackend(default=gold_answers())
    r = invoke(fake, settings, ["--record", "--recordings", str(rec_dir), "--out", str(good),
                                "--update-baseline", str(base), "--margin", "0.02"])
    assert r.exit_code == 0, r.output
    assert len(fake.requests) == 5
    report = json.loads(good.read_text())
    assert report["headline"]["event_f1"] == 1.0 and report["headline"]["slot_f1_lenient"] == 1.0
    files = list(rec_dir.rglob("*.jsonl"))
    assert len(files) == 1 and len(files[0].read_text().splitlines()) == 5
    assert "sk-" not in files[0].read_text()

    # replay: no model at all, same scores, gate passes
    idle = FakeBackend()
    r = invoke(idle, settings, ["--replay", "--recordings", str(rec_dir), "--out", str(tmp_path / "replay.json"),
                                "--gate", str(base)])
    assert r.exit_code == 0, r.output
    assert idle.requests == [] and "gate passed" in r.stdout
    assert json.loads((tmp_path / "replay.json").read_text())["headline"] == report["headline"]

    # a worse prompt (here: a model that drops agreements and projects) fails the gate
    worse = FakeBackend(model="worse-model", default=gold_answers(drop_agreements=True))
    r = invoke(worse, settings, ["--recordings", str(tmp_path / "rec2"), "--record", "--out", str(bad),
                                 "--gate", str(base)])
    assert r.exit_code == 1, r.output
    assert "regression" in r.stderr and "slot_f1_lenient" in r.stderr
    assert "slot projects" in r.stdout

    r = runner.invoke(app, ["eval", "--compare", str(good), str(bad)])
    assert r.exit_code == 0, r.output
    assert "worse in B: 002_d431c98a8af968cf, 003_363089adc210c405, 004_c2338ef4729e969f" in r.stdout
    assert "slot agreements" in r.stdout


def test_replay_without_recordings_is_a_clear_error(settings: Settings, tmp_path: Path) -> None:
    r = invoke(FakeBackend(), settings, ["--replay", "--recordings", str(tmp_path / "none")])
    assert r.exit_code == 2 and "no recordings" in r.stderr


def test_bad_gold_directory(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "x.json").write_text('{"article_id": "x"}')
    r = invoke(FakeBackend(default={"events": []}), settings, ["--gold", str(tmp_path / "g"), "--out", str(tmp_path / "o.json")])
    assert r.exit_code == 2 and "gold schema" in r.stderr


def test_html_page_has_the_reports_numbers(settings: Settings, tmp_path: Path) -> None:
    fake = FakeBackend(default=gold_answers(drop_agreements=True))
    page, out = tmp_path / "page.html", tmp_path / "r.json"
    r = invoke(fake, settings, ["--out", str(out), "--html", str(page), "--recordings", str(tmp_path / "rec")])
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text())
    html = page.read_text()
    assert f"<td id='slot_f1_lenient'>{report['headline']['slot_f1_lenient']:.3f}</td>" in html
    assert "<mark>" in html and "class='miss'" in html


def test_aggregate_only_prints_and_writes_no_articles_id_or_result(tmp_path: Path) -> None:
    """A confirmation split is read as a whole: with --aggregate-only neither the console nor the
    written report names an article or holds its record."""
    out = tmp_path / "agg.json"
    r = runner.invoke(app, ["eval", "--replay", "--aggregate-only", "--out", str(out)])
    assert r.exit_code == 0, r.output
    ids = [p.stem for p in CORPUS.glob("*.txt")]
    written = out.read_text(encoding="utf-8")
    for aid in ids:
        assert aid not in r.output and aid not in written
    report = json.loads(written)
    assert report["aggregate_only"] is True and "records" not in report
    assert 0 <= report["headline"]["event_f1"] <= 1
    assert isinstance(report["outcomes"]["positives_with_none"], int)
    full = tmp_path / "full.json"
    assert runner.invoke(app, ["eval", "--replay", "--out", str(full)]).exit_code == 0
    assert any(aid in full.read_text(encoding="utf-8") for aid in ids)  # without it the ids are there


def test_merge_set_record_replay_and_gate(settings: Settings, tmp_path: Path) -> None:
    """`eval --merge`: extract the articles an occasions file lists, merge, score pairs of articles."""
    rec_dir, base = tmp_path / "rec", tmp_path / "base-merge.json"
    ids = sorted(a.id for a in iter_inputs([CORPUS]))
    occasions = tmp_path / "occasions.tsv"
    # 000 and 001 report one meeting; the others are each their own occasion
    occasions.write_text("article_id\tlang\toccasion_id\n" + "".join(
        f"{aid}\txx\t{'o1' if aid[:3] in ('000', '001') else 'o-' + aid[:3]}\n" for aid in ids), "utf-8")
    fake = FakeBackend(default=gold_answers())
    args = ["--merge", "--prompt", settings.prompt_id, "--corpus", str(CORPUS), "--occasions", str(occasions),
            "--recordings", str(rec_dir), "--out", str(tmp_path / "m.json")]
    r = invoke(fake, settings, [*args, "--record", "--json", "--update-baseline", str(base), "--margin", "0.05"])
    assert r.exit_code == 0, r.output
    assert len(fake.requests) == 5
    m = json.loads(r.stdout)["merge"]  # stdout holds the JSON alone
    assert (m["precision"], m["recall"], m["right"], m["wrong_pairs"], m["missed_pairs"]) == (1.0, 1.0, 1, [], [])
    assert json.loads(base.read_text())["merge"] == {"precision": 1.0, "recall": 1.0}
    report = json.loads((tmp_path / "m.json").read_text())
    assert "texts" not in report and report["merge"] == m

    # replay, no model: the same figures; the gate passes
    idle = FakeBackend()
    r = invoke(idle, settings, [*args, "--replay", "--gate", str(base)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.stdout.split())  # the console wraps long lines
    assert idle.requests == [] and "gate passed" in out and "precision 1.000, recall 1.000" in out

    # gold that says 002 and 003 are one occasion too: a missed pair, recall 0.5, the gate fails
    occasions.write_text(occasions.read_text("utf-8").replace("o-003", "o-002"), "utf-8")
    r = invoke(idle, settings, [*args, "--replay", "--gate", str(base), "--json"])
    assert r.exit_code == 1, r.output
    m = json.loads(r.stdout[:r.stdout.rindex("}") + 1])["merge"]
    assert m["recall"] == 0.5 and [(p["a"][:3], p["b"][:3]) for p in m["missed_pairs"]] == [("002", "003")]
    assert "regression" in r.stderr and "merge recall" in r.stderr


def test_merge_eval_leaves_out_the_rules_asked(settings: Settings, tmp_path: Path, monkeypatch: Any) -> None:
    """`eval --merge --without RULE` scores the merge with that rule left out, as the extraction
    ablation does (it was once accepted and ignored)."""
    import pipeline.cli.eval_cmd as eval_cmd

    seen: list[frozenset[str]] = []
    real = eval_cmd.Extractor

    def spy(*a: Any, **kw: Any) -> Any:
        seen.append(kw.get("without", frozenset()))
        return real(*a, **kw)

    monkeypatch.setattr(eval_cmd, "Extractor", spy)
    ids = sorted(a.id for a in iter_inputs([CORPUS]))
    occasions = tmp_path / "occasions.tsv"
    occasions.write_text("article_id\tlang\toccasion_id\n" + "".join(f"{aid}\txx\to-{aid[:3]}\n" for aid in ids),
                         "utf-8")
    args = ["--merge", "--prompt", settings.prompt_id, "--corpus", str(CORPUS), "--occasions", str(occasions),
            "--recordings", str(tmp_path / "rec"), "--out", str(tmp_path / "m.json")]
    r = invoke(FakeBackend(default=gold_answers()), settings, [*args, "--record", "--without", "needs_both_sides"])
    assert r.exit_code == 0, r.output
    assert seen == [frozenset({"needs_both_sides"})]


def test_merge_set_needs_a_readable_occasions_file(settings: Settings, tmp_path: Path) -> None:
    r = invoke(FakeBackend(), settings, ["--merge", "--replay"])
    assert r.exit_code == 2 and "--occasions" in r.stderr
    bad = tmp_path / "occ.tsv"
    bad.write_text("id\tgroup\na\tb\n", "utf-8")
    r = invoke(FakeBackend(), settings, ["--merge", "--occasions", str(bad), "--recordings", str(tmp_path)])
    assert r.exit_code == 2 and "article_id and occasion_id" in r.stderr
    bad.write_text("article_id\toccasion_id\nnot-in-corpus\to1\n", "utf-8")
    r = invoke(FakeBackend(default={"events": []}), settings,
               ["--merge", "--prompt", settings.prompt_id, "--occasions", str(bad), "--recordings", str(tmp_path)])
    assert r.exit_code == 2 and "not-in-corpus" in r.stderr
