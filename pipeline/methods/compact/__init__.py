"""The compact method (extract-v3 to extract-v8): the model answers in short keys, evidence as
sentence numbers, amounts as written (``models``); the pipeline expands the answer into the spec's
events, grounding and repairing each value (``expand``).

A prompt of the ``two_step`` strategy (extract-v5) asks twice: first for the events (sentence
numbers, type, place, date), then once for each event, on its own sentences, for its details.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from pipeline.backends.base import Backend, LLMRequest, LLMResult
from pipeline.ingest import sentences
from pipeline.ingest.articles import Article
from pipeline.methods.base import Assembled, Prepared
from pipeline.methods.compact.expand import expand
from pipeline.methods.compact.models import CDetail, CExtraction, CExtractionNamed, CFind, combine
from pipeline.methods.text import TextMethod


class CompactMethod(TextMethod):
    def response_model(self) -> type[BaseModel]:
        if self.prompt.strategy == "two_step":
            return CFind
        return CExtractionNamed if self.prompt.require_parties else CExtraction

    def ask(self, backend: Backend, request: LLMRequest, prepared: Prepared) -> LLMResult:
        if self.prompt.strategy != "two_step":
            return super().ask(backend, request, prepared)
        first = backend.extract(request)
        usage = list(first.usage)
        latency = first.latency_s
        events = []
        seen: set[tuple[int, ...]] = set()
        for found in first.data.get("events", []):
            key = tuple(sorted(found["sentences"]))
            if not key or key in seen:
                continue
            seen.add(key)
            messages = self.detail_messages(prepared.article, found["sentences"], found["type"])
            detail = backend.extract(replace(request, response_model=CDetail, messages=tuple(messages)))
            usage += detail.usage
            latency += detail.latency_s
            events.append(combine(found, detail.data))
        return LLMResult(data={"events": events}, usage=usage, raw=None, latency_s=latency)

    def detail_messages(self, article: Article, numbers: list[int], event_type: str) -> list[dict[str, str]]:
        """Step 2 of two_step: the event's sentences (and the lead sentence, for who and where)."""
        p = self.prompt
        assert p.detail_system is not None and p.detail_user is not None
        sents = sentences.split(article.text, p.splitter)
        keep = sorted({1, *numbers} & {s.n for s in sents})
        text = "\n".join(f"[{s.n}] {s.text}" for s in sents if s.n in keep)
        return [{"role": "system", "content": p.detail_system},
                {"role": "user", "content": p.detail_user.format(
                    text=text, title=article.title or "(none)", type=event_type,
                    published=article.published or "unknown", language=article.language)}]

    def assemble(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> Assembled:
        events, checks = expand(answers[0], prepared.article, self.prompt.splitter)
        return Assembled(events=events, checks=checks)
