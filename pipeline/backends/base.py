"""The backend seam.

A backend takes an ``LLMRequest`` (messages, the pydantic response model,
decoding parameters) and returns an ``LLMResult`` holding data that already
validated against the response model, with the token usage of every attempt.
It raises ``BackendError`` (transport gave up) or ``ExtractionError`` (no valid
answer after the re-asks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel


@dataclass(frozen=True)
class LLMRequest:
    messages: tuple[dict[str, str], ...]
    response_model: type[BaseModel]
    model: str
    temperature: float = 0.0
    max_tokens: int = 2048
    seed: int = 0

    def params(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "max_tokens": self.max_tokens, "seed": self.seed}


@dataclass
class LLMResult:
    data: dict[str, Any]
    usage: list[dict[str, int]] = field(default_factory=list)  # one entry per attempt
    raw: str | None = None
    latency_s: float = 0.0

    @property
    def attempts(self) -> int:
        return len(self.usage)

    def total(self, key: str) -> int:
        return sum(u.get(key, 0) for u in self.usage)


class Backend(Protocol):
    """What the pipeline needs from a model."""

    kind: str  # "openai", "embedded", "fake"
    model: str  # the model identity used in cache keys and provenance
    mode: str

    def extract(self, request: LLMRequest) -> LLMResult: ...
