"""The review page in a real headless Chromium (Debian's, driven by Selenium through /usr/bin/chromedriver):
three corpus articles reviewed with the keyboard, a reload in the middle, the export, the evaluation on the
exported gold; and a server killed mid-review losing no decision the page showed as saved."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.schema import load_schema

from .review_helpers import ServerProcess, corpus_batch, wait_for

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebDriver]:
    assert shutil.which("chromedriver") and os.path.exists(CHROMEDRIVER), \
        "chromium-driver is not installed: run scripts/install.sh (apt-get install chromium chromium-driver)"
    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium-manager must never fetch anything
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1500,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(flag)
    d = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        yield d
    finally:
        d.quit()


def press(d: WebDriver, *keys: str) -> None:
    for k in keys:
        d.find_element(By.TAG_NAME, "body").send_keys(k)


def saved(d: WebDriver) -> list[int]:
    return [int(x.get_attribute("data-seq") or 0) for x in d.find_elements(By.CSS_SELECTOR, "#saved li")]


def press_and_save(d: WebDriver, key: str) -> None:
    n = len(saved(d))
    press(d, key)
    wait_for(lambda: len(saved(d)) > n, what=f"the decision of {key!r} to be saved")


def ready(d: WebDriver) -> None:
    wait_for(lambda: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1", what="the page")


@contextlib.contextmanager
def reviewing(d: WebDriver, events: Path, folder: Path, *extra: str) -> Iterator[ServerProcess]:
    """The review server of ``events`` into ``folder``, its page open and ready in ``d``; the server
    is stopped (or, killed in the block, its output read) after the block."""
    server = ServerProcess(events, folder, *extra)
    try:
        d.get(server.url)
        ready(d)
        yield server
    finally:
        server.stop()


def page_state(d: WebDriver, server: ServerProcess, aid: str) -> dict[str, Any]:
    return d.execute_async_script(  # type: ignore[no-any-return]
        "var done = arguments[arguments.length - 1];"
        "fetch('/api/article?id=' + encodeURIComponent(arguments[0]), {headers: {'X-Coopex-Token': arguments[1]}})"
        ".then(function (r) { return r.json(); }).then(done);", aid, server.token)


def current(d: WebDriver) -> str:
    return d.execute_script("return decodeURIComponent(/#a=([^&]+)/.exec(location.hash)[1]);")  # type: ignore[no-any-return]


def select_words(d: WebDriver, n_words: int = 2) -> str:
    """Select the first ``n_words`` words of the first highlighted evidence segment that is not a marked name,
    as a reader dragging over them would; returns the selected text."""
    return d.execute_script(  # type: ignore[no-any-return]
        "var segs = document.querySelectorAll('#text .seg.evf:not(.nm)');"
        "for (var i = 0; i < segs.length; i++) {"
        "  var node = segs[i].firstChild, m = new RegExp('\\\\S+(\\\\s+\\\\S+){' + (arguments[0] - 1) + '}')"
        "    .exec(node.textContent);"
        "  if (!m) { continue; }"
        "  window.getSelection().setBaseAndExtent(node, m.index, node, m.index + m[0].length);"
        "  return m[0]; }"
        "return null;", n_words)


def test_review_three_articles_with_the_keyboard_then_export_and_eval(driver: WebDriver, tmp_path: Path) -> None:
    events, articles = corpus_batch(tmp_path, 3)
    records = {r["article_id"]: r for r in map(json.loads, events.read_text().splitlines())}
    folder = tmp_path / "review"
    d = driver
    with reviewing(d, events, folder) as server:
        assert d.find_element(By.ID, "progress").text == "0 of 3 reviewed"
        assert len(d.find_elements(By.CSS_SELECTOR, "#keys kbd")) >= 20  # every action's key is listed

        # article A: accept each event; correct the first party of the first event with selected words
        a = current(d)
        n_a = len(records[a]["events"])
        assert n_a >= 1
        for i in range(n_a):
            press_and_save(d, "a")
            if i + 1 < n_a:
                press(d, "j")
        press(d, *["k"] * (n_a - 1))
        words = select_words(d)
        assert words, "no evidence words to select"
        first_side = "kz_parties" if records[a]["events"][0]["kz_parties"] else "cn_parties"
        press(d, "c")
        wait_for(lambda: d.find_element(By.ID, "editor").is_displayed(), what="the party form")
        assert d.find_element(By.NAME, "name").get_attribute("value") == words
        n = len(saved(d))
        d.find_element(By.NAME, "name").send_keys(Keys.ENTER)
        wait_for(lambda: len(saved(d)) > n, what="the corrected party to be saved")
        assert words in d.find_element(By.CSS_SELECTOR, ".event.focus").text
        press_and_save(d, Keys.ENTER)  # reviewed; the page moves on
        wait_for(lambda: current(d) != a, what="the next article")

        # article B: add a missed event whose summary looks like markup, then reload in the middle
        b = current(d)
        press(d, "+")
        wait_for(lambda: d.find_element(By.ID, "editor").is_displayed(), what="the new-event form")
        d.find_element(By.NAME, "type").send_keys("trade")
        typed = "Talks <b>on</b> trade & <img src=x onerror=alert(1)>"
        d.find_element(By.NAME, "summary").send_keys(typed)
        n = len(saved(d))
        d.find_element(By.NAME, "summary").send_keys(Keys.ENTER)
        wait_for(lambda: len(saved(d)) > n, what="the added event to be saved")
        shown_saved = saved(d)
        d.refresh()
        ready(d)
        assert current(d) == b, "a reload resumes on the same article"
        assert d.find_element(By.ID, "progress").text == "1 of 3 reviewed"
        assert typed in d.find_element(By.ID, "events").text  # shown as typed: text, not markup
        assert not d.find_elements(By.CSS_SELECTOR, "#events b, #events img")
        st = page_state(d, server, b)
        assert [e["origin"] for e in st["state"]["events"]].count("added") == 1
        assert len(json.loads("[" + ",".join((folder / "decisions.jsonl").read_text().splitlines()) + "]")) \
            >= max(shown_saved)
        # reject the model's events (they come first), then done
        for _ in range(len(records[b]["events"])):
            press_and_save(d, "r")
            press(d, "j")
        press_and_save(d, Keys.ENTER)
        wait_for(lambda: current(d) not in (a, b), what="the third article")

        # article C: no event
        c = current(d)
        press_and_save(d, "0")
        wait_for(lambda: d.find_element(By.ID, "progress").text == "3 of 3 reviewed", what="the progress")

        # a second page on the same review cannot save, and says so
        d.switch_to.new_window("tab")
        d.get(server.url)
        ready(d)
        assert "another page" in d.find_element(By.ID, "lease").text
        before = (folder / "decisions.jsonl").read_text()
        press(d, "a")
        wait_for(lambda: "not saved" in d.find_element(By.ID, "status").text, what="the refusal")
        assert (folder / "decisions.jsonl").read_text() == before
        # once the first page goes, the second may take over
        d.switch_to.window(d.window_handles[0])
        d.close()
        d.switch_to.window(d.window_handles[0])
        press(d, "T")
        wait_for(lambda: d.find_element(By.ID, "lease").text == "", what="the take-over")

    gold = tmp_path / "gold"
    r = CliRunner().invoke(app, ["review", "export", str(folder), "-o", str(gold), "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["reviewed"] == 3 and res["negatives"] == 1
    ev = res["changes"]["event"]
    assert ev == {"accepted": n_a - 1, "corrected": 1, "rejected": len(records[b]["events"]) + len(records[c]["events"]),
                  "added": 1}
    assert res["changes"][first_side]["corrected"] >= 1
    assert res["changes"]["summary"]["added"] == 1 and res["changes"]["type"]["added"] == 1
    schema = load_schema("gold.v1")
    golds = {g["article_id"]: g for g in (json.loads(p.read_text()) for p in sorted(gold.glob("*.json")))}
    assert set(golds) == {a, b, c}
    for g in golds.values():
        assert not schema.errors(g)
    assert words in [p["name"] for p in golds[a]["events"][0][first_side]]
    assert len(golds[a]["events"]) == n_a
    assert [e["summary"] for e in golds[b]["events"]] == [typed] and golds[b]["events"][0]["type"] == "trade"
    assert golds[c]["events"] == []

    # the exported gold scores with coopex eval (recorded answers, the three articles only)
    out = tmp_path / "eval.json"
    r = CliRunner().invoke(app, ["eval", "--replay", "--gold", str(gold), "--corpus", str(articles),
                                 "--out", str(out)])
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text())
    assert report["meta"]["articles"] == 3 and not report["missing_predictions"]
    assert report["outcomes"]["negatives"] == 1


def test_killed_server_loses_no_decision_the_page_showed_as_saved(driver: WebDriver, tmp_path: Path) -> None:
    events, _ = corpus_batch(tmp_path, 3)
    folder = tmp_path / "review"
    d = driver
    with reviewing(d, events, folder) as server:
        for key in ("a", "r", "a", "r"):
            press_and_save(d, key)
        press(d, "a", "r", "a")  # in flight when the server dies
        server.kill()
        shown = saved(d)
        assert len(shown) >= 4
        logged = [json.loads(x)["seq"] for x in (folder / "decisions.jsonl").read_text().splitlines()]
        assert set(shown) <= set(logged)
        wait_for(lambda: "not saved" in d.find_element(By.ID, "status").text or len(saved(d)) == len(logged),
                 what="the page to notice")
        assert set(saved(d)) <= set(logged)
        # a second run on the folder resumes with every decision
        with reviewing(d, events, folder) as again:
            st = page_state(d, again, current(d))
            assert st["state"]["decisions"] >= 1
            assert sum(1 for _ in (folder / "decisions.jsonl").read_text().splitlines()) == len(logged)


def demo_review_input(tmp: Path) -> tuple[Path, Path]:
    """The invented demo set's records (tests/support/demo.py) and its articles as a .jsonl file."""
    from tests.support.demo import ARTICLES, demo_records

    records = tmp / "records.jsonl"
    records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in demo_records()), "utf-8")
    arts = tmp / "articles.jsonl"
    arts.write_text("".join(json.dumps({k: a[k] for k in ("id", "text", "title", "url", "date")}, ensure_ascii=False)
                            + "\n" for a in ARTICLES), "utf-8")
    return records, arts


def form(d: WebDriver, key: str, values: dict[str, str]) -> None:
    """Press ``key``, fill its form (select boxes by typing the option), press Enter, wait for the answer."""
    n = len(saved(d))
    status_before = d.find_element(By.ID, "status").text
    press(d, key)
    wait_for(lambda: d.find_element(By.ID, "editor").is_displayed(), what=f"the form of {key!r}")
    last = None
    for name, value in values.items():
        e = d.find_element(By.CSS_SELECTOR, f"#editor [name={name}]")
        if e.tag_name != "select":
            e.clear()
        e.send_keys(value)
        last = e
    assert last is not None
    last.send_keys(Keys.ENTER)
    wait_for(lambda: len(saved(d)) > n or d.find_element(By.ID, "status").text not in (status_before, "saving…"),
             what=f"the answer to {key!r}")


def test_every_correction_key_on_the_demo_set(driver: WebDriver, tmp_path: Path) -> None:
    records, arts = demo_review_input(tmp_path)
    folder = tmp_path / "review"
    d = driver
    with reviewing(d, records, folder, "--articles", str(arts)) as server:
        aid = current(d)

        def event0() -> dict[str, Any]:
            return page_state(d, server, aid)["state"]["events"][0]["event"]  # type: ignore[no-any-return]

        before = event0()
        form(d, "t", {"type": "forum"})
        form(d, "d", {"date": "2025-03"})
        form(d, "l", {"place": "Kostanay", "country": "kz"})
        form(d, "m", {"amount": "95 000 000", "currency": "cny", "qualifier": "about"})
        form(d, "s", {"sectors": "trade, machine building"})
        form(d, "u", {"summary": "A corrected summary."})
        ev = event0()
        assert ev["type"] == "forum" and ev["date"] == "2025-03"
        assert ev["location"] == {"place": "Kostanay", "country": "KZ"}
        assert ev["projects"][0]["value"] == {"amount": 95e6, "currency": "CNY", "qualifier": "about"}
        assert ev["sectors"] == ["trade", "machine_building"] and ev["summary"] == "A corrected summary."

        # a value the gold schema refuses is not saved, and the page says why
        n = len(saved(d))
        form(d, "d", {"date": "yesterday"})
        wait_for(lambda: "not saved" in d.find_element(By.ID, "status").text, what="the refusal")
        assert "date" in d.find_element(By.ID, "status").text and len(saved(d)) == n
        assert event0()["date"] == "2025-03"

        # parties: move the first to the other side, remove it, add a marked name to the China side
        first = (before["kz_parties"] or before["cn_parties"])[0]
        press_and_save(d, "o")
        ev = event0()
        assert first in (ev["cn_parties"] if before["kz_parties"] else ev["kz_parties"])
        kz_before = len(ev["kz_parties"])
        press_and_save(d, "x")
        assert len(event0()["kz_parties"]) + len(event0()["cn_parties"]) == \
            len(ev["kz_parties"]) + len(ev["cn_parties"]) - 1
        # with nothing picked, the reviewer types the party
        form(d, "1", {"name": "Fictional Steppe Holding", "name_en": "Fictional Steppe Holding", "kind": "company"})
        assert {"name": "Fictional Steppe Holding", "name_en": "Fictional Steppe Holding", "kind": "company",
                "title": None, "affiliation": None} in event0()["kz_parties"]
        press(d, "n")
        name = d.find_element(By.CSS_SELECTOR, "#text .seg.cur").text
        assert name
        form(d, "2", {"kind": "company"})
        assert name.strip() in [p["name"] for p in event0()["cn_parties"]]
        assert len(event0()["kz_parties"]) <= kz_before + 1

        # selected words become evidence
        words = select_words(d, 3)
        assert words
        press_and_save(d, "e")
        assert event0()["evidence"][-1] == words
        press_and_save(d, Keys.ENTER)
        lines = (folder / "decisions.jsonl").read_text().splitlines()
        assert [json.loads(x)["action"] for x in lines].count("set") == 11


def test_the_page_says_when_a_text_cannot_be_found(driver: WebDriver, tmp_path: Path) -> None:
    records, _ = demo_review_input(tmp_path)  # the demo's records name no input file
    with reviewing(driver, records, tmp_path / "review") as server:
        problem = driver.find_element(By.ID, "problem")
        assert problem.is_displayed() and "--articles" in problem.text
        assert driver.find_elements(By.CSS_SELECTOR, ".event")  # the record is still shown
    assert "article text(s) not found" in server.err
