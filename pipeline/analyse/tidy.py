"""Finder set 3: set 2's readers, then a tidying pass over every finder's spans before they are
resolved into candidates.

Sets 1 and 2 leave some spans that name nothing a news article's reader would call a party: a
legal form or a province alone cut off a company's name, a ministry word joined to the next
country's adjective across "and", office words read as a person's name; and some names keep a
case ending or lose a syllable. Each fix here is a general one, from how the languages write
names, never from a list of any article's parties. A prompt whose config says ``"finders": 3``
reads with it; sets 1 and 2 never change (their recorded answers mean their candidates).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.analyse.finders import Found, person_country
from pipeline.analyse.tidy_han import foreign_han_name, tidy_han
from pipeline.analyse.tidy_names import tidy_names
from pipeline.analyse.tidy_people import tidy_people
from pipeline.core import vocab
from pipeline.ingest.articles import Article


def tidy(found: list[Found], article: Article) -> list[Found]:
    """Every tidying step of finder set 3, in order, over all finders' spans."""
    return tidy_people(tidy_names(found, article), article)


_HAN_BODY = ("company", "organization", "government")


def han_left_edge(found: list[Found], article: Article) -> list[Found]:
    """Of two readings of one Chinese name of a company or body, one beginning with a word that joins
    it to the text before ("据", "与", "在", ...: general_han's boundary words) and one beginning just
    after that word, the second is the name: the first is dropped."""
    edges = vocab.words("general_han", "boundary_words")
    spans = {(f.start, f.end, f.kind) for f in found if f.kind in _HAN_BODY}
    out = []
    for f in found:
        if f.kind in _HAN_BODY and any(
                f.name.startswith(e) and (f.start + len(e), f.end, f.kind) in spans for e in edges):
            continue
        out.append(f)
    return out


def tidy_set4(found: list[Found], article: Article) -> list[Found]:
    """Finder set 4's tidying: set 3's, then foreign names written in Chinese characters
    (``tidy_han``) and Chinese names' left edges."""
    return han_left_edge(tidy_han(tidy(found, article), article), article)


def side_of_person_set4(name: str, en: str, title: str | None) -> str | None:
    """Finder set 4's side of a person no span gave one: ``person_country``'s, except that a foreign
    name written in Chinese characters (``tidy_han.foreign_han_name``) is no Chinese name."""
    return None if foreign_han_name(name) else person_country(name, en, title)


_BODIES = ("company", "organization", "group")
_WORDS_BEFORE = 3  # the adjective, and up to two words (a company word, a place) between it and the name
_WORD = re.compile(r"\w[\w'\u2019-]*")


def side_from_words_before(found: list[Found], article: Article) -> list[Found]:
    """A company or group whose side no finder settled takes the side of a country adjective among
    the three words before it ("a Chinese company X", "қытайлық X компаниясы", in any letter case).
    Set 1's cue reads only a capitalised Kazakh adjective, which Kazakh writes in lower case
    mid-sentence."""
    table = vocab.entry("tidy_names", "side_words_before")
    stems = [(country, w) for country in ("CN", "KZ") for w in table[country]]
    out = []
    for f in found:
        if f.kind in _BODIES and f.country is None:
            before = _WORD.findall(article.text[max(0, f.start - 60):f.start])[-_WORDS_BEFORE:]
            side = next((country for word in reversed(before) for country, w in stems
                         if word.lower().startswith(w) or (w[0] > "\u2e80" and w in word)), None)
            if side is not None:
                f = replace(f, country=side)
        out.append(f)
    return out


def tidy_set5(found: list[Found], article: Article) -> list[Found]:
    """Finder set 5's tidying: set 4's, then the side a country adjective before a company gives."""
    return side_from_words_before(tidy_set4(found, article), article)

