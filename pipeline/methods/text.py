"""The article's text in one request (the full and compact methods): the prompt's system turn and
worked examples first (built once per prompt, so servers reuse their cached prefix), the article last,
as numbered sentences where the prompt says so."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from pipeline.backends.base import Backend, LLMRequest, LLMResult
from pipeline.core.budget import MESSAGE_TOKENS, Budget
from pipeline.core.errors import ExtractionError
from pipeline.ingest import sentences
from pipeline.ingest.articles import Article
from pipeline.methods.base import Prepared, Question
from pipeline.methods.prompts import Prompt


class TextMethod:
    """What the full and compact methods share: their messages, and the check that a request fits."""

    def __init__(self, prompt: Prompt, budget: Budget):
        self.prompt = prompt
        self.budget = budget

    def response_model(self) -> type[BaseModel]:
        raise NotImplementedError

    def render_user(self, *, text: str, title: str | None, published: str | None, language: str) -> str:
        p = self.prompt
        if p.numbered:
            text = sentences.numbered(sentences.split(text, p.splitter))
        return p.user_template.format(
            text=text, title=title or "(none)", published=published or "unknown", language=language
        )

    @cached_property
    def fixed_messages(self) -> tuple[dict[str, str], ...]:
        """The system turn and the worked examples (each a user turn and the answer)."""
        msgs = [{"role": "system", "content": self.prompt.system}]
        for ex in self.prompt.examples:
            msgs.append({"role": "user", "content": self.render_user(
                text=ex["text"], title=ex.get("title"), published=ex.get("published"),
                language=ex.get("language", "other"))})
            msgs.append({"role": "assistant", "content": json.dumps(ex["output"], ensure_ascii=False)})
        return tuple(msgs)

    def messages(self, article: Article) -> tuple[dict[str, str], ...]:
        """Chat messages: the fixed part first, the article last."""
        return (*self.fixed_messages, {"role": "user", "content": self.render_user(
            text=article.text, title=article.title, published=article.published, language=article.language)})

    def prepare(self, article: Article) -> Prepared:
        return Prepared(article, (Question(self.messages(article), self.response_model()),))

    def follow_up(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> tuple[Question, ...]:
        return ()  # one answer is the whole extraction

    def fits(self, request: LLMRequest) -> None:
        """Raise ``ExtractionError`` for a request that cannot fit the model's context: it never
        reaches the endpoint. (The choose method reads a long article in windows instead.)"""
        room = self.budget.context - self.budget.answer
        if sum(len(m["content"].encode("utf-8")) + MESSAGE_TOKENS for m in request.messages) <= room:
            return  # a token holds one byte at least
        n = self.budget.messages_tokens(request.messages)
        if n > room:
            raise ExtractionError(
                f"the article is too long for prompt {self.prompt.id} ({n} tokens with the prompt; the model's "
                f"context leaves {room}); prompts of the choose method (extract-v9 and later) read it in windows")

    def ask(self, backend: Backend, request: LLMRequest, prepared: Prepared) -> LLMResult:
        self.fits(request)
        return backend.extract(request)
