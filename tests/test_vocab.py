"""The data loader: named lists, tables and patterns, compiled once, and one version over all data files."""

from __future__ import annotations

import re
from typing import Any

from pipeline.core import lexicon, vocab
from pipeline.core.config import repo_root


def _patterns(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        if "regex" in node:
            return [node]
        return [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


def test_every_stored_pattern_compiles_with_known_flags() -> None:
    files = sorted(p.stem for p in (repo_root() / "pipeline" / "data").glob("*.json"))
    found = 0
    for f in files:
        for entry in _patterns(vocab.load(f)):
            assert set(entry.get("flags", [])) <= {"IGNORECASE", "MULTILINE", "DOTALL", "VERBOSE", "ASCII"}
            vocab.compile_entry(entry)
            found += 1
    assert found > 50


def test_a_named_pattern_is_compiled_once_with_its_flags() -> None:
    pat = vocab.regex("finders", "credit")
    assert pat is vocab.regex("finders", "credit")
    assert pat.flags & re.IGNORECASE


def test_lists_texts_and_tables_are_typed() -> None:
    assert isinstance(vocab.words("names", "kk_case"), tuple)
    assert isinstance(vocab.text("names", "vowels"), str)
    assert isinstance(vocab.table("groups", "who"), dict)


def test_one_translit_table_and_its_fold_variant() -> None:
    names, fold = vocab.translit_table(), vocab.translit_table("fold")
    assert set(names) == set(fold)
    assert {k for k in names if names[k] != fold[k]} == set(vocab.table("translit", "variants")["fold"])


def test_the_version_covers_all_data_and_is_what_provenance_records() -> None:
    v = vocab.data_version()
    assert re.fullmatch(r"[0-9a-f]{16}", v)
    assert lexicon.version() == v
