"""Prompts are general: nothing from the evaluation corpus may leak into them."""

from __future__ import annotations

import json

from pipeline.config import repo_root
from pipeline.ingest import make_article
from pipeline.prompts import available_prompts, load_prompt

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
        msgs = p.messages(art)
        assert msgs[0]["role"] == "system" and art.text in msgs[-1]["content"]
        assert len(p.sha256) == 64
