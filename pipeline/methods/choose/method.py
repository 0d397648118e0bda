"""The choose method (extract-v9 and later): the article is analysed into numbered sentences and
numbered candidates (``pipeline.analyse``); the model answers with numbers (``pipeline.methods.choose.prompt``);
named rules correct the choice and fill the slots (``pipeline.methods.choose.checks``), and the events are
assembled from the analysis (``pipeline.methods.choose.assemble``).

An article too long for one request is read in windows (``pipeline.methods.choose.prompt.windows``): one question
a window; each window's answer keeps what that window showed, and the events of all windows are
assembled as one answer (same-occasion events merged by the rules).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from pipeline.analyse import Analysis, analyse
from pipeline.backends.base import Backend, LLMRequest, LLMResult
from pipeline.core.budget import MESSAGE_TOKENS, Budget
from pipeline.core.lexicon import version as lexicon_version
from pipeline.ingest.articles import Article
from pipeline.methods.base import Assembled, Prepared, Question
from pipeline.methods.choose import follow_up
from pipeline.methods.choose.assemble import assemble as assemble_choice
from pipeline.methods.choose.prompt import Window, fixed_messages, render_user, response_model, within
from pipeline.methods.choose.prompt import windows as choose_windows
from pipeline.methods.prompts import Prompt


class ChooseMethod:
    def __init__(self, prompt: Prompt, budget: Budget, without: frozenset[str] = frozenset()):
        self.prompt = prompt
        self.budget = budget
        self.without = without  # rules of pipeline.methods.choose.checks left out (an ablation)

    @cached_property
    def fixed_messages(self) -> tuple[dict[str, str], ...]:
        """The system turn and the worked examples: each example analysed, and its answer's names
        turned into ids, once."""
        p = self.prompt
        return tuple(fixed_messages(p.system, p.user_template, p.examples, p.splitter, p.finders))

    @cached_property
    def response_model(self) -> type[BaseModel]:
        return response_model(self.prompt.quotes, self.prompt.sentences_cap)

    @cached_property
    def _schema(self) -> tuple[dict[str, Any], int]:
        """The answer's JSON schema, which the client may add to the prompt, and its bytes."""
        schema = self.response_model.model_json_schema()
        return schema, len(json.dumps(schema, ensure_ascii=False).encode("utf-8"))

    def windows(self, analysis: Analysis) -> list[Window]:
        """The windows the article is read in: one, unless it does not fit one request (pipeline.core.budget)."""
        a = analysis.article
        # the fixed part and the article's own turn without its sentences and candidates
        empty = self.prompt.user_template.format(sentences="", candidates="", title=a.title or "(none)",
                                                 published=a.published or "unknown", language=a.language)
        parts = [*self.fixed_messages, {"role": "user", "content": empty}]
        schema, schema_bytes = self._schema
        fixed_bytes = sum(len(m["content"].encode("utf-8")) + MESSAGE_TOKENS for m in parts) + MESSAGE_TOKENS + schema_bytes
        return choose_windows(analysis, self.budget, fixed_bytes, lambda: self.budget.messages_tokens(parts, schema))

    def question(self, analysis: Analysis, window: Window | None) -> Question:
        user = render_user(self.prompt.user_template, analysis, window)
        return Question((*self.fixed_messages, {"role": "user", "content": user}), self.response_model,
                        messages_in_key=True, key_prompt=self.prompt.key_prompt)

    def prepare(self, article: Article) -> Prepared:
        analysis = analyse(article, self.prompt.splitter, self.prompt.finders)
        windows = self.windows(analysis)
        if len(windows) == 1:  # the whole article in one request
            return Prepared(article, (self.question(analysis, None),), analysis, tuple(windows))
        return Prepared(article, tuple(self.question(analysis, w) for w in windows), analysis, tuple(windows))

    def ask(self, backend: Backend, request: LLMRequest, prepared: Prepared) -> LLMResult:
        return backend.extract(request)

    @cached_property
    def follow_up_messages(self) -> tuple[dict[str, str], ...]:
        """The follow-up's system turn and worked examples, built once."""
        f = self.prompt.follow_up
        return tuple(follow_up.fixed_messages(f.system, f.user_template, f.examples)) if f else ()

    def follow_up(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> tuple[Question, ...]:
        """The empty-side follow-up (a prompt built on a choose prompt): one short question for each
        event the rules would drop for want of a party on one side (pipeline.methods.choose.follow_up)."""
        f, analysis = self.prompt.follow_up, prepared.analysis
        if f is None or analysis is None:
            return ()
        text = {s.n: s.text for s in analysis.sentences}
        out = []
        for e in follow_up.empty_sides(self.choice(answers, prepared), analysis, self.without):
            user = follow_up.render_user(f.user_template, (text[n] for n in e.sentences), e.side, e.type)
            out.append(Question((*self.follow_up_messages, {"role": "user", "content": user}), follow_up.SideWords,
                                messages_in_key=True, about=(e,)))
        return tuple(out)

    def choice(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> dict[str, Any]:
        """The model's answer to the article's questions as one: each window's answer keeps what the
        window showed."""
        analysis = prepared.analysis
        assert analysis is not None
        if len(prepared.questions) == 1:
            return answers[0]
        return {"events": [ev for w, a in zip(prepared.windows, answers, strict=True)
                           for ev in within(a, w, analysis)["events"]]}

    def assemble(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> Assembled:
        analysis = prepared.analysis
        assert analysis is not None
        n = len(prepared.questions)
        windows = None
        answer = self.choice(answers[:n], prepared)
        if n > 1:  # one record of the windows' answers (same-occasion events merged)
            windows = {"budget": self.budget.describe(), "sentences": [[w.first, w.last] for w in prepared.windows]}
        asked = follow_up.asked_quotes((q.about[0], a) for q, a in zip(prepared.follow_ups, answers[n:], strict=True))
        events, checks = assemble_choice(answer, analysis, self.without, asked)
        return Assembled(events=events, checks=checks, windows=windows,
                         analysis={"lexicon_version": lexicon_version(), "candidates": len(analysis.candidates),
                                   "sentences": len(analysis.sentences)})
