"""Finder sets: a prompt's config names the set its analysis reads with; set 1 is what extract-v9's
recordings were made over, set 2 adds the general readers (pipeline/analyse/general.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analyse import FINDER_SETS, analyse
from pipeline.core.errors import ConfigError
from pipeline.ingest.articles import Article
from pipeline.methods.prompts import load_prompt

# invented: a ministry named by its words and country, and a counted group of a country's firms
TEXT = ("Қазақстан Республикасы Энергетика министрлігі мен қытайлық 12 компанияның өкілдері "
        "Алматыда кездесу өткізді. Тараптар ынтымақтастық туралы меморандумға қол қойды.")


def _names(finders: int) -> set[str]:
    """The candidates' English names (a set-2 span may be longer than set 1's for the same thing)."""
    return {c.en for c in analyse(Article(id="t", text=TEXT, language="kk"), 2, finders).candidates}


def test_set_two_offers_what_set_one_does_not_and_keeps_set_ones() -> None:
    one, two = _names(1), _names(2)
    assert one <= two
    assert two - one == {"Representatives of 12 Chinese companies"}


def test_an_unknown_set_is_an_error() -> None:
    assert FINDER_SETS == (1, 2, 3, 4, 5, 6, 7, 8, 9)
    with pytest.raises(ValueError, match="unknown finder set 10"):
        analyse(Article(id="t", text=TEXT, language="kk"), 2, 10)


def test_prompts_name_their_set() -> None:
    assert load_prompt("extract-v9").finders == 1
    assert load_prompt("extract-v15").finders == 2
    assert load_prompt("extract-v17").finders == 3
    assert load_prompt("extract-v18").finders == 4
    assert load_prompt("extract-v19").finders == 5
    assert load_prompt("extract-v20").finders == 6
    assert load_prompt("extract-v21").finders == 7
    assert load_prompt("extract-v22").finders == 8
    assert load_prompt("extract-v23").finders == 9
    assert load_prompt("extract-v16").finders == 2  # built on extract-v15: its base's analysis


def test_a_bad_finders_value_in_config_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "prompts" / "p"
    folder.mkdir(parents=True)
    for f in ("system.md", "user.md"):
        (folder / f).write_text("x {article}", "utf-8")
    (folder / "config.json").write_text(json.dumps({"response": "choose", "finders": "two"}), "utf-8")
    with pytest.raises((ConfigError, ValueError)):
        load_prompt("p", tmp_path / "prompts")
