"""Sentences with their character offsets, numbered for the model.

The model cites evidence by sentence number; the pipeline maps each number back
to the exact sentence of the article, so every evidence quote is an exact
substring with known offsets whatever the model writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core import vocab

# A sentence ends at . ! ? … (and their full-width forms) before whitespace and
# a capital, digit, quote or bracket; Chinese punctuation ends a sentence with
# or without a following space. A single capital before the full stop is an
# initial ("Н. Назарбаев"), not an end.
_END = vocab.regex("sentences", "end")
MAX_SENTENCE = 600


@dataclass(frozen=True)
class Sentence:
    n: int
    start: int
    end: int
    text: str


SPLITTERS = (1, 2)  # 2: a dateline ("АСТАНА. KAZINFORM — ...") stays with its sentence


def split(text: str, version: int = 1) -> list[Sentence]:
    """Sentences in reading order, numbered from 1; blank lines and very long runs handled.

    The numbering is part of a prompt version (the model cites these numbers),
    so a change of rule is a new ``version``, chosen in the prompt's config."""
    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        chunk = para.group()
        pos = 0
        bounds = [m.end() for m in _END.finditer(chunk)] + [len(chunk)]
        for b in bounds:
            piece = chunk[pos:b]
            for s, e in _pieces(piece):
                seg = piece[s:e]
                lead = len(seg) - len(seg.lstrip())
                seg = seg.strip()
                if seg:
                    start = base + pos + s + lead
                    out.append(Sentence(len(out) + 1, start, start + len(seg), seg))
            pos = b
    return _join_datelines(out, text) if version >= 2 else out


_DATELINE = vocab.regex("sentences", "dateline")


def _join_datelines(ss: list[Sentence], text: str) -> list[Sentence]:
    """A news dateline ("АСТАНА. KAZINFORM — ...", "BEIJING. ...") belongs to its sentence."""
    out: list[Sentence] = []
    i = 0
    while i < len(ss):
        s = ss[i]
        nxt = ss[i + 1] if i + 1 < len(ss) else None
        if nxt is not None and _DATELINE.match(s.text) and "\n" not in text[s.end:nxt.start]:
            s = Sentence(0, s.start, nxt.end, text[s.start:nxt.end])
            i += 1
        out.append(Sentence(len(out) + 1, s.start, s.end, s.text))
        i += 1
    return out


def _pieces(piece: str) -> list[tuple[int, int]]:
    """A run longer than MAX_SENTENCE cut at spaces, so one sentence never swamps the evidence."""
    if len(piece) <= MAX_SENTENCE:
        return [(0, len(piece))]
    spans = []
    s = 0
    while len(piece) - s > MAX_SENTENCE:
        cut = piece.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
        cut = cut if cut > s else s + MAX_SENTENCE
        spans.append((s, cut))
        s = cut
    spans.append((s, len(piece)))
    return spans


def numbered(sentences: list[Sentence]) -> str:
    return "\n".join(f"[{s.n}] {s.text}" for s in sentences)
