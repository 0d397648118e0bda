"""A scripted backend for tests and demos: answers are queued, nothing is called.

    fake = FakeBackend()
    fake.enqueue({"events": []})
    fake.enqueue(BackendError("down"))       # raised on that call
    fake.enqueue(lambda request: {...})      # computed from the request
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from pipeline.backends.base import LLMRequest, LLMResult
from pipeline.core.errors import ExtractionError

Answer = dict[str, Any] | BaseException | Callable[[LLMRequest], dict[str, Any]]


class FakeBackend:
    kind = "fake"

    def __init__(self, model: str = "fake-model", mode: str = "tools", default: Answer | None = None):
        self.model = model
        self.mode = mode
        self.default = default
        self.requests: list[LLMRequest] = []
        self._queue: deque[Answer] = deque()
        self._lock = threading.Lock()

    def enqueue(self, *answers: Answer) -> FakeBackend:
        self._queue.extend(answers)
        return self

    def extract(self, request: LLMRequest) -> LLMResult:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                answer = self._queue.popleft()
            elif self.default is not None:
                answer = self.default
            else:
                raise AssertionError("FakeBackend: no answer queued for this request")
        if isinstance(answer, BaseException):
            raise answer
        data = answer(request) if callable(answer) else answer
        prompt_tokens = sum(len(m["content"]) for m in request.messages) // 4
        usage = [{"prompt_tokens": prompt_tokens, "completion_tokens": len(str(data)) // 4}]
        try:
            obj = request.response_model.model_validate(data)
        except ValidationError as e:
            raise ExtractionError(f"scripted answer does not validate: {e}", attempts=1,
                                  last_raw=str(data), usage=usage) from e
        return LLMResult(data=obj.model_dump(mode="json"), usage=usage, raw=str(data), latency_s=0.0)
