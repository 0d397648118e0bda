"""The methods: how a prompt's answer is asked for and made into a record's events (``base``).

- full (extract-v1, extract-v2): the model writes the spec's events (``full``);
- compact (extract-v3 to extract-v8): a short answer the pipeline expands (``compact``);
- choose (extract-v9 and later): numbers over the article's analysed candidates (``choose``).
"""

from __future__ import annotations

from pipeline.core.budget import Budget
from pipeline.methods.base import Assembled, Method, Prepared, Question
from pipeline.methods.choose.method import ChooseMethod
from pipeline.methods.compact import CompactMethod
from pipeline.methods.full import FullMethod
from pipeline.methods.prompts import Prompt

__all__ = ["Assembled", "Method", "Prepared", "Question", "method_for"]


def method_for(prompt: Prompt, budget: Budget, without: frozenset[str] = frozenset()) -> Method:
    """The method the prompt's config.json names (``response``). ``without``: rules of the choose
    method left out (an ablation); the other methods have no such rules."""
    if prompt.response == "choose":
        return ChooseMethod(prompt, budget, without)
    if prompt.response == "compact":
        return CompactMethod(prompt, budget)
    return FullMethod(prompt, budget)
