"""Backends: one seam that turns a rendered request into a validated answer."""

from pipeline.backends.base import Backend, LLMRequest, LLMResult

__all__ = ["Backend", "LLMRequest", "LLMResult"]
