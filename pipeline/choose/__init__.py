"""Choose: the model's part. It sees numbered sentences and numbered candidates and answers
with numbers and enums only (grammar-constrained): which sentences report which occasion,
its type, which candidates are on each side, which amounts belong to it, the document kind
and the project's status. A short answer: it writes no names, dates or translations.

Prompt examples (``examples.json``) are fictional articles whose answers name candidates
by their written form; they are turned into ids by running the same analysis on the
example's text, so an example can never drift from what the analyser finds.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..analyse import Analysis, Candidate, analyse
from ..errors import ConfigError
from ..ingest import Article
from ..textnorm import fold

EventType = Literal["meeting", "signing", "forum", "trade", "project"]
DocumentKind = Literal["none", "memorandum", "framework_agreement", "agreement", "contract", "other"]
Status = Literal["none", "proposed", "agreed", "under_construction", "operational"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChosenEvent(_Model):
    sentences: list[int] = Field(max_length=6, description="numbers of the sentences that report the event")
    type: EventType
    kz: list[int] = Field(max_length=8, description="ids of the Kazakhstan-side candidates")
    cn: list[int] = Field(max_length=8, description="ids of the China-side candidates")
    amounts: list[int] = Field(max_length=4, description="ids of the amounts invested or agreed at this event")
    document: DocumentKind
    status: Status


class Choice(_Model):
    """The Kazakhstan–China cooperation events the article reports, by sentence numbers and candidate ids."""

    events: list[ChosenEvent] = Field(max_length=5)


_COUNTRY = {"KZ": "Kazakhstan", "CN": "China"}


def describe(c: Candidate, text: str) -> str:
    """One line of the candidate list: id, the name as first written, what it is."""
    written = c.written(text)
    what = {"region": "region", "city": "city", "group": "group", "government": "body", "amount": "amount"}.get(
        c.kind, c.kind)
    extra = []
    if c.kind in ("region", "city", "government") and c.country in _COUNTRY:
        what = f"{what} of {_COUNTRY[c.country]}"
    if c.kind == "amount" and c.amount is not None:
        extra.append(f"{c.amount.amount:,.0f} {c.amount.currency}")
    elif c.en and fold(c.en) != fold(written):
        extra.append(c.en)
    return f"{c.id}. {written} ({what}{'; ' + '; '.join(extra) if extra else ''})"


def marked(analysis: Analysis) -> list[str]:
    """The sentences with each candidate's id written after each of its mentions: "... Ерлан Сеитов (#2) ..."."""
    text = analysis.article.text
    marks = sorted((sp.end, c.id) for c in analysis.candidates for sp in c.spans)
    out = []
    for s in analysis.sentences:
        parts, pos = [], s.start
        for end, cid in marks:
            if s.start < end <= s.end:
                parts.append(text[pos:end] + f" (#{cid})")
                pos = end
        parts.append(text[pos:s.end])
        out.append(f"[{s.n}] {''.join(parts)}")
    return out


def render_user(template: str, analysis: Analysis) -> str:
    a = analysis.article
    sentences = "\n".join(marked(analysis))
    candidates = "\n".join(describe(c, a.text) for c in analysis.candidates) or "(none)"
    return template.format(sentences=sentences, candidates=candidates, title=a.title or "(none)",
                           published=a.published or "unknown", language=a.language)


def _ids(names: list[str], analysis: Analysis, where: str) -> list[int]:
    out = []
    text = analysis.article.text
    for n in names:
        c = next((c for c in analysis.candidates if n in (c.written(text), c.name, c.en)), None)
        if c is None:
            raise ConfigError(f"prompt example: {where}: {n!r} is not among the candidates the analysis finds "
                              f"({[c.written(text) for c in analysis.candidates]})")
        out.append(c.id)
    return out


def example_answer(example: dict[str, Any], splitter: int) -> tuple[Analysis, dict[str, Any]]:
    """A fictional example's analysis and its answer with names turned into ids."""
    art = Article(id="example", text=example["text"], title=example.get("title"),
                  published=example.get("published"), language=example.get("language", "other"))
    analysis = analyse(art, splitter)
    events = []
    for i, ev in enumerate(example["output"]["events"]):
        where = f"event {i + 1}"
        events.append({**ev, "kz": _ids(ev["kz"], analysis, where), "cn": _ids(ev["cn"], analysis, where),
                       "amounts": _ids(ev["amounts"], analysis, where)})
    answer = Choice.model_validate({"events": events}).model_dump()
    return analysis, answer


def messages(system: str, user_template: str, examples: tuple[dict[str, Any], ...], splitter: int,
             analysis: Analysis) -> list[dict[str, str]]:
    """Chat messages: the fixed part first (system, worked examples), the article last."""
    msgs = [{"role": "system", "content": system}]
    for ex in examples:
        ex_analysis, answer = example_answer(ex, splitter)
        msgs.append({"role": "user", "content": render_user(user_template, ex_analysis)})
        msgs.append({"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)})
    msgs.append({"role": "user", "content": render_user(user_template, analysis)})
    return msgs
