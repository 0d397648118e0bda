"""One article in, one record out: cache, model, method, grounding, schema validation.

What is asked of the model and how its answer becomes events is the prompt's method
(``pipeline.methods``); the extractor does the same for every method: it answers each of the
method's questions from the cache or the model (then the follow-up questions the method asks of
those answers, if any), has the method assemble the events, grounds them in the article and
validates the record.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from typing import Any

from pipeline.backends.base import Backend, LLMRequest, LLMResult
from pipeline.core.budget import Budget
from pipeline.core.cache import Cache, cache_key, canonical_json
from pipeline.core.errors import ConfigError, CoopexError
from pipeline.core.redact import redact
from pipeline.grounding import apply_strict, slot_grounding
from pipeline.ingest.articles import Article, InputFailure
from pipeline.methods import Assembled, Prepared, Question, method_for
from pipeline.methods.prompts import Prompt
from pipeline.schema import ERROR_SCHEMA_ID, Schema, load_schema


@dataclass(frozen=True)
class Params:
    temperature: float = 0.0
    max_tokens: int = 2048
    seed: int = 0


_NOT_FOUND = {"status": "missing", "start": None, "end": None}


class Extractor:
    def __init__(self, backend: Backend, prompt: Prompt, schema: Schema,
                 cache: Cache | None = None, params: Params = Params(), strict_grounding: bool = False,
                 without: frozenset[str] = frozenset(), error_schema: Schema | None = None,
                 budget: Budget | None = None):
        self.strict_grounding = strict_grounding
        self.budget = budget or Budget()  # how much of an article one request carries (pipeline.core.budget)
        self.backend = backend
        self.prompt = prompt
        self.schema = schema
        self.cache = cache
        self.params = params
        self._error_schema = error_schema or load_schema(ERROR_SCHEMA_ID)  # given where schemas/ is not (Ray workers)
        self.method = method_for(prompt, self.budget, without)  # without: rules of the choose method left out

    def prepare(self, article: Article) -> Prepared:
        """The article's questions for the model (one, or one a window of a long article) and its reading."""
        return self.method.prepare(article)

    def key(self, article: Article, question: Question | None = None) -> str:
        """The cache key of one question's answer (the article's first question when none is given)."""
        q = question if question is not None else self.prepare(article).questions[0]
        parts: dict[str, object] = {
            "article_sha256": article.sha256,
            "title": article.title, "published": article.published, "language": article.language,
            "prompt": list(q.key_prompt or (self.prompt.id, self.prompt.sha256)),
            "schema": [self.schema.id, self.schema.sha256],
            "model": self.backend.model, "mode": self.backend.mode,
            "params": [self.params.temperature, self.params.max_tokens, self.params.seed],
        }
        if q.messages_in_key:
            parts["messages_sha256"] = hashlib.sha256(canonical_json(list(q.messages)).encode()).hexdigest()
            del parts["schema"]
        return cache_key(parts)

    def request(self, question: Question) -> LLMRequest:
        return LLMRequest(messages=question.messages, response_model=question.response_model,
                          model=self.backend.model, temperature=self.params.temperature,
                          max_tokens=self.params.max_tokens, seed=self.params.seed)

    def run(self, item: Article | InputFailure) -> dict[str, Any]:
        """A record, or an error record; never raises for a problem with this one article."""
        if isinstance(item, InputFailure):
            return self.error_record(item.id, item.error)
        try:
            return self.extract(item)
        except ConfigError:
            raise  # the run's configuration (an endpoint that cannot be reached), not this article's
        except CoopexError as e:
            return self.error_record(item.id, e)
        except Exception as e:  # a bug must not stop a batch; the record says what happened
            return self.error_record(item.id, e)

    def _answer(self, question: Question, prepared: Prepared) -> tuple[LLMResult, bool]:
        """One question's answer, from the cache when it holds it; and whether it did."""
        key = self.key(prepared.article, question)
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            return LLMResult(data=cached["data"], usage=cached["usage"], raw=None,
                             latency_s=cached.get("latency_s", 0.0)), True
        result = self.method.ask(self.backend, self.request(question), prepared)
        if self.cache:
            self.cache.set(key, {"data": result.data, "usage": result.usage, "latency_s": result.latency_s})
        return result, False

    def extract(self, article: Article) -> dict[str, Any]:
        t0 = time.perf_counter()
        prepared = self.method.prepare(article)
        answers = [self._answer(q, prepared) for q in prepared.questions]
        # questions that depend on the first answers, each answered (and keyed) on its own
        follow_ups = self.method.follow_up([r.data for r, _ in answers], prepared)
        if follow_ups:
            prepared = replace(prepared, follow_ups=follow_ups)
            answers += [self._answer(q, prepared) for q in follow_ups]
        cached = all(c for _, c in answers)
        # the answers' cost, all questions together
        cost = LLMResult(data={}, usage=[u for r, _ in answers for u in r.usage],
                         latency_s=sum(r.latency_s for r, _ in answers))
        record = self.build_record(prepared, self.method.assemble([r.data for r, _ in answers], prepared),
                                   cost, cached=cached)
        record["provenance"]["pipeline_s"] = round(time.perf_counter() - t0 - (0 if cached else cost.latency_s), 6)
        self.schema.validate(record)
        return record

    def build_record(self, prepared: Prepared, assembled: Assembled, cost: LLMResult, *,
                     cached: bool) -> dict[str, Any]:
        article, analysis = prepared.article, prepared.analysis
        events, checks = assembled.events, assembled.checks
        # which values the article supports (a method that analysed the article has its evidence
        # spans looked up there); with strict grounding the rest is dropped
        slots = [slot_grounding(ev, article.text, analysis) for ev in events]
        dropped: list[dict[str, Any]] = []
        if self.strict_grounding:
            events, slots, checks, dropped = apply_strict(events, slots, article.text, checks, analysis)
        # where each evidence quote stands, as found exactly or after normalising (slot grounding
        # located each quote, fuzzily too: a quote found only fuzzily counts as missing here)
        grounding = [[dict(g) if g["status"] != "fuzzy" else dict(_NOT_FOUND) for g in slot["evidence"]]
                     for slot in slots]
        quotes = [g for ev in grounding for g in ev]
        rate = (sum(g["status"] != "missing" for g in quotes) / len(quotes)) if quotes else None
        record: dict[str, Any] = {
            "article_id": article.id,
            "language": article.language,
            "published": article.published,
            "events": events,
            "provenance": {
                "prompt_id": self.prompt.id, "prompt_sha256": self.prompt.sha256,
                "schema_id": self.schema.id, "schema_sha256": self.schema.sha256,
                "model": self.backend.model, "backend": self.backend.kind,
                "usage": {"prompt_tokens": cost.total("prompt_tokens"),
                          "completion_tokens": cost.total("completion_tokens"),
                          "attempts": cost.attempts},
                "latency_s": round(cost.latency_s, 3), "cached": cached,
                "grounding": grounding, "grounding_rate": rate,
                "grounded": slots, "strict_grounding": self.strict_grounding,
                **({"checks": checks} if checks is not None else {}),
                **({"analysis": assembled.analysis} if assembled.analysis is not None else {}),
                **({"dropped_by_grounding": dropped} if dropped else {}),
                "input": article.provenance(),
            },
        }
        if assembled.windows is not None:
            record["provenance"]["windows"] = assembled.windows
        return record

    def error_record(self, article_id: str, exc: BaseException) -> dict[str, Any]:
        stage = getattr(exc, "stage", "internal")
        if stage not in ("ingest", "llm", "validate"):
            stage = "internal"
        usage = getattr(exc, "usage", []) or []
        rec: dict[str, Any] = {
            "article_id": article_id,
            "error": {
                "stage": stage,
                "type": type(exc).__name__,
                "message": redact(str(exc))[:4000] or type(exc).__name__,
                "attempts": int(getattr(exc, "attempts", 0) or 0),
                "last_raw": (getattr(exc, "last_raw", None) or None),
            },
            "provenance": {
                "prompt_id": self.prompt.id, "schema_id": self.schema.id, "model": self.backend.model,
                "usage": {"prompt_tokens": sum(u.get("prompt_tokens", 0) for u in usage),
                          "completion_tokens": sum(u.get("completion_tokens", 0) for u in usage)},
            },
        }
        if rec["error"]["last_raw"]:
            rec["error"]["last_raw"] = rec["error"]["last_raw"][:20000]
        self._error_schema.validate(rec)
        return rec


def is_error(record: dict[str, Any]) -> bool:
    return "error" in record

