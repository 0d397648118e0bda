"""Quotes: a party the finders did not offer, named by the model in the article's own words.

The model chooses among candidates, but the finders cannot know every way news names a party: a
group ("Chinese investors"), a body named by common nouns ("a state bank of China"), a government.
A prompt of the quote method lets the model copy such a party's words from the article. The code
grounds each quote and never trusts it:

- it must stand in the event's own sentences, letter for letter apart from case and spacing;
- a quote most of which is a candidate's mention is that candidate (the candidate's base form
  and English name are used);
- otherwise it becomes a candidate of its own, read by the same code as the finders' candidates:
  the gazetteer for places and bodies, the lexicon's company and government words, the generic
  group reader for groups, the person-name reader for a name in capitals; its country is the side
  the model put it on.

Nothing else is taken from the model's words: a quote that is not in the event's sentences is
dropped, and said so in the record's provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.analyse import Analysis, Candidate, Span
from pipeline.analyse.groups import english_name as group_english
from pipeline.analyse.names import english_cyrillic, gazetteer, latin
from pipeline.core import vocab
from pipeline.core.lexicon import has_stem, lexicon

QUOTE_ID_BASE = 10_000  # quoted candidates are numbered from here, apart from the finders' ids
MIN_QUOTE = 3
MAX_QUOTE = 120
SAME_SHARE = 0.6  # a candidate's mention covering this share of a quote makes the quote that candidate
_TRIM = " \t\n\"'«»“”„‘’.,;:()[]—–-"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYR = vocab.regex("quotes", "cyrillic")
_CAP_WORD = vocab.regex("quotes", "capitalised_word")


@dataclass(frozen=True)
class Grounded:
    candidate: Candidate | None  # None: not grounded
    reason: str


def _normalise(s: str) -> str:
    return re.sub(r"\s+", " ", s).lower()


def _locate(quote: str, analysis: Analysis, sentences: list[int]) -> tuple[int, int, int] | None:
    """Where the quote stands in one of the sentences: (start, end, sentence), case and spacing aside."""
    q = _normalise(quote)
    for s in analysis.sentences:
        if s.n not in sentences:
            continue
        # the same length after lower(): offsets carry over (spacing runs are matched below)
        words = [re.escape(w) for w in q.split(" ")]
        m = re.search(r"\s+".join(words), s.text, re.IGNORECASE)
        if m:
            return s.start + m.start(), s.start + m.end(), s.n
    return None


def kind_and_english(phrase: str, side: str) -> tuple[str, str, str | None]:
    """What a quoted phrase names, its English name, and the country it settles (if any)."""
    lex = lexicon()
    place = gazetteer().lookup(phrase)
    if place is not None:
        kind = {"country": "government"}.get(place.kind, place.kind)
        return kind, place.en, place.country
    group = group_english(phrase) if side == "cn" else None
    if group is not None:
        return "group", group, None
    if has_stem(lex["government_words"], phrase):
        kind = "government"
    elif has_stem(lex["company_words"], phrase) or any(phrase.endswith(s) for s in lex["han_company_suffixes"]):
        kind = "company"
    elif _HAN.search(phrase):
        kind = "person" if 2 <= len(phrase) <= 4 and phrase[0] in lex["han_surnames"] else "organization"
    elif 2 <= len(words := phrase.split()) <= 4 and all(_CAP_WORD.match(w) for w in words) \
            and not has_stem(lex["title_words"], phrase):
        kind = "person"
    else:
        kind = "organization"
    if _CYR.search(phrase):
        en = english_cyrillic(phrase) if kind == "person" else latin(phrase)
    elif _HAN.search(phrase):
        en = latin(phrase, person=kind == "person")
    else:
        en = vocab.regex("quotes", "english_article").sub("", phrase)
    return kind, en, None


def ground_quote(quote: str, side: str, sentences: list[int], analysis: Analysis, new_id: int) -> Grounded:
    """The candidate a quoted party stands for, or why it stands for none."""
    q = quote.strip(_TRIM)
    if not (MIN_QUOTE <= len(q) <= MAX_QUOTE):
        return Grounded(None, f"quote {quote[:60]!r}: not a name ({len(q)} characters)")
    at = _locate(q, analysis, sentences)
    if at is None:
        return Grounded(None, f"quote {quote[:60]!r}: not in the event's sentences {sentences}")
    start, end, n = at
    text = analysis.article.text
    for c in analysis.candidates:
        # the quote names the candidate when its mention makes most of the quote; a longer phrase
        # that only holds a place ("firms from <city>") is a party of its own
        if c.kind != "amount" and any(min(sp.end, end) - max(sp.start, start) >= SAME_SHARE * (end - start)
                                      for sp in c.spans):
            return Grounded(c, f"quote {q[:60]!r} is candidate #{c.id}")
    written = text[start:end]
    kind, en, country = kind_and_english(written, side)
    own = {"kz": "KZ", "cn": "CN"}[side]
    c = Candidate(new_id, kind, written, en[:200], country or own, (Span(start, end, n),))
    return Grounded(c, f"quote {written[:60]!r} grounded in sentence {n} as a {kind} ({en[:60]})")
