"""The empty-side follow-up (a prompt built on a choose prompt, ``"follow_up": "empty_side"``).

The finders cannot know every way news names a party (a generic group, a body named by common
nouns, a government, a person), and rule ``needs_both_sides`` drops an event the model found when
no candidate stands for one side. For each event the rules would drop so, and only for those, one
short question is asked: the event's own sentences, the side that is empty, and which words in them
name that side's party, copied exactly, or none. The answer is one bounded string or null
(grammar-constrained), and it is never trusted: it goes into the event's quotes for that side, and
rule ``quoted_parties`` grounds it like any quote (``pipeline.analyse.quotes``): it must stand in the
event's sentences, and it is read like a candidate; a quote that does not ground is dropped, and said.

The question's texts are the prompt's own (``follow_up_system.md``, ``follow_up_user.md``, and
``follow_up_examples.json``: fictional worked examples, each checked to quote its own sentences).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

from pipeline.analyse import Analysis
from pipeline.analyse.quotes import MAX_QUOTE
from pipeline.core.errors import ConfigError
from pipeline.methods.choose.assemble import drafts_from
from pipeline.methods.choose.checks import run
from pipeline.methods.choose.rules import RULES

DROPPING_RULE = "needs_both_sides"  # the rule whose drops a follow-up may prevent
SIDE_NAMES = {"kz": "Kazakhstan", "cn": "China"}


class SideWords(BaseModel):
    """The words in the sentences that name the party asked for, copied exactly; null if none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: Annotated[str, StringConstraints(max_length=MAX_QUOTE)] | None


@dataclass(frozen=True)
class EmptySide:
    """An event of the model's answer that the rules would drop because one side has no party."""

    event: int  # its number in the model's answer (1-based)
    side: str  # "kz" or "cn": the side with no party
    type: str
    sentences: tuple[int, ...]  # the event's own sentences, as the model's answer gives them


def empty_sides(choice: dict[str, Any], analysis: Analysis, without: Iterable[str] = ()) -> list[EmptySide]:
    """The events ``needs_both_sides`` would drop for one empty side: the rules before it are run on
    the model's answer as the record's assembly runs them. An event with both sides empty is left
    alone (one party cannot make it an event), as is every event when the rule itself is left out."""
    skip = set(without)
    if DROPPING_RULE in skip:
        return []
    drafts, _ = drafts_from(choice, analysis)
    own = {d.number: tuple(d.sentences) for d in drafts}
    before = RULES[:[r.name for r in RULES].index(DROPPING_RULE)]
    drafts, _ = run(drafts, analysis, before, skip)
    out = []
    for d in drafts:
        empty = [side for side in ("kz", "cn") if not getattr(d, side)]
        if len(empty) == 1 and own[d.number]:
            out.append(EmptySide(d.number, empty[0], d.type, own[d.number]))
    return out


def render_user(template: str, sentences: Iterable[str], side: str, event_type: str) -> str:
    return template.format(sentences="\n".join(s.strip() for s in sentences), side=SIDE_NAMES[side],
                           type=event_type)


def fixed_messages(system: str, user_template: str, examples: tuple[dict[str, Any], ...]) -> list[dict[str, str]]:
    """The follow-up's system turn and worked examples; an example's answer must stand in its sentences."""
    msgs = [{"role": "system", "content": system}]
    for i, ex in enumerate(examples, 1):
        words = ex["words"]
        if ex["side"] not in SIDE_NAMES or (words is not None and words not in " ".join(ex["sentences"])):
            raise ConfigError(f"follow-up example {i}: side {ex['side']!r}, or its words are not in its sentences")
        msgs.append({"role": "user", "content": render_user(user_template, ex["sentences"], ex["side"], ex["type"])})
        msgs.append({"role": "assistant", "content": json.dumps(SideWords(words=words).model_dump(), ensure_ascii=False)})
    return msgs


def asked_quotes(asked: Iterable[tuple[EmptySide, dict[str, Any]]]) -> dict[int, dict[str, str | None]]:
    """Each follow-up's answer by event number and side (None: the model named no party)."""
    out: dict[int, dict[str, str | None]] = {}
    for e, answer in asked:
        words = answer.get("words")
        out.setdefault(e.event, {})[e.side] = words.strip() if isinstance(words, str) and words.strip() else None
    return out
