"""Finder set 3's tidying of the spans that name no person (pipeline.analyse.tidy).

Sets 1 and 2 leave spans of companies, organisations and bodies that name no party. Each step
here is a general one, from how names are written (data words in ``data/tidy_names.json``):

- pieces of one Latin company name cut apart at a parenthesis or before its legal form
  ("NORTHWIND TRADING (SOMEPROVINCE) CO., LTD" read as three firms) are joined into one span,
  and a legal form or a place word left alone is no firm;
- a body word joined across "and" to the next name ("... ministry and <a firm>") takes its
  country from words that are not its own: the span is dropped (the body's own words are read
  by another finder);
- a body read twice over the same words by two finders: the longer, more specific span stays;
- a span of generic words alone ("Initiative", "News Agency" cut from an outlet's name, "A
  Chinese ..."), a place's or a country's name read as an organisation, a name made of places
  joined by a dash (a meeting's format), and a programme's name in quotes are no party;
- "Country's Firm Name": the country's possessive is not the firm's name; a body named "... of
  <a place>" takes the place's country;
- one Latin firm written with and without "Group"/"Company"/its legal form, or by its first word
  alone, folds into one candidate (every mention takes the fullest name's English).

Person spans are never touched (``tidy_people`` reads them). Every step is linear in the number
of spans and the text's length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import lru_cache

from pipeline.analyse.finders import Found
from pipeline.analyse.names import gazetteer
from pipeline.core import vocab
from pipeline.core.lexicon import lexicon
from pipeline.core.textnorm import fold
from pipeline.ingest.articles import Article

_FILE = "tidy_names"
_NAMED = ("company", "organization", "government")
_CYR_OR_HAN = re.compile(r"[\u0400-\u04ff\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(vocab.words(_FILE, "generic_words"))


@lru_cache(maxsize=1)
def _connectors() -> frozenset[str]:
    return frozenset(vocab.words(_FILE, "connectors"))


def _latin_name(name: str) -> bool:
    return bool(_LATIN.search(name)) and not _CYR_OR_HAN.search(name)


def _words(name: str) -> list[str]:
    return [w for w in (t.strip(".,()\"'“”«»").casefold() for t in re.split(r"[\s\u00a0]+", name)) if w]


# ------------------------------------------------------------------ Latin pieces of one name


def _join_latin(found: list[Found], text: str) -> list[Found]:
    """A Latin name followed by "(Place) Co., Ltd" or "(Word) Words": one name, its pieces dropped."""
    legal, paren = vocab.regex(_FILE, "join_legal"), vocab.regex(_FILE, "join_paren")
    joined: list[Found] = []
    for f in found:
        if f.kind not in _NAMED or not _latin_name(f.name):
            continue
        m = legal.match(text, f.end)
        kind = "company"
        if m is None or m.end() == f.end:
            m = paren.match(text, f.end)
            kind = f.kind
            if m is not None and not all(w in _generic() or w in _company_words() for w in _words(m.group(2))):
                continue  # "(X) Name Surname": the words after the parenthesis are another name
        if m is None or m.end() == f.end or "\n" in text[f.end:m.end()]:
            continue
        name = text[f.start:m.end()]
        en = vocab.regex(_FILE, "legal_tail").sub("", name).strip(" ,.") or name
        country = f.country or _place_country(text[f.end:m.end()])
        joined.append(Found(f.start, m.end(), kind, name, en, country, f.finder))
    if not joined:
        return found
    by_start = sorted(joined, key=lambda f: f.start)
    starts = [j.start for j in by_start]

    def inside(f: Found) -> bool:
        i = bisect.bisect_right(starts, f.start) - 1
        while i >= 0 and f.start - by_start[i].start <= 200:  # a joined span is short: a short walk back
            if f.end <= by_start[i].end:
                return True
            i -= 1
        return False

    kept = [f for f in found if not (f.kind in _NAMED and inside(f))]
    return kept + joined


def _place_country(words: str) -> str | None:
    for w in re.findall(r"[A-Za-z][\w\-]+", words):
        hit = gazetteer().lookup(w)
        if hit is not None and hit.country:
            return hit.country
    return None


# ------------------------------------------------------------------ spans that name no party


def _across_conjunction(f: Found) -> bool:
    """A body word followed, inside the span, by a conjunction and more words."""
    if f.kind != "government":
        return False
    conj = vocab.regex(_FILE, "conjunctions")
    head = vocab.regex(_FILE, "body_head")
    for h in head.finditer(f.name):
        c = conj.match(f.name, h.end())
        if c is not None and c.end() < len(f.name):
            return True
    return False


def _generic_only(f: Found, text: str) -> bool:
    """Generic words alone: one word ("Initiative", "Center-West"), or several cut from a longer
    name (a capitalised Latin word just before, as in "<Outlet> News Agency")."""
    words = [w for w in _words(f.name) if w not in _connectors()]
    if not words:
        return True
    parts = [p for w in words for p in re.split(r"[\-–]", w) if p]
    if not all(p in _generic() for p in parts):
        return False
    if len(words) == 1:
        return words[0] not in vocab.words(_FILE, "generic_kept_alone")
    return re.search(r"[A-Z][\w'’\-]*[ \u00a0]$", text[max(0, f.start - 40):f.start]) is not None


def _place_named(f: Found, text: str, whole_words: bool = False) -> bool:
    """A place's or a country's name (or places joined by a dash) read as a company or organisation,
    with no word around it saying a firm bears the name ("the <Place> company")."""
    if f.kind not in ("company", "organization"):
        return False
    if vocab.regex(_FILE, "company_cue_after").match(text, f.end) \
            or vocab.regex(_FILE, "company_cue_before").search(text[max(0, f.start - 30):f.start]):
        return False
    name = re.sub(r"^(?:the|The)[ \u00a0]+", "", f.name).strip(" ,.")
    if not name or len(name) > 60:
        return False
    macro = set(vocab.words(_FILE, "macro_regions"))
    parts = [p for p in vocab.regex(_FILE, "dash").split(name) if p]
    if len(parts) > 1 and len(name.split()) <= 6:
        return all(p.casefold() in macro or _whole_place(p) for p in parts)
    # in Latin letters only: a Cyrillic or Han firm's name made of place-like words is often a real firm's
    return _latin_name(name) and _whole_place(name) and (not whole_words or place_spelled(name))


_WORD_ENDING = 3  # "Kazakhstani", "Kazakhstan's": an alias and a short ending


def place_spelled(name: str) -> bool:
    """Finder set 6: every word of the name is a place's alias as a whole word, or with a short
    ending; a firm's name that only opens like a country's ("KazMunayGas", "Kazatomprom") is not."""
    state = set(vocab.words(_FILE, "state_words"))
    for w in re.split(r"[\s\u00a0\-–]+", name):
        if not w or w.casefold() in state:
            continue
        hit = gazetteer().lookup(w)
        aliases = [fold(a) for a in hit.aliases] if hit is not None else []
        fw = fold(w)
        if not any(fw.startswith(a) and len(fw) - len(a) <= _WORD_ENDING for a in aliases if a):
            return False
    return True


def _whole_place(name: str) -> bool:
    """Every word of the name is a place's or a state's ("Túrkistan", "People's Republic of X")."""
    hit = gazetteer().lookup(name)
    if hit is None or hit.kind not in ("country", "region", "city"):
        return False
    state = set(vocab.words(_FILE, "state_words"))
    words = [w for w in re.split(r"[\s\u00a0]+", name) if w]
    if len(words) > 6:
        return False
    return all(w.casefold() in state or ((p := gazetteer().lookup(w)) is not None and p.kind in ("country", "region", "city"))
               for w in words)


@lru_cache(maxsize=1)
def _company_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in lexicon()["company_words"])


def _programme(f: Found, text: str) -> bool:
    """A name in quotes next to "initiative", "programme", "forum", "zone", ...: a programme's or a
    meeting's name, not a party's."""
    if f.kind not in ("company", "organization"):
        return False
    before, after = text[max(0, f.start - 40):f.start], text[f.end:f.end + 60]
    return vocab.regex(_FILE, "programme_before").search(before) is not None \
        or vocab.regex(_FILE, "programme_after").match(after) is not None


def _bare_body(f: Found) -> bool:
    """A body word with at most a qualifier before it ("People's government", in Cyrillic): no place
    or field says which body (the body with its place is read by the body finders)."""
    if f.kind not in ("company", "organization") or _latin_name(f.name):
        return False
    words = f.name.split()
    return 1 <= len(words) <= 2 and vocab.regex(_FILE, "body_head").fullmatch(words[-1]) is not None


def _junk(f: Found, text: str, whole_words: bool = False) -> bool:
    if f.kind not in _NAMED:
        return False
    if _bare_body(f):
        return True
    if _across_conjunction(f):
        return True
    if vocab.regex(_FILE, "legal_alone").match(f.name):
        return True
    if _latin_name(f.name):
        if vocab.regex(_FILE, "article_lead").match(f.name):
            return True
        if _generic_only(f, text):
            return True
    return _place_named(f, text, whole_words) or _programme(f, text)


# ------------------------------------------------------------------ repairs


def _repair(f: Found) -> Found:
    if f.kind in ("company", "organization") and _latin_name(f.name):
        m = vocab.regex(_FILE, "country_possessive").match(f.name)
        if m is not None:
            hit = gazetteer().lookup(m.group(1))
            if hit is not None and hit.kind == "country" and m.end() < len(f.name):
                cut = m.end()
                en = f.en[cut:] if f.en.startswith(f.name[:cut]) else f.en
                return replace(f, start=f.start + cut, name=f.name[cut:], en=en, country=f.country or hit.country)
    if f.kind in ("government", "organization") and f.country is None and _latin_name(f.en):
        for m in vocab.regex(_FILE, "of_place").finditer(f.en):
            hit = gazetteer().lookup(m.group(1))
            if hit is not None and hit.country:
                return replace(f, country=hit.country)
    return f


def _one_body(found: list[Found]) -> list[Found]:
    """Two finders' government spans over the same words: the one inside the other is dropped (on
    equal spans, set 1's place-and-body-word reading gives way to set 2's body reader)."""
    gov = sorted((f for f in found if f.kind == "government"), key=lambda f: (f.start, -(f.end - f.start)))
    drop: set[int] = set()
    reach: Found | None = None  # the government span reaching furthest among those begun so far
    for f in gov:
        if reach is not None and reach.start <= f.start and f.end <= reach.end and reach is not f:
            same = (reach.start, reach.end) == (f.start, f.end)
            if not same or (f.finder == "body" and reach.finder != "body"):
                drop.add(id(f))
            elif same and reach.finder == "body" and f.finder != "body":
                drop.add(id(reach))
                reach = f
                continue
        if reach is None or f.end > reach.end:
            reach = f
    return [f for f in found if id(f) not in drop]


def _core(en: str) -> str:
    """A firm's English name without its trailing legal form or "Group"/"Company" words, folded."""
    words = _words(en)
    tail = set(vocab.words(_FILE, "name_tail_words"))
    while len(words) > 1 and words[-1].strip(".,") in tail | {""}:
        words.pop()
    return " ".join(words)


def _one_firm(found: list[Found]) -> list[Found]:
    """One Latin firm written with and without "Group", "Company" or its legal form ("Velmor Steel",
    "Velmor Steel Group Co., Ltd."), or by its first word alone where one firm's name begins with
    it: every mention takes the fullest name's English, so they fold into one candidate."""
    firms = [f for f in found if f.kind == "company" and _latin_name(f.name)]
    fullest: dict[str, Found] = {}
    for f in firms:
        k = _core(f.en)
        if k and (k not in fullest or len(f.en) > len(fullest[k].en)):
            fullest[k] = f
    firsts: dict[str, set[str]] = {}
    for k in fullest:
        if " " in k:
            firsts.setdefault(k.split()[0], set()).add(k)
    ids = {id(f) for f in firms}
    out = []
    for f in found:
        if id(f) in ids:
            k = _core(f.en)
            if " " not in k and len(firsts.get(k, ())) == 1 and k not in _generic() \
                    and gazetteer().lookup(f.name) is None:
                k = next(iter(firsts[k]))
            best = fullest.get(k)
            if best is not None and best.en != f.en:
                f = replace(f, en=best.en, country=f.country or best.country)
        out.append(f)
    return out


def tidy_names(found: list[Found], article: Article, whole_words: bool = False) -> list[Found]:
    """The spans with names that name no party dropped or repaired; person spans as they are. With
    ``whole_words`` (finder set 6), a Latin name is a place's only where each word is spelled as one."""
    text = article.text
    found = _join_latin(found, text)
    found = [_repair(f) for f in found if not _junk(f, text, whole_words)]
    return _one_firm(_one_body(found))  # in the finders' order: the resolution breaks its last ties by it
