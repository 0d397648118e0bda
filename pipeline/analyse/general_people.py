"""People (and organisations) named in Russian text, read by a general Russian NER model
(slovnet), and English names glued to the title phrase before them.

The model (slovnet's news NER with navec embeddings) ships inside natasha's wheel; it is loaded
from there directly, without importing natasha (whose morphology needs pymorphy2, broken on
Python 3.11). A PER span is trimmed to its name words (a title, a word the dictionary knows as a
common word, a place are not a name's); a surname alone is kept when it reads as one. An ORG span
of two words or more is kept with its head in the nominative. Kazakh text is not read: the model,
trained on Russian news, takes Kazakh titles and case forms for names.
"""

from __future__ import annotations

import importlib.util
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.analyse.finders import (
    Found,
    _common_word,
    _company_words,
    _is_country_word,
    _morph,
    _place_word,
    _stop,
    _title,
    _title_stems,
    latin_names,
    person_base,
    person_country,
)
from pipeline.analyse.names import gazetteer, latin
from pipeline.core import vocab
from pipeline.ingest.articles import Article

FINDER = "people-ner"
_EMB = "emb/navec_news_v1_1B_250K_300d_100q.tar"
_NER = "model/slovnet_ner_news_v1.tar"
_CHUNK = 3000  # characters the model reads at once (a paragraph, or a long one cut at a sentence)
LOAD_SECONDS: list[float] = []


@lru_cache(maxsize=1)
def _model() -> Any:
    """slovnet's NER with navec, from natasha's package data. All three are dependencies of the
    project: a machine without them would read differently, so their absence is an error."""
    spec = importlib.util.find_spec("natasha")  # located, not imported
    if spec is None or spec.origin is None:
        raise ImportError("finder set 2 needs natasha's packaged NER model: pip install natasha==1.6.0")
    data = Path(spec.origin).parent / "data"
    from navec import Navec  # here: the model loads only when a Russian article is read
    from slovnet import NER  # here: as above
    t = time.perf_counter()
    model = NER.load(str(data / _NER)).navec(Navec.load(str(data / _EMB)))
    LOAD_SECONDS.append(time.perf_counter() - t)
    return model


def _chunks(text: str) -> list[tuple[int, str]]:
    """The text in pieces of at most ``_CHUNK`` characters, cut at line ends, else sentence ends."""
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\n]+", text):
        at, piece = m.start(), m.group()
        while len(piece) > _CHUNK:
            cut = max(piece.rfind(". ", 0, _CHUNK), piece.rfind(" ", 0, _CHUNK))
            cut = cut + 1 if cut > 0 else _CHUNK
            out.append((at, piece[:cut]))
            at, piece = at + cut, piece[cut:]
        if piece.strip():
            out.append((at, piece))
    return out


def ner_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, type) of the model's PER / ORG / LOC spans over ``text``."""
    model = _model()
    chunks = _chunks(text)
    out: list[tuple[int, int, str]] = []
    for (at, _), markup in zip(chunks, model.map([c for _, c in chunks]), strict=True):
        out.extend((at + s.start, at + s.stop, s.type) for s in markup.spans)
    return out


def _not_name(word: str) -> bool:
    low = word.casefold().strip(".,")
    if not word[:1].isupper() or low in _stop() or any(low.startswith(t) for t in _title_stems()):
        return True
    if gazetteer().lookup(word) is not None or _is_country_word(word):
        return True
    return _common_word(word)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name words of a PER span: the run after the last word that is not a name's."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\s\u00a0]+", text[start:end])]
    keep: list[tuple[int, int]] = []
    for a, b in words:
        if _not_name(text[a:b]):
            keep = []  # a title before the name, or between two: the name after it
            continue
        keep.append((a, b))
    if not keep:
        return None
    return keep[0][0], keep[-1][1]


def _surname(word: str) -> bool:
    """A word alone is a person's when it reads as a surname ("Петрову"), not only a capitalised word."""
    m = _morph()
    low = word.casefold()
    if m is not None and any("Surn" in p.tag for p in m.parse(low)[:3]):
        return True
    return any(vocab.regex("finders", k).search(low) for k in ("ru_nominative_surname", "ru_oblique_surname"))


def _organization(text: str, start: int, end: int) -> Found | None:
    """An ORG span of two words or more (or a quoted name), not a title's ("Аким района")."""
    w = text[start:end]
    if w.count("«") > w.count("»") and text[end:end + 1] == "»":
        end += 1
        w = text[start:end]
    first = w.split()[0].casefold()
    if len(w.split()) < 2 and "«" not in w or any(first.startswith(t) for t in _title_stems()):
        return None
    base = _nominative_phrase(w)
    return Found(start, end, "organization", base, latin(base), None, FINDER)


def _nominative_phrase(phrase: str) -> str:
    """A Russian noun phrase's head noun and the adjectives before it in the nominative, the rest
    kept ("Регионального центра развития" -> "Региональный центр развития"); as written when the
    dictionary cannot tell."""
    m = _morph()
    words = phrase.split(" ")
    if m is None:
        return phrase
    for i, w in enumerate(words):
        nouns = [p for p in m.parse(w.casefold()) if p.tag.POS == "NOUN" and p.tag.case]
        if not nouns:
            if i >= 3 or not any(p.tag.POS in ("ADJF", "PRTF") for p in m.parse(w.casefold())):
                return phrase
            continue
        head = nouns[0]
        if head.tag.case == "nomn":
            return phrase
        out = []
        for v in words[:i]:
            adj = next((p for p in m.parse(v.casefold()) if p.tag.POS in ("ADJF", "PRTF") and p.tag.case == head.tag.case), None)
            inflected = adj.inflect({"nomn", head.tag.number or "sing"} | ({head.tag.gender} if head.tag.gender and head.tag.number != "plur" else set())) if adj else None
            if inflected is None:
                return phrase
            out.append(_like(inflected.word, v))
        noun = head.inflect({"nomn", head.tag.number or "sing"})
        if noun is None:
            return phrase
        return " ".join([*out, _like(noun.word, w), *words[i + 1:]])
    return phrase


def _like(new: str, old: str) -> str:
    """``new`` written with ``old``'s capitals."""
    if old.isupper():
        return new.upper()
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def people(article: Article) -> list[Found]:
    """Persons (and organisations) the NER model finds in a Russian article (Kazakh is left to set 1)."""
    if article.language != "ru":
        return []
    text = article.text
    out = []
    for start, end, kind in ner_spans(text):
        if kind == "ORG":
            if (org := _organization(text, start, end)) is not None:
                out.append(org)
            continue
        if kind != "PER":
            continue
        cut = _trim(text, start, end)
        if cut is None:
            continue
        a, b = cut
        written = text[a:b]
        n = len(written.split())
        if n > 3 or written.isupper() or n == 1 and not _surname(written):
            continue
        base, en = person_base(written.replace("\u00a0", " "), text, True)
        out.append(Found(a, b, "person", base, en, None, FINDER))
    return out


_PERSON_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?")


def _lead_word(word: str) -> bool:
    """A word that ends a title's phrase before a name: a country, a place, a title, a body's word."""
    low = word.casefold().strip(".,")
    return _is_country_word(word) or _place_word(word) or low in _company_words() or low in _stop() \
        or any(low.startswith(t) for t in _title_stems()) or word.isupper() or low in _title_phrase_nouns() \
        or re.search(r"[a-z][A-Z]", word) is not None  # a brand's inner capital ("AcmeCorp")


@lru_cache(maxsize=1)
def _title_phrase_nouns() -> frozenset[str]:
    return frozenset(vocab.words("general_people", "title_phrase_nouns"))


def english_people(text: str) -> list[Found]:
    """A person's name that English glues to the title phrase before it ("Ambassador to
    Kazakhstan Zhang Wei", "Chairman of the Board of AcmeCorp Gao Feiyu"): set 1 reads the run
    as one name. The name is the run's last two or three name-like words after a word that is
    not a name's; the span starts a word earlier than set 1's, so that it wins the overlap."""
    out = []
    for f in latin_names(text, True):
        words = f.name.split()
        if f.kind not in ("person", "organization") or len(words) < 3:
            continue
        n = 0
        while n < min(3, len(words) - 1) and _PERSON_WORD.fullmatch(words[-1 - n]) and not _lead_word(words[-1 - n]):
            n += 1
        lead = words[-1 - n] if n < len(words) else ""
        if n < 2 or not lead[:1].isupper() or not _lead_word(lead):
            continue
        name = " ".join(words[-n:])
        a = f.end - len(name)
        if text[a:f.end] != name:
            continue
        title = _title(text, a, f.end)
        if title is None:
            continue  # a title before the name is the sign of a person, not of a firm's name
        # one word more than set 1's span ("to", "of"), or the space before it when that word is a name's
        prev = re.search(r"(?<!\S)[a-z]+\s+$", text[max(0, f.start - 20):f.start])
        start = f.start - len(prev.group()) if prev else max(0, f.start - 1)
        out.append(Found(start, f.end, "person", name, name, person_country(name, name, title), FINDER))
    return out
