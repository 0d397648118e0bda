"""The full method (extract-v1, extract-v2): the model writes the spec's events whole, and they
are the record's events as written (grounding then says which values the article supports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.methods.base import Assembled, Prepared
from pipeline.methods.models import Extraction
from pipeline.methods.text import TextMethod


class FullMethod(TextMethod):
    def response_model(self) -> type[Extraction]:
        return Extraction

    def assemble(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> Assembled:
        return Assembled(events=answers[0].get("events", []))
