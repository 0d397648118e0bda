"""One article in, one record out: prompt, cache, model, grounding, schema validation."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace
from typing import Any

from . import choose
from .analyse import Analysis, analyse
from .assemble import assemble
from .backends.base import Backend, LLMRequest, LLMResult
from .budget import MESSAGE_TOKENS, Budget
from .cache import Cache, cache_key, canonical_json
from .compact import expand
from .compact_models import CDetail, CExtraction, CExtractionNamed, CFind, combine
from .errors import ConfigError, CoopexError, ExtractionError
from .grounding import apply_strict, locate, slot_grounding
from .ingest import Article, InputFailure
from .lexicon import version as lexicon_version
from .models import Extraction
from .prompts import Prompt
from .redact import redact
from .schema import ERROR_SCHEMA_ID, Schema, load_schema


@dataclass(frozen=True)
class Params:
    temperature: float = 0.0
    max_tokens: int = 2048
    seed: int = 0


class Extractor:
    def __init__(self, backend: Backend, prompt: Prompt, schema: Schema,
                 cache: Cache | None = None, params: Params = Params(), strict_grounding: bool = False,
                 without: frozenset[str] = frozenset(), error_schema: Schema | None = None,
                 budget: Budget | None = None):
        self.strict_grounding = strict_grounding
        self.budget = budget or Budget()  # how much of an article one request carries (pipeline.budget)
        self.without = without  # rules of the choose method left out (an ablation)
        self.backend = backend
        self.prompt = prompt
        self.schema = schema
        self.cache = cache
        self.params = params
        self._error_schema = error_schema or load_schema(ERROR_SCHEMA_ID)  # given where schemas/ is not (Ray workers)
        self._fixed: list[dict[str, str]] | None = None  # a choose prompt's system turn and examples, built once
        self._fixed_tokens: int | None = None

    def analysis(self, article: Article) -> Analysis | None:
        return analyse(article, self.prompt.splitter) if self.prompt.response == "choose" else None

    def key(self, article: Article, analysis: Analysis | None = None, window: choose.Window | None = None) -> str:
        parts: dict[str, object] = {
            "article_sha256": article.sha256,
            "title": article.title, "published": article.published, "language": article.language,
            "prompt": [self.prompt.id, self.prompt.sha256],
            "schema": [self.schema.id, self.schema.sha256],
            "model": self.backend.model, "mode": self.backend.mode,
            "params": [self.params.temperature, self.params.max_tokens, self.params.seed],
        }
        if analysis is not None:
            # The candidates are part of the question. The record schema is not: it checks the
            # assembled record, it shapes no part of the answer (ids and enums).
            parts["messages_sha256"] = hashlib.sha256(
                canonical_json(list(self.request(article, analysis, window).messages)).encode()).hexdigest()
            del parts["schema"]
        return cache_key(parts)

    def fixed_messages(self) -> list[dict[str, str]]:
        """A choose prompt's fixed part (system turn, worked examples), built once per extractor."""
        if self._fixed is None:
            p = self.prompt
            self._fixed = choose.fixed_messages(p.system, p.user_template, p.examples, p.splitter)
        return self._fixed

    def _fixed_parts(self, article: Article) -> list[dict[str, str]]:
        """The fixed part and the article's own turn without its sentences and candidates."""
        a = article
        empty = self.prompt.user_template.format(sentences="", candidates="", title=a.title or "(none)",
                                                 published=a.published or "unknown", language=a.language)
        return [*self.fixed_messages(), {"role": "user", "content": empty}]

    def windows(self, article: Article, analysis: Analysis) -> list[choose.Window]:
        """The windows the article is read in: one, unless it does not fit one request (pipeline.budget)."""
        parts = self._fixed_parts(article)
        schema = choose.response_model(self.prompt.quotes).model_json_schema()
        fixed_bytes = (sum(len(m["content"].encode("utf-8")) + MESSAGE_TOKENS for m in parts) + MESSAGE_TOKENS
                       + len(json.dumps(schema, ensure_ascii=False).encode("utf-8")))
        return choose.windows(analysis, self.budget, fixed_bytes,
                              lambda: self.budget.messages_tokens(parts, schema))

    def request(self, article: Article, analysis: Analysis | None = None,
                window: choose.Window | None = None) -> LLMRequest:
        if analysis is not None:
            p = self.prompt
            return LLMRequest(
                messages=tuple(choose.messages(p.system, p.user_template, p.examples, p.splitter, analysis,
                                               window, self.fixed_messages())),
                response_model=choose.response_model(p.quotes), model=self.backend.model, temperature=self.params.temperature,
                max_tokens=self.params.max_tokens, seed=self.params.seed)
        return LLMRequest(
            messages=tuple(self.prompt.messages(article)),
            response_model=((CExtractionNamed if self.prompt.require_parties else CExtraction)
                            if self.prompt.response == "compact" else Extraction),
            model=self.backend.model, temperature=self.params.temperature,
            max_tokens=self.params.max_tokens, seed=self.params.seed,
        )

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

    def call_model(self, article: Article) -> LLMResult:
        if self.prompt.strategy != "two_step":
            request = self.request(article)
            self.fits(request)
            return self.backend.extract(request)
        first = self.backend.extract(replace(self.request(article), response_model=CFind))
        usage = list(first.usage)
        latency = first.latency_s
        events = []
        seen: set[tuple[int, ...]] = set()
        for found in first.data.get("events", []):
            key = tuple(sorted(found["sentences"]))
            if not key or key in seen:
                continue
            seen.add(key)
            req = replace(self.request(article), response_model=CDetail,
                          messages=tuple(self.prompt.detail_messages(article, found["sentences"], found["type"])))
            detail = self.backend.extract(req)
            usage += detail.usage
            latency += detail.latency_s
            events.append(combine(found, detail.data))
        return LLMResult(data={"events": events}, usage=usage, raw=None, latency_s=latency)

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

    def _answer(self, article: Article, analysis: Analysis | None,
                window: choose.Window | None = None) -> tuple[LLMResult, bool]:
        """One request's answer, from the cache when it holds it; and whether it did."""
        key = self.key(article, analysis, window)
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            return LLMResult(data=cached["data"], usage=cached["usage"], raw=None,
                             latency_s=cached.get("latency_s", 0.0)), True
        if analysis is not None:
            result = self.backend.extract(self.request(article, analysis, window))
        else:
            result = self.call_model(article)
        if self.cache:
            self.cache.set(key, {"data": result.data, "usage": result.usage, "latency_s": result.latency_s})
        return result, False

    def extract(self, article: Article) -> dict[str, Any]:
        analysis = self.analysis(article)
        t0 = time.perf_counter()
        if analysis is None:
            result, cached = self._answer(article, None)
            windows: list[choose.Window] = []
        else:
            windows = self.windows(article, analysis)
            if len(windows) == 1:
                result, cached = self._answer(article, analysis)
            else:  # a long article: each window's answer, then one record (same-occasion events merged)
                answers = [self._answer(article, analysis, w) for w in windows]
                events = [ev for w, (r, _) in zip(windows, answers, strict=True)
                          for ev in choose.within(r.data, w, analysis)["events"]]
                result = LLMResult(data={"events": events}, usage=[u for r, _ in answers for u in r.usage],
                                   latency_s=sum(r.latency_s for r, _ in answers))
                cached = all(c for _, c in answers)
        record = self.build_record(article, result, cached=cached, analysis=analysis)
        if len(windows) > 1:
            record["provenance"]["windows"] = {"budget": self.budget.describe(),
                                               "sentences": [[w.first, w.last] for w in windows]}
        record["provenance"]["pipeline_s"] = round(time.perf_counter() - t0 - (0 if cached else result.latency_s), 6)
        self.schema.validate(record)
        return record

    def build_record(self, article: Article, result: LLMResult, *, cached: bool,
                     analysis: Analysis | None = None) -> dict[str, Any]:
        checks: list[dict[str, Any]] | None = None
        if analysis is not None:
            events, checks = assemble(result.data, analysis, self.without)
        elif self.prompt.response == "compact":
            events, checks = expand(result.data, article, self.prompt.splitter)
        else:
            events = result.data.get("events", [])
        # which values the article supports; with strict grounding the rest is dropped
        slots = [slot_grounding(ev, article.text) for ev in events]
        dropped: list[dict[str, Any]] = []
        if self.strict_grounding:
            events, slots, checks, dropped = apply_strict(events, slots, article.text, checks)
        grounding = [[locate(q, article.text).as_dict() for q in ev.get("evidence", [])] for ev in events]
        quotes = [g for ev in grounding for g in ev]
        rate = (sum(g["status"] != "missing" for g in quotes) / len(quotes)) if quotes else None
        return {
            "article_id": article.id,
            "language": article.language,
            "published": article.published,
            "events": events,
            "provenance": {
                "prompt_id": self.prompt.id, "prompt_sha256": self.prompt.sha256,
                "schema_id": self.schema.id, "schema_sha256": self.schema.sha256,
                "model": self.backend.model, "backend": self.backend.kind,
                "usage": {"prompt_tokens": result.total("prompt_tokens"),
                          "completion_tokens": result.total("completion_tokens"),
                          "attempts": result.attempts},
                "latency_s": round(result.latency_s, 3), "cached": cached,
                "grounding": grounding, "grounding_rate": rate,
                "grounded": slots, "strict_grounding": self.strict_grounding,
                **({"checks": checks} if checks is not None else {}),
                **({"analysis": {"lexicon_version": lexicon_version(), "candidates": len(analysis.candidates),
                                 "sentences": len(analysis.sentences)}} if analysis is not None else {}),
                **({"dropped_by_grounding": dropped} if dropped else {}),
                "input": article.provenance(),
            },
        }

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

