"""A general reader of names in Chinese text: organisations by how Chinese forms their names,
foreign people written in transliteration characters beside a title, Chinese people with their
title after the name, and groups of business people a meeting was with.

* An organisation is a run of words ending in a legal form or a body word (data/general_han.json:
  company, organisation and government suffixes, chained: "...集团有限公司"). Its left edge is the
  first word boundary going back: a preposition, conjunction, pronoun, numeral or common verb as the
  word segmenter (jieba, with its own dictionary) tags it, a listed boundary word, or punctuation.
  A name that is only generic words before its suffix ("中国企业", "该公司") is not a name.
* A foreign person written in transliteration characters (a general class of the characters
  Chinese uses for foreign sounds) next to a title: "总统XXXX" or "XXXX总统".
* A Chinese person (surname + one or two characters, a segmenter's person word) just before a title.
* A group (an owner such as China or Kazakhstan, or a place the gazetteer found, then a business
  group noun) counted ("20名...") or in the "with" position, or before a meeting verb.

The segmenter is deterministic (its dictionary and HMM are fixed); it is loaded once, quietly.
"""

from __future__ import annotations

import bisect
import logging
import re
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from pipeline.analyse.finders import Found
from pipeline.analyse.finders import groups as set1_groups
from pipeline.analyse.names import han_to_latin
from pipeline.core import vocab
from pipeline.core.lexicon import lexicon
from pipeline.ingest.articles import Article

_F = "general_han"
_DASHES = ("-", "\u2014", "\uff0d")  # a dash inside a name joins its parts
_PROPER = {"ns", "nr", "nrt", "nrfg", "nz", "nt", "j", "eng", "nx"}  # the segmenter's proper-name flags
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_OR_LATIN = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9&\-\u2014\uff0d]+$")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba  # loaded only for a Chinese text: the dictionary takes a second to read
    import jieba.posseg  # the dictionary's part-of-speech tags

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return jieba.posseg.POSTokenizer(tok)


def segment(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, part-of-speech flag) for every word of ``text``, exact offsets. The words
    are the segmenter's (dictionary and HMM); a word's flag is its dictionary tag, and a word the
    dictionary lacks is a name-like "nz" ("nr" for a surname and one or two characters), "eng" in
    Latin letters, "m" in digits, "x" otherwise (the full tagger is twenty times slower). The last
    few texts' words are kept: set 2's and set 9's readers segment the same article."""
    return list(_segmented(text))


@lru_cache(maxsize=4)
def _segmented(text: str) -> tuple[tuple[int, int, str, str], ...]:
    pos = _tokenizer()
    tags = pos.word_tag_tab
    surnames = set(lexicon()["han_surnames"])
    out = []
    at = 0
    for word in pos.tokenizer.cut(text):
        i = text.find(word, at)
        if i < 0:
            continue
        flag = tags.get(word)
        if flag is None:
            if _HAN.match(word):
                flag = "nr" if 2 <= len(word) <= 3 and word[:1] in surnames else "nz"
            elif re.match(r"[A-Za-z]", word):
                flag = "eng"
            elif word.isdigit():
                flag = "m"
            else:
                flag = "x"
        out.append((i, i + len(word), word, flag))
        at = i + len(word)
    return tuple(out)


def _near(found_places: list[Found]) -> Any:
    """A look-up of the places overlapping or inside a span, in log time (places are short)."""
    ordered = sorted(found_places, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    longest = max((p.end - p.start for p in ordered), default=0)

    def within(s: int, e: int) -> list[Found]:
        lo = bisect.bisect_left(starts, s - longest)
        hi = bisect.bisect_left(starts, e)
        return [p for p in ordered[lo:hi] if p.start < e and s < p.end]
    return within


def _d(name: str) -> Any:
    return vocab.entry("general_han", name)


@lru_cache(maxsize=1)
def _suffixes() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for kind, key in (("company", "company_suffixes"), ("organization", "organization_suffixes"),
                      ("government", "government_suffixes")):
        for w, en in _d(key).items():
            out[w] = (kind, en)
    return out


@lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern[str]:
    alt = "|".join(re.escape(s) for s in sorted(_suffixes(), key=len, reverse=True))
    return re.compile(rf"(?:{alt})+")


def _english(words: list[str], suffix_words: list[str], places: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
    """English for a name's body words and its suffix chain; a place the gazetteer found in the
    body is put by its English name (``places``: the place as written, its English)."""
    table: dict[str, str] = _d("word_en")
    sufs = _suffixes()
    body = "".join(words)
    parts = []
    for written, en in places:
        if body.startswith(written):
            parts.append(en)
            body = body[len(written):]
    rest = len("".join(words)) - len(body)
    while words and rest > 0:  # the words the places took
        if len(words[0]) <= rest:
            rest -= len(words[0])
            words = words[1:]
        else:
            words = [words[0][rest:], *words[1:]]
            rest = 0
    parts += [table.get(w) or han_to_latin(w).replace(" ", "").capitalize() if _HAN.search(w) else w for w in words]
    en_suf = []
    for w in suffix_words:
        e = sufs[w][1]
        if e not in en_suf:
            en_suf.append(e)
    if en_suf[-2:] == ["Group", "Co., Ltd."]:
        en_suf = en_suf[:-1] + ["Co., Ltd."]
    name = " ".join(p for p in parts if p)
    tail = " ".join(en_suf)
    return f"{name} {tail}".strip() if name else tail


def _split_suffix(chain: str) -> list[str]:
    sufs = sorted(_suffixes(), key=len, reverse=True)
    out = []
    while chain:
        s = next(s for s in sufs if chain.startswith(s))
        out.append(s)
        chain = chain[len(s):]
    return out


def organisations(text: str, tokens: list[tuple[int, int, str, str]], found_places: list[Found]) -> list[Found]:
    boundary = set(_d("boundary_words"))
    stop_flags = set(_d("stop_flags"))
    generic = set(_d("generic_owner"))
    generic_suf = set(_d("generic_company_suffixes"))
    titles = set(_d("title_words")) | set(lexicon()["han_title_words"])
    starts = [t[0] for t in tokens]
    ends = {t[1] for t in tokens}
    place_names = {p.name for p in found_places}
    near = _near(found_places)
    out = []
    for m in _suffix_re().finditer(text):
        if m.end() not in ends:
            continue  # the suffix runs on into a longer word: "...公司法"
        chain = _split_suffix(m.group())
        # the token holding the suffix's first character: the words before it are the name's body
        i = bisect.bisect_right(starts, m.start()) - 1
        if i < 0:
            continue
        left = m.start()
        body: list[str] = []
        if tokens[i][0] < m.start():  # the suffix starts inside a word: "...总公司", "该公司"
            piece = text[tokens[i][0]:m.start()]
            if piece in boundary or piece in generic or not _HAN_OR_LATIN.match(piece) or tokens[i][3] not in _PROPER:
                continue  # a common word that holds a suffix ("格局" holds a bureau's word) is no name
            body, left = [piece], tokens[i][0]
        j = i - 1
        chars = m.start() - left
        while j >= 0:
            s, e, w, flag = tokens[j]
            dash = w in _DASHES and j > 0 and _HAN.match(text[s - 1:s] or " ") is not None
            if e != left or not _HAN_OR_LATIN.match(w) or w in boundary or w in titles or (flag in stop_flags and not dash) \
                    or (flag.startswith("v") and flag != "vn" and w not in _d("word_en")) or chars + len(w) > 20:
                break
            body.insert(0, w)
            chars += len(w)
            left = s
            j -= 1
        while body and body[0] in _DASHES:
            left += len(body.pop(0))
        if not body:
            continue
        if all(w in generic or w in place_names for w in body) and chain[-1] in generic_suf:
            continue  # "中国公司", "当地企业": a kind of firm, not a name
        name = text[left:m.end()]
        if len(name) < 4:
            continue
        kind = _suffixes()[chain[-1]][0]
        inside = [p for p in near(left, m.end()) if left <= p.start and p.end <= m.end()]
        if vocab.regex("finders", "kz_in_name").search(name) or any(p.country == "KZ" for p in inside):
            country: str | None = "KZ"
        elif name.startswith(vocab.text("finders", "han_kz_initial")):
            country = None
        elif kind == "company" or any(p.country == "CN" for p in inside):
            country = "CN" if _HAN.search("".join(body)) else None  # a firm named in Latin letters: either side
        else:
            country = None
        named = [(p.name, p.en.removesuffix(" Province") if kind == "company" else p.en)
                 for p in sorted(inside, key=lambda p: p.start)]
        out.append(Found(left, m.end(), kind, name, _english(body, chain, named), country, _F))
    return out


def company_english(name: str, found_places: list[Found]) -> str | None:
    """The English of a Chinese firm's or body's name as this reader writes it (finder set 6): its
    words by the word table, places by the gazetteer, other words in pinyin run together
    ("日升农业集团" -> "Risheng Agriculture Group"); None when the name ends in no suffix."""
    m = _suffix_re().search(name)
    while m is not None and m.end() != len(name):
        m = _suffix_re().search(name, m.start() + 1)
    if m is None or m.start() == 0:
        return None
    body = [w for _, _, w, _ in segment(name[:m.start()])]
    named = [(p.name, p.en.removesuffix(" Province")) for p in sorted(found_places, key=lambda p: p.start)
             if p.kind in ("region", "city") and name.startswith(p.name)]
    return _english(body, _split_suffix(m.group()), named)


@lru_cache(maxsize=1)
def _title_re() -> re.Pattern[str]:
    titles = set(_d("title_words")) | set(lexicon()["han_title_words"])
    titles -= set(_d("titles_not_beside_names"))  # words of a role, not titles a name stands beside
    return re.compile("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)))


def foreign_people(text: str, found_places: list[Found]) -> list[Found]:
    """A name in transliteration characters straight before or after a title ("XXXX总统"), or of
    four characters or more before a word of speaking or after one of meeting ("XXXX表示")."""
    chars = _d("translit_chars")
    not_names = tuple(_d("translit_not"))
    run = re.compile(rf"[{chars}]{{3,8}}")
    run_back = re.compile(rf"[{chars}]{{3,8}}$")
    spans: list[tuple[int, int, int]] = []  # start, end, the shortest length taken
    for t in _title_re().finditer(text):
        m = run.match(text, t.end())
        if m:
            spans.append((m.start(), m.end(), 3))
        mb = run_back.search(text, max(0, t.start() - 8), t.start())
        if mb:
            spans.append((mb.start(), mb.end(), 3))
    for a in re.finditer(_d("translit_after"), text):
        mb = run_back.search(text, max(0, a.start() - 8), a.start())
        if mb:
            spans.append((mb.start(), mb.end(), 4))
    for b in re.finditer(_d("translit_before"), text):
        m = run.match(text, b.end())
        if m:
            spans.append((m.start(), m.end(), 4))
    near = _near(found_places)
    parts = {p for m in re.finditer(r"[\u4e00-\u9fff]+(?:·[\u4e00-\u9fff]+)+", text) for p in m.group().split("·")}
    out = []
    for s, e, least in spans:
        name = text[s:e]
        if any(p.startswith(name) or p.endswith(name) for p in parts):
            continue  # one part of a name written in full elsewhere ("Given·Surname")
        if len(name) < least or any(w in name for w in not_names) or text[e:e + 1] == "·" or text[s - 1:s] == "·":
            continue
        if near(s, e):
            continue
        en = "".join(lazy_pinyin(name)).capitalize()
        out.append(Found(s, e, "person", name, en, "KZ", _F))
    return out


def _han_name(word: str, flag: str, surnames: set[str], not_names: set[str]) -> bool:
    """A segmenter's person word that reads as a Chinese name: a surname and one or two characters."""
    return flag in ("nr", "nrfg") and 2 <= len(word) <= 3 and word[:1] in surnames and word[:2] not in not_names


def han_people(text: str, tokens: list[tuple[int, int, str, str]], more: bool = False) -> list[Found]:
    """A Chinese name (a surname and one or two characters, a person's word to the segmenter)
    straight before a title ("XXX主席") or a word of speaking ("XXX表示"). With ``more`` (finder set
    9), only the names whose surname is one of ``set9_more_surnames``."""
    surnames = set(_d("set9_more_surnames")) if more else set(lexicon()["han_surnames"])
    not_names = set(lexicon()["han_not_names"])
    title = _title_re()
    speech = re.compile(_d("translit_after"))
    out = []
    for s, e, w, flag in tokens:
        if not _han_name(w, flag, surnames, not_names):
            continue
        if not (title.match(text, e) or speech.match(text, e)):
            continue
        out.append(Found(s, e, "person", w, han_to_latin(w, person=True), "CN", _F))
    return out


def han_groups(text: str, found_places: list[Found], cue: re.Pattern[str] | None = None,
               more: bool = False) -> list[Found]:
    """A group named by its owner and noun ("中国企业家", "两国企业"), where a word just before or after
    it makes it a party; with ``cue`` (finder set 6), also wherever its sentence tells of an event or a
    project ("中国投资者近日考察了..."). With ``more`` (finder set 7), further nouns ("采购商",
    "供应商") and up to two words of what kind between the owner and the noun ("中国能源企业")."""
    owners: dict[str, list[Any]] = _d("group_owner")
    nouns: dict[str, str] = {**_d("group_nouns"), **(_d("more_group_nouns") if more else {})}
    kinds: dict[str, str] = _d("more_group_kinds") if more else {}
    kind_re = re.compile("|".join(re.escape(k) for k in sorted(kinds, key=len, reverse=True))) if kinds else None
    noun_re = re.compile("|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True)))
    before = re.compile(_d("group_before"))
    after = re.compile(_d("group_after"))
    count = re.compile(_d("group_count"))
    unit = re.compile(_d("group_unit"))
    heads: list[tuple[int, int, str | None, str, bool]] = []
    for o in sorted(owners, key=len, reverse=True):
        for m in re.finditer(re.escape(o), text):
            heads.append((m.start(), m.end(), owners[o][0], owners[o][1], True))
    for p in found_places:
        if p.kind != "country":
            heads.append((p.start, p.end, p.country, p.en, False))
    out = []
    taken = sorted((g.start, g.end) for g in set1_groups(text))  # set 1 already names these (the "with" position)
    taken_starts = [a for a, _ in taken]
    seen: set[int] = set()
    for s, e, country, en, owner in sorted(heads, key=lambda h: (h[0], -(h[1] - h[0]))):
        if s in seen:
            continue
        u = unit.match(text, e) if not owner else None  # the place's unit word the gazetteer left out
        e = u.end() if u else e
        c = count.match(text, e)  # "...七个政府部门负责人": a count between the owner and the noun
        at, kind_en = c.end() if c else e, list[str]()
        while kind_re is not None and len(kind_en) < 2 and (kw := kind_re.match(text, at)):
            at, kind_en = kw.end(), [*kind_en, kinds[kw.group()]]
        n = noun_re.match(text, at)
        if not n and kind_en:  # a kind word that opens the noun ("投资者"): the noun alone
            kind_en, n = [], noun_re.match(text, c.end() if c else e)
        if not n:
            continue
        ctx_b = text[max(0, s - 8):s]
        if not (before.search(ctx_b) or after.match(text, n.end()) or (cue is not None and _cued(text, s, n.end(), cue))):
            continue
        seen.add(s)
        k = bisect.bisect_left(taken_starts, n.end())
        if any(a < n.end() and s < b for a, b in taken[max(0, k - 3):k]):
            continue
        head, of, tail = nouns[n.group()].rpartition(" of ")  # "heads of enterprises": the kind goes after "of"
        noun_en = f"{head} of {' '.join([*kind_en, tail])}" if of else " ".join([*kind_en, tail])
        whole = f"{en} {noun_en}" if owner else f"{noun_en} of {en}"
        out.append(Found(s, n.end(), "group", text[s:n.end()], whole[:1].upper() + whole[1:], country, _F))
    return out


_CLAUSE_END = re.compile(r"[。！？!?\n]")


def _cued(text: str, start: int, end: int, cue: re.Pattern[str]) -> bool:
    """The sentence around ``start:end`` holds a word of ``cue``."""
    lo = max(0, start - 300)
    ends = list(_CLAUSE_END.finditer(text, lo, start))
    s = ends[-1].end() if ends else lo
    nxt = _CLAUSE_END.search(text, end, end + 300)
    return cue.search(text, s, nxt.start() if nxt else min(len(text), end + 300)) is not None


def acting_han_groups(article: Article, found_places: list[Found]) -> list[Found]:
    """Finder set 6: the Chinese groups whose sentence tells of an event or a project."""
    if len(_HAN.findall(article.text[:5000])) < 20:
        return []
    return han_groups(article.text, found_places, re.compile(_d("group_cue")))


def more_han_groups(article: Article, found_places: list[Found]) -> list[Found]:
    """Finder set 7: set 6's acting Chinese groups with the further nouns and words of what kind."""
    if len(_HAN.findall(article.text[:5000])) < 20:
        return []
    return han_groups(article.text, found_places, re.compile(_d("group_cue")), more=True)


def han_reader(article: Article, found_places: list[Found]) -> list[Found]:
    """The Chinese reader's spans over ``article`` (nothing for a text with no Han characters)."""
    text = article.text
    if len(_HAN.findall(text[:5000])) < 20:
        return []
    tokens = segment(text)
    return (organisations(text, tokens, found_places) + foreign_people(text, found_places)
            + han_people(text, tokens) + han_groups(text, found_places))


@lru_cache(maxsize=1)
def _title_before_re() -> re.Pattern[str]:
    return re.compile("(?:" + _title_re().pattern + ")$")


def han_people_after_title(text: str, tokens: list[tuple[int, int, str, str]]) -> list[Found]:
    """Finder set 9: a Chinese name (a segmenter's person word, a surname and one or two characters)
    straight after a title ("主席XXX", "总理XXX"), the way news names a country's leaders and
    officials. The surnames are the lexicon's and ``set9_more_surnames``'s."""
    surnames = set(lexicon()["han_surnames"]) | set(_d("set9_more_surnames"))
    not_names = set(lexicon()["han_not_names"])
    before = _title_before_re()
    out = []
    for s, e, w, flag in tokens:
        if not _han_name(w, flag, surnames, not_names):
            continue
        if not before.search(text, max(0, s - 8), s):
            continue
        out.append(Found(s, e, "person", w, han_to_latin(w, person=True), "CN", _F))
    return out


def dictionary_bodies(text: str, tokens: list[tuple[int, int, str, str]]) -> list[Found]:
    """Finder set 9: a body the segmenter's dictionary knows as one organisation word ("nt"), opening
    with its country and ending in a body word ("中国科学院"). ``organisations`` leaves it, as its words
    before the body word are only a country's; but the dictionary has it as a name. A body word of
    one or two characters straight after the country ("中国银行") is left to ``organisations``."""
    owners: dict[str, list[Any]] = _d("group_owner")
    suffix = _suffix_re()
    out = []
    for s, e, w, flag in tokens:
        if flag != "nt" or len(w) < 4:
            continue
        owner = next((o for o in sorted(owners, key=len, reverse=True) if w.startswith(o)), None)
        m = suffix.search(w, len(owner)) if owner else None
        if owner is None or m is None or m.end() != len(w) or (m.start() == len(owner) and len(w) - len(owner) < 3):
            continue
        chain = _split_suffix(m.group())
        kind = _suffixes()[chain[-1]][0]
        out.append(Found(s, e, kind, w, _english([w[:m.start()]], chain), owners[owner][0], _F))
    return out


def ninth_han_readers(article: Article) -> list[Found]:
    """Finder set 9's Chinese readers, beside set 2's (nothing for a text with no Han characters): a
    name after a title, a name before one whose surname the lexicon lacked, and a body the
    dictionary knows whole."""
    text = article.text
    if len(_HAN.findall(text[:5000])) < 20:
        return []
    tokens = segment(text)
    return han_people_after_title(text, tokens) + han_people(text, tokens, more=True) + dictionary_bodies(text, tokens)
