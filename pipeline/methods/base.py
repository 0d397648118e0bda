"""The method seam: how a prompt's answer is asked for, and how it becomes a record's events.

A prompt's ``config.json`` names its method (``response``: "full", "compact" or "choose"); the
extractor asks ``pipeline.methods.method_for`` for it, and then does the same for every method:
the method *prepares* an article (the questions to ask, and what it needs later), the extractor
answers each question from its cache or the model (the method *asks*, which may take more than
one call), the method may ask *follow-up* questions that depend on those answers (answered the
same way, each under its own key), the method *assembles* all the answers into events, and the
extractor grounds and validates the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from pipeline.analyse import Analysis
from pipeline.backends.base import Backend, LLMRequest, LLMResult
from pipeline.ingest.articles import Article
from pipeline.methods.choose.prompt import Window


@dataclass(frozen=True)
class Question:
    """One request of an article's extraction, and one cached answer: the chat messages and the
    answer's shape (the grammar)."""

    messages: tuple[dict[str, str], ...]
    response_model: type[BaseModel]
    # The cache key holds the messages (the choose method's candidates are part of the question)
    # and not the record schema (which checks the assembled record and shapes no part of the answer).
    # Otherwise the article, the prompt and the record schema make the key.
    messages_in_key: bool = False
    # The (id, sha256) of the prompt the key names, when not the extractor's own: a prompt built on
    # a base asks the base's question word for word, and the base's answers answer it.
    key_prompt: tuple[str, str] | None = None
    # What a follow-up question is about, for the method that asked it (the choose method: the
    # event's number in the main answer and the side asked for).
    about: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Prepared:
    """An article made ready for its method: the questions (one, or one a window of a long article)
    and what ``assemble`` needs of the reading."""

    article: Article
    questions: tuple[Question, ...]
    analysis: Analysis | None = None  # a method that reads the article into candidates (choose)
    windows: tuple[Window, ...] = ()  # the windows the questions show, when there are several
    follow_ups: tuple[Question, ...] = ()  # asked after the answers to ``questions`` (Method.follow_up)


@dataclass(frozen=True)
class Assembled:
    """The method's part of a record: its events, and its own provenance."""

    events: list[dict[str, Any]]
    checks: list[dict[str, Any]] | None = None  # what the method's rules changed or dropped
    analysis: dict[str, Any] | None = None  # the analysis's size and lexicon version
    windows: dict[str, Any] | None = None  # the budget and sentences of each window, for a long article


class Method(Protocol):
    """How a prompt's answer is asked for and made into a record's events."""

    def prepare(self, article: Article) -> Prepared:
        """The article's questions, and what ``assemble`` needs."""
        ...

    def ask(self, backend: Backend, request: LLMRequest, prepared: Prepared) -> LLMResult:
        """One question's answer from the model (a request made of one of ``prepared.questions``)."""
        ...

    def follow_up(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> tuple[Question, ...]:
        """Further questions that depend on the answers to ``prepared.questions`` (none for most
        methods); the extractor answers them like the others and puts them in ``prepared.follow_ups``."""
        ...

    def assemble(self, answers: Sequence[dict[str, Any]], prepared: Prepared) -> Assembled:
        """The events from the answers' data, one answer a question, in order: ``prepared.questions``'
        first, then ``prepared.follow_ups``'."""
        ...
