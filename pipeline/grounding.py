"""Evidence alignment: where each quote stands in the article, and how it was found."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\xa0": " "})


@dataclass(frozen=True)
class Span:
    status: str  # exact | normalised | missing
    start: int | None
    end: int | None

    def as_dict(self) -> dict[str, object]:
        return {"status": self.status, "start": self.start, "end": self.end}


def _normalise(text: str) -> tuple[str, list[int]]:
    """Folded text (quotes unified, whitespace collapsed, case folded) and a map to source offsets."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            if prev_space:
                continue
            prev_space = True
            out.append(" ")
            index.append(i)
            continue
        prev_space = False
        for c in ch.casefold():
            out.append(c)
            index.append(i)
    return "".join(out), index


def locate(quote: str, text: str) -> Span:
    q = quote.strip()
    if not q:
        return Span("missing", None, None)
    i = text.find(q)
    if i >= 0:
        return Span("exact", i, i + len(q))
    nt, idx = _normalise(text)
    nq, _ = _normalise(q)
    nq = re.sub(r"^[\s\"'.…]+|[\s\"'.…]+$", "", nq)
    j = nt.find(nq) if nq else -1
    if j >= 0:
        return Span("normalised", idx[j], idx[j + len(nq) - 1] + 1)
    return Span("missing", None, None)
