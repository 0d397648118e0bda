"""Review without a browser: the order, the decisions log, the lock, the server's checks, the gold export."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.errors import OutputLockedError, OutputRefusedError
from pipeline.review.gold import export_gold
from pipeline.review.items import build_items, find_texts, load_records, uncertainty
from pipeline.review.server import ReviewServer
from pipeline.review.store import DECISIONS, DecisionError, ReviewFolder
from pipeline.schema import load_schema

from .conftest import event
from .review_helpers import corpus_batch


def record(aid: str, events: list[dict[str, Any]], **prov: Any) -> dict[str, Any]:
    return {"article_id": aid, "language": "en", "published": "2025-01-02", "events": events,
            "provenance": {**prov}}


def party(name: str) -> dict[str, Any]:
    return {"name": name, "name_en": name, "kind": "company", "title": None, "affiliation": None}


# ------------------------------------------------------------------ order


def test_uncertainty_counts_missing_quotes_ungrounded_values_and_rule_corrections() -> None:
    rec = record("x", [event()], grounding=[[{"status": "missing"}, {"status": "exact"}, {"status": "normalised"}]],
                 grounded=[{"parties": [True, False], "money": [False], "place": False}],
                 checks=[{"rule": "a"}, {"rule": "b"}])
    score, parts = uncertainty(rec)
    assert parts == {"evidence_missing": 1, "evidence_loose": 1, "party_ungrounded": 1, "amount_ungrounded": 1,
                     "place_ungrounded": 1, "rule_correction": 2}
    assert score == 3 + 1 + 2 + 2 + 1 + 2
    assert uncertainty(record("y", []))[1] == {"no_events": 1}


def test_least_certain_first(tmp_path: Path) -> None:
    sure = record("a-sure", [event()], grounding=[[{"status": "exact"}]])
    doubtful = record("b-doubtful", [event()], grounding=[[{"status": "missing"}]])
    items = build_items([sure, doubtful], [])
    assert [it.article_id for it in items] == ["b-doubtful", "a-sure"]


def test_a_text_that_cannot_be_found_is_said_clearly(tmp_path: Path) -> None:
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "a.txt").write_text("Another text altogether, about a fictional harbour. " * 20, encoding="utf-8")
    rec = record("a", [event()], input={"source": "/nowhere/a.txt", "sha256": "0" * 64})
    got = find_texts([rec], [tmp_path / "arts"])["a"]
    assert got[0] is None and "not the text this record was made from" in (got[1] or "")
    got = find_texts([rec], [])["a"]
    assert got[0] is None and "--articles" in (got[1] or "")


# ------------------------------------------------------------------ the folder


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    ev1 = event(kz_parties=[party("Steppe Copper")], cn_parties=[party("Jade River Works")])
    recs = [record("art-1", [ev1, event(type="signing")]), record("art-2", [event()])]
    p = tmp_path / "events.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return p


def open_review(folder: Path, events: Path) -> ReviewFolder:
    rv = ReviewFolder(folder)
    rv.lock()
    rv.begin(events, load_records(events)[0], [])
    return rv


def test_decisions_are_logged_and_replayed(tmp_path: Path, events_file: Path) -> None:
    folder = tmp_path / "review"
    rv = open_review(folder, events_file)
    rv.decide({"article_id": "art-1", "action": "accept", "event": "m0"})
    rv.decide({"article_id": "art-1", "action": "set", "event": "m1", "values": {"type": "trade"}})
    rv.decide({"article_id": "art-1", "action": "done"})
    rv.close()
    lines = [json.loads(x) for x in (folder / DECISIONS).read_text().splitlines()]
    assert [x["seq"] for x in lines] == [1, 2, 3]
    again = open_review(folder, events_file)
    st = again.states["art-1"]
    assert st.done and [e.status for e in st.events] == ["accepted", "accepted"]
    assert st.events[1].event["type"] == "trade" and st.events[1].changed == ["type"]
    assert again.progress() == {"reviewed": 1, "total": 2}
    again.close()


def test_a_decision_the_gold_schema_refuses_is_not_written(tmp_path: Path, events_file: Path) -> None:
    folder = tmp_path / "review"
    rv = open_review(folder, events_file)
    with pytest.raises(DecisionError, match="type"):
        rv.decide({"article_id": "art-1", "action": "set", "event": "m0", "values": {"type": "party"}})
    with pytest.raises(DecisionError, match="still to accept or reject"):
        rv.decide({"article_id": "art-1", "action": "done"})
    with pytest.raises(DecisionError, match="no event"):
        rv.decide({"article_id": "art-1", "action": "accept", "event": "m9"})
    rv.close()
    assert not (folder / DECISIONS).exists() or (folder / DECISIONS).read_text() == ""


def test_a_line_cut_short_by_a_crash_is_dropped(tmp_path: Path, events_file: Path) -> None:
    folder = tmp_path / "review"
    rv = open_review(folder, events_file)
    rv.decide({"article_id": "art-2", "action": "accept", "event": "m0"})
    rv.close()
    with open(folder / DECISIONS, "ab") as fh:
        fh.write(b'{"seq": 2, "article_id": "art-2", "act')
    again = open_review(folder, events_file)
    assert again.dropped_tail and again.seq == 1
    again.decide({"article_id": "art-2", "action": "done"})
    again.close()
    assert [json.loads(x)["seq"] for x in (folder / DECISIONS).read_text().splitlines()] == [1, 2]


def test_a_second_server_on_the_folder_is_refused(tmp_path: Path, events_file: Path) -> None:
    folder = tmp_path / "review"
    rv = open_review(folder, events_file)
    other = ReviewFolder(folder)
    with pytest.raises(OutputLockedError, match="another coopex review is open"):
        other.lock()
    r = CliRunner().invoke(app, ["review", str(events_file), "-o", str(folder)])
    assert r.exit_code == 2 and "another coopex review is open" in r.output
    rv.close()


def test_a_folder_that_is_not_a_review_is_refused(tmp_path: Path, events_file: Path) -> None:
    r = CliRunner().invoke(app, ["review", str(events_file), "-o", str(tmp_path)])  # holds events.jsonl
    assert r.exit_code == 2 and "is not a review folder" in r.output
    assert not (tmp_path / "records.jsonl").exists() and not (tmp_path / ".lock").exists()


def test_the_review_keeps_the_records_it_began_with(tmp_path: Path, events_file: Path) -> None:
    folder = tmp_path / "review"
    open_review(folder, events_file).close()
    recs = [json.loads(x) for x in events_file.read_text().splitlines()]
    recs[0]["events"] = []
    recs.append(record("art-3", []))
    events_file.write_text("".join(json.dumps(r) + "\n" for r in recs))
    rv = ReviewFolder(folder)
    rv.lock()
    notes = rv.begin(events_file, load_records(events_file)[0], [])
    assert any("keeps the records it began with" in n for n in notes) and any("1 article(s) added" in n for n in notes)
    assert len(rv.records["art-1"]["events"]) == 2 and "art-3" in rv.records
    rv.close()


# ------------------------------------------------------------------ the server's checks


def request(srv: ReviewServer, path: str, body: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, Any]:
    h = {"X-Coopex-Token": srv.token, **({"Content-Type": "application/json", "Origin": srv.origin} if body else {}),
         **(headers or {})}
    h = {k: v for k, v in h.items() if v}
    req = urllib.request.Request(srv.origin + path, data=json.dumps(body).encode() if body else None, headers=h,
                                 method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


@pytest.fixture
def server(tmp_path: Path, events_file: Path):  # type: ignore[no-untyped-def]
    rv = open_review(tmp_path / "review", events_file)
    srv = ReviewServer(rv, build_items(list(rv.records.values()), []), "events.jsonl")
    srv.start()
    yield srv
    srv.shutdown()
    rv.close()


def test_writes_need_the_token_the_origin_and_the_page_that_holds_the_review(server: ReviewServer,
                                                                            tmp_path: Path) -> None:
    log = tmp_path / "review" / DECISIONS
    d = {"page": "p1", "article_id": "art-2", "action": "accept", "event": "m0"}
    assert request(server, "/api/claim", {"page": "p1"}) == (200, {"ok": True})
    assert request(server, "/api/decide", d, {"X-Coopex-Token": "wrong"})[0] == 403
    assert request(server, "/api/decide", d, {"Origin": "http://evil.example"})[0] == 403
    assert request(server, "/api/decide", d, {"Origin": ""})[0] == 403
    assert request(server, "/api/decide", d, {"Content-Type": "text/plain"})[0] == 415
    assert request(server, "/api/queue", headers={"X-Coopex-Token": ""})[0] == 403
    assert not log.exists() or log.read_text() == ""
    assert request(server, "/api/claim", {"page": "p2"})[0] == 409  # a second page
    assert request(server, "/api/decide", {**d, "page": "p2"})[0] == 409
    status, body = request(server, "/api/decide", d)
    assert status == 200 and body["seq"] == 1
    assert [json.loads(x)["action"] for x in log.read_text().splitlines()] == ["accept"]
    assert request(server, "/api/claim", {"page": "p2", "force": True})[0] == 200  # taking over
    assert request(server, "/api/decide", d)[0] == 409
    request(server, "/api/release", {"page": "p1"})  # not the holder: nothing changes
    assert request(server, "/api/claim", {"page": "p1"})[0] == 409
    request(server, "/api/release", {"page": "p2"})  # the holder's page went away
    assert request(server, "/api/claim", {"page": "p1"})[0] == 200


def test_a_wrong_host_is_refused(server: ReviewServer) -> None:
    assert request(server, "/api/queue", headers={"Host": "attacker.example:80"})[0] == 403


def test_the_page_has_no_external_resource_and_keeps_the_csp(server: ReviewServer) -> None:
    with urllib.request.urlopen(server.url, timeout=10) as r:
        page = r.read().decode()
        policy = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "http://" not in page.replace(server.origin, "") and "https://" not in page and "src=" not in page
    assert ".innerHTML" not in page  # data goes into the page as text only
    try:
        urllib.request.urlopen(server.origin + "/", timeout=10)
        raise AssertionError("the page was served without the token")
    except urllib.error.HTTPError as e:
        assert e.code == 403


def test_typed_values_are_stored_as_data(server: ReviewServer, tmp_path: Path) -> None:
    typed = "<script>alert(1)</script> & \"quotes\""
    request(server, "/api/claim", {"page": "p1"})
    status, _ = request(server, "/api/decide", {"page": "p1", "article_id": "art-2", "action": "set", "event": "m0",
                                                "values": {"summary": typed}})
    assert status == 200
    line = json.loads((tmp_path / "review" / DECISIONS).read_text().splitlines()[0])
    assert line["values"]["summary"] == typed


# ------------------------------------------------------------------ export


def test_export_writes_only_reviewed_articles_and_counts_changes(tmp_path: Path, events_file: Path) -> None:
    folder = tmp_path / "review"
    rv = open_review(folder, events_file)
    moved = {"kz_parties": [], "cn_parties": [party("Jade River Works"), party("Steppe Copper")]}
    rv.decide({"article_id": "art-1", "action": "set", "event": "m0", "values": moved})
    rv.decide({"article_id": "art-1", "action": "reject", "event": "m1"})
    rv.decide({"article_id": "art-1", "action": "add", "value": event(type="forum", sectors=[])})
    rv.decide({"article_id": "art-1", "action": "done"})
    rv.decide({"article_id": "art-2", "action": "accept", "event": "m0"})  # not marked reviewed
    rv.close()
    gold = tmp_path / "gold"
    res = export_gold(folder, gold)
    assert res["reviewed"] == 1 and [Path(f).name for f in res["files"]] == ["art-1.json"]
    g = json.loads((gold / "art-1.json").read_text())
    assert not load_schema("gold.v1").errors(g)
    assert [e["type"] for e in g["events"]] == ["meeting", "forum"]
    assert g["events"][0]["kz_parties"] == [] and len(g["events"][0]["cn_parties"]) == 2
    c = res["changes"]
    assert c["event"] == {"accepted": 0, "corrected": 1, "rejected": 1, "added": 1}
    assert c["kz_parties"] == {"accepted": 0, "corrected": 0, "rejected": 2, "added": 1}
    assert c["cn_parties"] == {"accepted": 0, "corrected": 1, "rejected": 1, "added": 1}
    assert c["type"] == {"accepted": 1, "corrected": 0, "rejected": 1, "added": 1}
    # a file in the way that is not this article's gold record is refused; an earlier export is replaced
    export_gold(folder, gold)
    (gold / "art-1.json").write_text("{}")
    with pytest.raises(OutputRefusedError, match="not this article's gold record"):
        export_gold(folder, gold)


def test_export_then_eval_on_the_reviewed_subset(tmp_path: Path) -> None:
    events, articles = corpus_batch(tmp_path, 2)
    folder = tmp_path / "review"
    rv = open_review(folder, events)
    first = sorted(rv.records)[0]
    for e in rv.states[first].events:
        rv.decide({"article_id": first, "action": "accept", "event": e.id})
    rv.decide({"article_id": first, "action": "done"})
    rv.close()
    gold = tmp_path / "gold"
    r = CliRunner().invoke(app, ["review", "export", str(folder), "-o", str(gold)])
    assert r.exit_code == 0, r.output
    assert "1 of 2 articles reviewed" in r.output and "accepted" in r.output
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["eval", "--replay", "--gold", str(gold), "--corpus", str(articles), "--out", str(out)])
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text())
    assert report["meta"]["articles"] == 1
    assert report["headline"]["event_f1"] == 1.0  # the model's own events, accepted as they are
    # a gold record whose article is not in the corpus is named
    (gold / "elsewhere.json").write_text(json.dumps({"article_id": "elsewhere", "language": "en",
                                                     "published": None, "events": []}))
    r = CliRunner().invoke(app, ["eval", "--replay", "--gold", str(gold), "--corpus", str(articles), "--out", str(out)])
    assert "no article in" in r.output and "elsewhere" in r.output
