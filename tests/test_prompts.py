"""Prompts are general: nothing from the evaluation corpus may leak into them."""

from __future__ import annotations

import json

import pytest

from pipeline.core.budget import Budget
from pipeline.core.config import repo_root
from pipeline.ingest.articles import make_article
from pipeline.methods import method_for
from pipeline.methods.prompts import available_prompts, load_prompt

from .conftest import ROOT


def _gold_names() -> set[str]:
    names: set[str] = set()
    for p in (ROOT / "eval" / "gold").glob("*.json"):
        for ev in json.loads(p.read_text(encoding="utf-8"))["events"]:
            for party in ev["kz_parties"] + ev["cn_parties"]:
                names.update(n for n in (party["name"], party["name_en"]) if len(n) > 3)
    return names


def test_no_corpus_party_appears_in_any_prompt() -> None:
    names = _gold_names()
    assert len(names) > 20
    for pid in available_prompts():
        folder = repo_root() / "prompts" / pid
        text = "\n".join(f.read_text(encoding="utf-8") for f in folder.iterdir() if f.is_file())
        # generic words that are also region or country names are not parties of the corpus
        leaked = sorted(n for n in names if n in text and n not in ("Kazakhstan", "China"))
        assert not leaked, f"prompt {pid} contains corpus parties: {leaked}"


def test_every_prompt_renders_with_the_article_last() -> None:
    art = make_article("x", "Аким области встретился с делегацией китайской компании и подписал меморандум.")
    for pid in available_prompts():
        p = load_prompt(pid)
        msgs = method_for(p, Budget()).prepare(art).questions[0].messages
        assert msgs[0]["role"] == "system" and art.text in msgs[-1]["content"]
        assert len(p.sha256) == 64


DEV_GOLD = ROOT.parent / "shared" / "dev" / "gold"


def _dev_names() -> set[str]:
    names: set[str] = set()
    for p in DEV_GOLD.glob("*.json"):
        for ev in json.loads(p.read_text(encoding="utf-8"))["events"]:
            for party in ev["kz_parties"] + ev["cn_parties"]:
                names.update(n for n in (party["name"], party["name_en"]) if n and len(n) > 3)
    return names


def test_no_party_of_the_corpus_or_the_dev_set_in_code_data_or_prompts() -> None:
    """Fitting guard: the method may know geography (the gazetteer, excepted), never the articles' parties."""
    if not DEV_GOLD.is_dir():
        pytest.fail(f"the development set is missing at {DEV_GOLD}")
    from pipeline.analyse.names import gazetteer

    places = {a.casefold() for p in gazetteer().places for a in (p.en, *p.aliases)}
    names = {n for n in _gold_names() | _dev_names() if n.casefold() not in places}
    assert len(names) > 100
    files = [f for f in (ROOT / "pipeline").rglob("*") if f.suffix in (".py", ".json") and f.name != "gazetteer.json"]
    files += [f for f in (ROOT / "prompts").rglob("*") if f.is_file()]
    leaks = {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        found = sorted(n for n in names if n in text and n not in ("Kazakhstan", "China"))
        if found:
            leaks[str(f.relative_to(ROOT))] = found
    assert not leaks, f"article parties in code, data or prompts: {leaks}"
