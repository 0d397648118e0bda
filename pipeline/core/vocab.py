"""Words, letters and word patterns as data: one loader for the JSON files in ``pipeline/data/``.

The code holds no Kazakh, Russian or Chinese literal (``tests/test_literals.py``
checks it); every word list, table and word pattern lives in a data file and is
read here:

- ``entry(file, name)``: an entry of ``data/<file>.json`` as stored;
- ``words(file, name)``: a list of strings, as a tuple;
- ``text(file, name)``: one string (a set of letters, a piece of a pattern);
- ``table(file, name)``: a mapping;
- ``regex(file, name)``: a pattern stored as ``{"regex": "...", "flags": ["IGNORECASE"]}``
  (or a bare string, no flags), compiled once;
- ``translit_table(variant)``: the one Cyrillic-to-Latin table, or a documented variant of it;
- ``data_version()``: one hash over every ``data/*.json``, which each record's
  provenance carries (``analysis.lexicon_version``).

Every file and compiled pattern is cached, so a look-up costs a dictionary access.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

_FLAGS = {"IGNORECASE": re.IGNORECASE, "MULTILINE": re.MULTILINE, "DOTALL": re.DOTALL, "VERBOSE": re.VERBOSE,
          "ASCII": re.ASCII}


def _data_dir() -> Any:
    return resources.files("pipeline").joinpath("data")


@lru_cache(maxsize=64)
def load(file: str) -> dict[str, Any]:
    """The whole of ``data/<file>.json``."""
    data: dict[str, Any] = json.loads(_data_dir().joinpath(f"{file}.json").read_text("utf-8"))
    return data


def entry(file: str, name: str) -> Any:
    try:
        return load(file)[name]
    except KeyError:
        raise KeyError(f"no entry {name!r} in data/{file}.json") from None


def words(file: str, name: str) -> tuple[str, ...]:
    value = entry(file, name)
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise TypeError(f"data/{file}.json: {name!r} is not a list of strings")
    return tuple(value)


def text(file: str, name: str) -> str:
    value = entry(file, name)
    if not isinstance(value, str):
        raise TypeError(f"data/{file}.json: {name!r} is not a string")
    return value


def table(file: str, name: str) -> dict[str, Any]:
    value = entry(file, name)
    if not isinstance(value, dict):
        raise TypeError(f"data/{file}.json: {name!r} is not a mapping")
    return dict(value)


def flags(names: list[str]) -> int:
    out = 0
    for n in names:
        out |= _FLAGS[n]
    return out


def compile_entry(value: Any) -> re.Pattern[str]:
    """A pattern entry (``{"regex": ..., "flags": [...]}`` or a bare string) compiled."""
    if isinstance(value, str):
        return re.compile(value)
    return re.compile(value["regex"], flags(value.get("flags", [])))


@lru_cache(maxsize=1024)
def regex(file: str, name: str) -> re.Pattern[str]:
    return compile_entry(entry(file, name))


@lru_cache(maxsize=4)
def translit_table(variant: str | None = None) -> dict[str, str]:
    """Cyrillic letters (lower case) in Latin letters, from ``data/translit.json``: the spelling of names,
    or with a variant's letters in its place (``"fold"``: the comparison form, "ё" read as "е", "й" as "и")."""
    letters: dict[str, str] = table("translit", "letters")
    if variant is not None:
        letters.update(table("translit", "variants")[variant])
    return letters


@lru_cache(maxsize=1)
def data_version() -> str:
    """A hash over the names and bytes of every ``data/*.json``: it changes whenever any word does."""
    h = hashlib.sha256()
    for f in sorted((p for p in _data_dir().iterdir() if p.name.endswith(".json")), key=lambda p: p.name):
        h.update(f.name.encode())
        h.update(b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]
