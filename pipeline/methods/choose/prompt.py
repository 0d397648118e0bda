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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from pipeline.analyse import Analysis, Candidate, analyse
from pipeline.analyse.quotes import MAX_QUOTE
from pipeline.core.budget import Budget
from pipeline.core.errors import ConfigError, ExtractionError
from pipeline.core.textnorm import fold
from pipeline.ingest.articles import Article
from pipeline.methods.prompts import SENTENCES_CAP

EventType = Literal["meeting", "signing", "forum", "trade", "project"]
DocumentKind = Literal["none", "memorandum", "framework_agreement", "agreement", "contract", "other"]
Status = Literal["none", "proposed", "agreed", "under_construction", "operational"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChosenEvent(_Model):
    sentences: list[int] = Field(max_length=SENTENCES_CAP, description="numbers of the sentences that report the event")
    type: EventType
    kz: list[int] = Field(max_length=8, description="ids of the Kazakhstan-side candidates")
    cn: list[int] = Field(max_length=8, description="ids of the China-side candidates")
    amounts: list[int] = Field(max_length=4, description="ids of the amounts invested or agreed at this event")
    document: DocumentKind
    status: Status


class Choice(_Model):
    """The Kazakhstan–China cooperation events the article reports, by sentence numbers and candidate ids."""

    events: list[ChosenEvent] = Field(max_length=5)


Words = Annotated[str, StringConstraints(max_length=MAX_QUOTE)]
_SIDE_OF = {"kz": "Kazakhstan", "cn": "China"}


def _with_quotes(event: type[_Model]) -> type[_Model]:
    """The event's fields with each side's quotes beside its ids: not a subclass, because the field
    order is the order the model writes its answer in (a subclass would put the quotes last)."""
    fields: dict[str, Any] = {}
    for name, info in event.model_fields.items():
        fields[name] = (info.annotation, info)
        if name in _SIDE_OF:
            fields[f"{name}_words"] = (list[Words], Field(
                max_length=3, description=f"{_SIDE_OF[name]}-side parties with no id, in the article's words"))
    return create_model("QuotedEvent", __base__=_Model, **fields)


QuotedEvent = _with_quotes(ChosenEvent)
QuotedChoice = create_model(
    "QuotedChoice", __base__=_Model,
    __doc__="The events by sentence numbers and candidate ids; a party with no id quoted in the article's words.",
    events=(list[QuotedEvent], Field(max_length=5)))  # type: ignore[valid-type]


@cache
def _capped(quotes: bool, sentences_cap: int) -> type[_Model]:
    """The answer's model with another bound on an event's sentence numbers (the same fields, in
    the same order, under the same names: only ``maxItems`` differs in its JSON schema)."""
    fields: dict[str, Any] = {name: (info.annotation, info) for name, info in ChosenEvent.model_fields.items()}
    fields["sentences"] = (list[int], Field(max_length=sentences_cap,
                                            description=ChosenEvent.model_fields["sentences"].description))
    event = create_model("ChosenEvent", __base__=_Model, **fields)
    if quotes:
        event = _with_quotes(event)
    top = QuotedChoice if quotes else Choice
    return create_model(top.__name__, __base__=_Model, __doc__=top.__doc__,
                        events=(list[event], Field(max_length=5)))  # type: ignore[valid-type]


def response_model(quotes: bool, sentences_cap: int = SENTENCES_CAP) -> type[_Model]:
    """The answer's model: ids only, or ids and quotes; an event lists at most ``sentences_cap`` sentences."""
    if sentences_cap != SENTENCES_CAP:
        return _capped(quotes, sentences_cap)
    return QuotedChoice if quotes else Choice


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
    k = 0  # marks and sentences are both in reading order: one pass over each
    for s in analysis.sentences:
        while k < len(marks) and marks[k][0] <= s.start:
            k += 1
        parts, pos = [], s.start
        while k < len(marks) and marks[k][0] <= s.end:
            end, cid = marks[k]
            parts.append(text[pos:end] + f" (#{cid})")
            pos = end
            k += 1
        parts.append(text[pos:s.end])
        out.append(f"[{s.n}] {''.join(parts)}")
    return out


@dataclass(frozen=True)
class Window:
    """Sentences ``first``..``last`` (1-based, inclusive) of the article, read in one request."""

    first: int
    last: int

    def holds(self, sentence: int) -> bool:
        return self.first <= sentence <= self.last


OVERLAP_SENTENCES = 2  # a window starts this many sentences before the last one ended
PARAGRAPH_SHARE = 0.4  # a window this full ends at the next blank line (and the next starts there, no overlap)


def windows(analysis: Analysis, budget: Budget, fixed_bytes: int, fixed_tokens: Callable[[], int]) -> list[Window]:
    """The article in windows of whole sentences, each with the candidates it mentions, that fit the
    budget beside the prompt's fixed part; one window when the article fits. A window ends early at
    a blank line once it holds PARAGRAPH_SHARE of the budget, so the items of a digest are read apart;
    otherwise windows overlap by OVERLAP_SENTENCES. Each sentence and candidate line is counted once:
    time linear in the article's length.

    A token holds one byte at least, so an article whose bytes fit is one window without counting
    (``fixed_bytes`` bounds the fixed part's tokens); the decision is the same either way."""
    n = len(analysis.sentences)
    if n == 0:
        return [Window(1, 0)]
    text = analysis.article.text
    lines = marked(analysis)
    cand_lines = {c.id: describe(c, text) for c in analysis.candidates}
    if sum(len(t.encode("utf-8")) + 1 for t in [*lines, *cand_lines.values()]) <= budget.article_limit(fixed_bytes):
        return [Window(1, n)]
    fixed = fixed_tokens()
    limit = budget.article_limit(fixed)
    if limit <= 0:
        raise ExtractionError(f"the prompt's fixed part ({fixed} tokens) leaves no room for an article in "
                              f"a context of {budget.context} tokens; use a model with a larger context")
    s_cost = [budget.tokens(t) + 1 for t in lines]
    c_cost = {cid: budget.tokens(t) + 1 for cid, t in cand_lines.items()}
    if sum(s_cost) + sum(c_cost.values()) <= limit:
        return [Window(1, n)]
    mentions: list[set[int]] = [set() for _ in range(n)]
    for c in analysis.candidates:
        for sp in c.spans:
            if 1 <= sp.sentence <= n:
                mentions[sp.sentence - 1].add(c.id)
    ss = analysis.sentences
    # a blank line before a sentence: a new item of a digest, or a new section of a long page
    blank = [k > 0 and text.count("\n", ss[k - 1].end, ss[k].start) >= 2 for k in range(n)]
    out: list[Window] = []
    i = 0
    while i < n:
        cost, seen, j = 0, set[int](), i
        at_blank = False
        while j < n:
            new = mentions[j] - seen
            add = s_cost[j] + sum(c_cost[cid] for cid in new)
            if j > i and cost + add > limit:
                break
            cost += add
            seen |= new
            j += 1
            if j < n and blank[j] and cost >= PARAGRAPH_SHARE * limit:
                at_blank = True  # end the window where the page itself breaks, once it holds enough
                break
        out.append(Window(i + 1, j))
        if j >= n:
            break
        i = j if at_blank else max(j - OVERLAP_SENTENCES, i + 1)
    return out


def render_user(template: str, analysis: Analysis, window: Window | None = None) -> str:
    a = analysis.article
    lines = marked(analysis)
    cands = analysis.candidates
    if window is not None and (window.first > 1 or window.last < len(lines)):
        lines = lines[window.first - 1:window.last]
        cands = tuple(c for c in cands if any(window.holds(n) for n in c.sentences))
    sentences = "\n".join(lines)
    candidates = "\n".join(describe(c, a.text) for c in cands) or "(none)"
    return template.format(sentences=sentences, candidates=candidates, title=a.title or "(none)",
                           published=a.published or "unknown", language=a.language)


def within(answer: dict[str, Any], window: Window, analysis: Analysis) -> dict[str, Any]:
    """A window's answer keeps the sentences and candidates that window showed: a number the model
    saw nowhere in it is not taken from elsewhere in the article."""
    shown = {c.id for c in analysis.candidates if any(window.holds(n) for n in c.sentences)}
    events = []
    for ev in answer.get("events", []):
        ev = {**ev, "sentences": [n for n in ev["sentences"] if window.holds(n)]}
        for key in ("kz", "cn", "amounts"):
            ev[key] = [cid for cid in ev[key] if cid in shown]
        events.append(ev)
    return {"events": events}


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


def example_answer(example: dict[str, Any], splitter: int, finders: int = 1) -> tuple[Analysis, dict[str, Any]]:
    """A fictional example's analysis and its answer with names turned into ids."""
    art = Article(id="example", text=example["text"], title=example.get("title"),
                  published=example.get("published"), language=example.get("language", "other"))
    analysis = analyse(art, splitter, finders)
    events = []
    for i, ev in enumerate(example["output"]["events"]):
        where = f"event {i + 1}"
        events.append({**ev, "kz": _ids(ev["kz"], analysis, where), "cn": _ids(ev["cn"], analysis, where),
                       "amounts": _ids(ev["amounts"], analysis, where)})
    quotes = any("kz_words" in ev or "cn_words" in ev for ev in events)
    answer = response_model(quotes).model_validate({"events": events}).model_dump()
    return analysis, answer


def fixed_messages(system: str, user_template: str, examples: tuple[dict[str, Any], ...],
                   splitter: int, finders: int = 1) -> list[dict[str, str]]:
    """The fixed part of every request of a prompt version: the system turn and the worked examples
    (built once per prompt by the choose method, pipeline.methods.choose.method)."""
    msgs = [{"role": "system", "content": system}]
    for ex in examples:
        ex_analysis, answer = example_answer(ex, splitter, finders)
        msgs.append({"role": "user", "content": render_user(user_template, ex_analysis)})
        msgs.append({"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)})
    return msgs
