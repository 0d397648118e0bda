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

from pipeline.analyse.finders import Found, latin_names, person_country
from pipeline.analyse.general_bodies import PLACE_BODY_FINDER
from pipeline.analyse.general_han import company_english
from pipeline.analyse.names import han_to_latin
from pipeline.analyse.tidy_han import foreign_han_name, tidy_han
from pipeline.analyse.tidy_names import tidy_names
from pipeline.analyse.tidy_people import tidy_people
from pipeline.core import vocab
from pipeline.ingest.articles import Article


def tidy(found: list[Found], article: Article, whole_words: bool = False) -> list[Found]:
    """Every tidying step of finder set 3, in order, over all finders' spans (``whole_words``: set 6's
    reading of place names, ``tidy_names``)."""
    return tidy_people(tidy_names(found, article, whole_words), article)


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


def tidy_set4(found: list[Found], article: Article, whole_words: bool = False) -> list[Found]:
    """Finder set 4's tidying: set 3's, then foreign names written in Chinese characters
    (``tidy_han``) and Chinese names' left edges."""
    return han_left_edge(tidy_han(tidy(found, article, whole_words), article), article)


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


def tidy_set5(found: list[Found], article: Article, whole_words: bool = False) -> list[Found]:
    """Finder set 5's tidying: set 4's, then the side a country adjective before a company gives."""
    return side_from_words_before(tidy_set4(found, article, whole_words), article)



_NAMED = ("company", "organization", "government")
_LATIN_WORD = re.compile(r"[A-Za-z]")


def two_names_across_and(found: list[Found], article: Article) -> list[Found]:
    """A company's or body's span that runs across "and" into a name opening with a country ("X and
    China's Y Corporation", "Министерство ... РК и Китайская ...") holds two names, of two sides: the
    span is dropped. Where the two parts are in Latin letters, each part is read again on its own
    (``latin_names``), unless another finder already spans it; in other scripts the other finders'
    spans stand."""
    text = article.text
    conj = vocab.regex("tidy_names", "conjunctions")
    country_at = {f.start for f in found if f.kind == "country"}
    spans = {(f.start, f.end) for f in found if f.kind != "country"}
    out: list[Found] = []
    for f in found:
        cut = next((c for c in conj.finditer(text, f.start, f.end)
                    if c.start() > f.start and c.end() < f.end and c.end() in country_at), None) if f.kind in _NAMED else None
        if cut is None:
            out.append(f)
            continue
        for lo, hi in ((f.start, cut.start()), (cut.end(), f.end)):
            part = text[lo:hi]
            if not _LATIN_WORD.search(part):
                continue
            for g in latin_names(part, article.language == "en"):
                g = replace(g, start=g.start + lo, end=g.end + lo)
                if (g.start, g.end) not in spans and not _is_country_only(g, found):
                    out.append(g)
    return out


def _is_country_only(g: Found, found: list[Found]) -> bool:
    return any(f.kind == "country" and f.start == g.start and f.end >= g.end for f in found)


_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
_SYLLABLES = re.compile(r"^(?:[A-Z][a-z]{0,5} )+[A-Z][a-z]{0,5}$")  # "Ri Sheng Nong Ye Ji Tuan": pinyin syllable by syllable


def han_firm_names(found: list[Found], article: Article) -> list[Found]:
    """A Chinese firm's name read by set 1 has its English in pinyin syllable by syllable ("Zhong Guo
    Ri Sheng Nong Ye Ji Tuan"); it takes the English the Chinese reader gives its words ("China Risheng
    Agriculture Group"). A firm named once with its country before it ("中国日升农业集团") and once
    without ("日升农业集团") is one firm: both take the fuller name's English."""
    places = [f for f in found if f.kind in ("region", "city", "country")]
    out = []
    for f in found:
        if f.kind in ("company", "organization") and _HAN_CHAR.search(f.name) and _SYLLABLES.match(f.en):
            en = company_english(f.name, [p for p in places if f.start <= p.start < f.end])
            if en:
                f = replace(f, en=en)
        out.append(f)
    prefixes = vocab.words("tidy_names", "han_country_before_firm")
    fuller = {f.name[len(p):]: f for f in out if f.kind == "company" and _HAN_CHAR.search(f.name)
              for p in prefixes if f.name.startswith(p) and len(f.name) - len(p) >= 4}
    return [replace(f, en=fuller[f.name].en, country=f.country or fuller[f.name].country)
            if f.kind == "company" and f.name in fuller else f for f in out]


_DASHES = "-\u2010\u2011\uff0d"


def han_foreign_names(found: list[Found], article: Article) -> list[Found]:
    """A foreign name in Chinese characters ("名·姓") ends before a word that follows a name ("进行",
    "表示", ...) that the reader ran into; a given name joined to it by a dash ("叶尔兰-阿斯哈尔·努尔别科夫")
    is the name's own first part, not a person of its own."""
    after = sorted(vocab.words("tidy_names", "han_words_after_a_name"), key=len, reverse=True)
    text = article.text
    person_ending = {f.end: f for f in found if f.kind == "person" and _HAN_CHAR.search(f.name)}
    out: list[Found] = []
    joined: set[int] = set()
    for f in found:
        if f.kind == "person" and "·" in f.name and _HAN_CHAR.search(f.name):
            start, name = f.start, f.name
            cut = next((w for w in after if name.endswith(w) and len(name.rpartition("·")[2]) - len(w) >= 2), None)
            if cut:
                name = name[: -len(cut)]
            first = person_ending.get(start - 1) if start > 0 and text[start - 1] in _DASHES else None
            en = han_to_latin(name, person=True)
            if first is not None and "·" not in first.name:
                joined.add(id(first))
                en = han_to_latin(f"{first.name}·{name}", person=True).replace(" ", "-", 1)
                start, name = first.start, text[first.start:start] + name
            if (start, name) != (f.start, f.name):
                f = replace(f, start=start, end=start + len(name), name=name, en=en)
        out.append(f)
    return [f for f in out if id(f) not in joined]


def kazakh_head_before_place(f: Found, article: Article) -> bool:
    """Set 1's reading of a Kazakh body as its head word with a place after it ("басқармасының
    басшысы ... Қытайдың"): Kazakh puts a body's place before its head word, so this joins two phrases."""
    heads = tuple(vocab.entry("general_bodies", "kk_place_bodies")["heads"])
    return article.language == "kk" and f.finder == "body" and f.name.casefold().startswith(heads)


def bodies_of_a_place(found: list[Found], article: Article) -> list[Found]:
    """Set 6 reads a body with its place whole (``general_bodies.kazakh_bodies``, ``russian_bodies``).
    Where it has, another finder's reading of the same body without its place (the same first word,
    ending sooner) or of the very same words is dropped. And in Kazakh a body's place stands before
    its head word ("Ақтөбе облысының әкімдігі"): set 1's reading of a place after the head word
    ("басқармасының басшысы ... Қытайдың") joins two phrases, and is dropped in a Kazakh article."""
    starts = {f.start: f.end for f in found if f.finder == PLACE_BODY_FINDER}
    out = []
    for f in found:
        if f.finder != PLACE_BODY_FINDER and f.kind in _NAMED and f.start in starts and f.end <= starts[f.start]:
            continue
        if kazakh_head_before_place(f, article):
            continue
        out.append(f)
    return out


def tidy_set6(found: list[Found], article: Article) -> list[Found]:
    """Finder set 6's tidying: two names joined by "and" before a country parted, then set 5's (set 4's,
    and the side a country adjective before a company gives), a Latin name read as a place's only
    where each word is spelled as one; then Chinese firms' English by their words, one firm with and
    without its country before it."""
    found = bodies_of_a_place(two_names_across_and(found, article), article)
    return han_foreign_names(han_firm_names(tidy_set5(found, article, whole_words=True),
                                            article), article)


def han_time_not_names(found: list[Found], article: Article) -> list[Found]:
    """A Chinese "name" that opens with a word of time ("周一", "星期", "今年") is the time word and
    the verb after it, read as a surname and a given name: not a person."""
    words = tuple(vocab.words("tidy_names", "han_time_words"))
    return [f for f in found if not (f.kind == "person" and _HAN_CHAR.search(f.name) and f.name.startswith(words))]


def tidy_set7(found: list[Found], article: Article) -> list[Found]:
    """Finder set 7's tidying: set 6's, then a time word read as a Chinese name dropped."""
    return han_time_not_names(tidy_set6(found, article), article)


FIRM_LEAST = 4  # what is left of a firm's name after the reporting words is still a name


def han_firms_without_reporting(found: list[Found], article: Article) -> list[Found]:
    """A Chinese firm's name read with the reporting words before it ("记者从<firm>获悉": the reporter
    learned from the firm) starts after them (``data/tidy_han.json`` "set8_reporting_before_firm",
    longest first)."""
    words = vocab.words("tidy_han", "set8_reporting_before_firm")
    out = []
    for f in found:
        if f.kind in ("company", "organization") and _HAN_CHAR.match(f.name[:1] or "x"):
            cut = next((w for w in words if f.name.startswith(w) and len(f.name) - len(w) >= FIRM_LEAST), None)
            if cut:
                name = f.name[len(cut):]
                f = replace(f, start=f.start + len(cut), name=name, en=han_to_latin(name))
        out.append(f)
    return out


def kazakh_names_without_place(found: list[Found], article: Article) -> list[Found]:
    """In a Kazakh text, a person's name read with a place after it ("<given name> <surname> Ақордада",
    "... Астанада": the place in the locative, where the person was) ends before the place: a name's
    third word or later in a locative ending is not part of it. A body read as its head word with a
    place after it ("басқарма төрағасы ... China") is dropped (``kazakh_head_before_place``, as set 6's
    ``bodies_of_a_place`` drops it)."""
    if article.language != "kk":
        return found
    locative = vocab.regex("tidy_names", "kk_locative_word")
    out = []
    for f in found:
        if kazakh_head_before_place(f, article):
            continue
        words = f.name.split(" ")
        if f.kind == "person" and len(words) >= 3 and locative.search(words[-1]) and words[-1][:1].isupper():
            name = " ".join(words[:-1])
            f = replace(f, end=f.start + len(name), name=name, en=" ".join(f.en.split(" ")[:-1]) or f.en)
        out.append(f)
    return out


def tidy_set8(found: list[Found], article: Article) -> list[Found]:
    """Finder set 8's tidying: set 5's; then a reporting phrase before a Chinese firm's name cut
    (``han_firms_without_reporting``); then a Kazakh person's name ends before a place in the
    locative, and a Kazakh body's head word with a place after it is dropped
    (``kazakh_names_without_place``)."""
    return kazakh_names_without_place(han_firms_without_reporting(tidy_set5(found, article), article), article)
