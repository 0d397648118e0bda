"""Sentences that address the reader or the model processing an article, not report news
(instructions injected into a text): a rule set, read from ``pipeline/data/injection.json``.

The data file holds, per language (kk, ru, en, zh), word lists and rules: regular
expressions in which ``{name}`` stands for the alternatives of a word list. Every rule
of every language is tried on every sentence (an article may mix languages), without
regard to case. ``rule_of`` names the rule that matched, for tests and for debugging.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

_NAME = re.compile(r"\{([a-z_]+)\}")


def _expand(rule: str, words: dict[str, list[str]], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in words:
            raise ValueError(f"{where}: the rule names an unknown word list {{{name}}}")
        return "(?:" + "|".join(words[name]) + ")"
    return _NAME.sub(sub, rule)


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(language.rule, compiled pattern) for every rule of the data file."""
    raw: dict[str, Any] = json.loads(resources.files("pipeline").joinpath("data/injection.json").read_text("utf-8"))
    out: list[tuple[str, re.Pattern[str]]] = []
    for lang, spec in raw["languages"].items():
        words = {k: [str(w) for w in v] for k, v in spec["words"].items()}
        for name, rule in spec["rules"].items():
            where = f"injection.json {lang}.{name}"
            out.append((f"{lang}.{name}", re.compile(_expand(rule, words, where), re.IGNORECASE)))
    return tuple(out)


def rule_of(sentence: str) -> str | None:
    """The first rule (``language.name``) by which the sentence addresses the reader or the
    model, or None for a sentence that does not."""
    text = " ".join(sentence.replace("’", "'").split())
    for name, pattern in rules():
        if pattern.search(text):
            return name
    return None


def addresses_the_model(sentence: str) -> bool:
    return rule_of(sentence) is not None
