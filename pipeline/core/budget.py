"""How much of an article one request may carry, counted in the model's own tokens.

An article too long for one request is read in windows of whole sentences
(``pipeline.methods.choose.prompt.windows``). What decides the windows is a ``Budget``:

- ``context``: the model's context window in tokens (the embedded server's
  ``n_ctx``; for another endpoint ``COOPEX_CONTEXT_TOKENS``);
- ``window``: the most article tokens (sentences and their candidates) one
  request carries, however large the context: a small model reads a long page
  worse than a short one, so a long page is read a few thousand tokens at a time;
- ``answer``: room kept for the answer;
- the counter: the embedded model's own tokenizer (its GGUF vocabulary, loaded
  without the weights), or, for an endpoint whose tokenizer coopex cannot see,
  an estimate from the UTF-8 length that errs towards too many tokens.

The counter and the limits are part of the request's identity: the same
article gives the same windows, and so the same cache keys, on every run.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WINDOW_TOKENS = 2400  # article tokens one request carries at most (see the module docstring)
ANSWER_TOKENS = 768  # room kept for the answer (a choose answer is 60-300 tokens)
MESSAGE_TOKENS = 6  # a chat turn's own tokens ("<|im_start|>user\n" ... "<|im_end|>\n")
MARGIN = 0.04  # counted piece by piece, a text can tokenise a little longer as a whole
BYTES_PER_TOKEN = 3.0  # the estimate for an endpoint's unseen tokenizer: few tokenizers do worse


class TokenCounter:
    """Counts tokens; the base class estimates from the UTF-8 length."""

    name = f"estimate:utf8/{BYTES_PER_TOKEN:g}"

    def count(self, text: str) -> int:
        return math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN)


class GGUFCounter(TokenCounter):
    """The model's own tokenizer, read from its GGUF file (vocabulary only: no weights are loaded)."""

    def __init__(self, model_path: Path):
        self.model_path = model_path
        self.name = f"gguf:{model_path.name}"
        self._lock = threading.Lock()
        self._vocab: Any = None

    def _load(self) -> Any:
        with self._lock:
            if self._vocab is None:
                import llama_cpp  # here: an optional extra, needed only to count with the embedded model's tokenizer
                from llama_cpp._utils import suppress_stdout_stderr  # with llama_cpp, above

                # loading the vocabulary alone makes llama.cpp warn, on the C side, about a context it never uses
                with suppress_stdout_stderr(disable=False):
                    self._vocab = llama_cpp.Llama(model_path=str(self.model_path), vocab_only=True, verbose=False)
            return self._vocab

    def count(self, text: str) -> int:
        data = text.encode("utf-8")
        if not data:
            return 0
        return len(self._load().tokenize(data, add_bos=False, special=False))


@dataclass(frozen=True)
class Budget:
    context: int = 8192
    window: int = WINDOW_TOKENS
    answer: int = ANSWER_TOKENS
    counter: TokenCounter = field(default_factory=TokenCounter, compare=False)

    def tokens(self, text: str) -> int:
        return self.counter.count(text)

    def messages_tokens(self, messages: Sequence[dict[str, str]], schema: dict[str, Any] | None = None) -> int:
        """A request's prompt: every turn, and the answer's schema that the client may add to it."""
        n = sum(self.tokens(m["content"]) + MESSAGE_TOKENS for m in messages) + MESSAGE_TOKENS
        if schema is not None:
            n += self.tokens(json.dumps(schema, ensure_ascii=False))
        return n

    def article_limit(self, fixed_tokens: int) -> int:
        """Article tokens one request may carry beside a fixed part of ``fixed_tokens``."""
        room = self.context - self.answer - fixed_tokens
        return max(0, math.floor(min(self.window, room) * (1 - MARGIN)))

    def describe(self) -> dict[str, Any]:
        return {"context": self.context, "window": self.window, "answer": self.answer, "counter": self.counter.name}


def fits_unread(texts: Sequence[str], limit: int) -> bool:
    """True when the texts fit ``limit`` tokens without counting them (one byte a token at least)."""
    return sum(len(t.encode("utf-8")) for t in texts) <= limit

