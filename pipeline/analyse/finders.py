"""The finders: general patterns that list what an article names, with offsets.

Each finder returns ``Found`` spans; ``find_candidates`` resolves overlaps (the
longer span wins, then the stronger finder) and folds repeated mentions of one
thing into one ``Candidate``. Nothing here is specific to any article: the
gazetteer is general geography and the word lists are in ``data/lexicon.json``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.analyse.groups import generic_groups
from pipeline.analyse.model import Candidate, Span, non_overlapping
from pipeline.analyse.money import Amount, find_amounts
from pipeline.analyse.names import (
    Place,
    also_names,
    base_form,
    chinese_from_cyrillic,
    gazetteer,
    han_to_latin,
    latin,
    palladius,
    places_gazetteer,
)
from pipeline.core import vocab
from pipeline.core.lexicon import find_stem, lexicon
from pipeline.core.textnorm import fold
from pipeline.ingest.articles import Article
from pipeline.ingest.sentences import Sentence

_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYR_UP = vocab.text("finders", "cyrillic_upper")  # data/finders.json: letter ranges, words and patterns
_CYR_LOW = vocab.text("finders", "cyrillic_lower")
_CYR_WORD = rf"(?:[{_CYR_UP}][{_CYR_LOW}]+(?:-[{_CYR_UP}{_CYR_LOW}][{_CYR_LOW}]+)?|[{_CYR_UP}]{{3,}}(?![{_CYR_LOW}]))"
_CYR_RUN = re.compile(rf"(?<![\w\-]){_CYR_WORD}(?:[ \u00a0]{_CYR_WORD}){{0,3}}(?![\w\-])")
_LAT_WORD = r"(?:[A-Z](?:[\w'’&\-]|\.(?=[A-Za-z]))*|[a-z]+[A-Z][\w\-]*)"
_LAT_RUN = re.compile(
    rf"(?<![\w\-]){_LAT_WORD}(?:[ \u00a0](?:{vocab.text('finders', 'latin_connector')}[ \u00a0])?{_LAT_WORD}){{0,7}}"
    + vocab.text("finders", "latin_legal_form")
)
_QUOTED = re.compile(r"«([^«»\n]{2,80})»|“([^”\n]{2,80})”|\"([^\"\n]{2,80})\"")
_LEGAL_TAIL = vocab.regex("finders", "legal_tail")
_GOVERNMENT = vocab.regex("finders", "government")
_CN_CUE = vocab.regex("finders", "cn_cue")
_CN_IN_NAME = vocab.regex("finders", "cn_in_name")
_KZ_IN_NAME = vocab.regex("finders", "kz_in_name")

# Finder strength, used when two spans of equal length overlap.
PRIORITY = {"amount": 0, "place": 1, "company": 2, "government": 2, "organization": 3, "person": 4, "group": 5}


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str  # person | company | organization | government | region | city | group | amount
    name: str
    en: str
    country: str | None = None
    finder: str = ""
    amount: Amount | None = None

    @property
    def family(self) -> str:
        return "place" if self.kind in ("region", "city", "country") else self.kind


# ------------------------------------------------------------------ places and bodies (the gazetteer)


def _word_pattern(word: str) -> str:
    """A word of an alias with room for case endings: "Китай" -> Китая, "Мангистауская" -> Мангистауской."""
    n = len(word)
    if n <= 5:
        keep = n - 1 if word[-1] in vocab.text("finders", "droppable_endings") and n >= 4 else n
    else:
        keep = n - 1 if n <= 7 else n - 2 if n <= 10 else n - 3
    return re.escape(word[:keep]) + r"[\w]{0,5}"


@lru_cache(maxsize=2)
def _place_patterns(full: bool = False) -> list[tuple[re.Pattern[str], Place, int]]:
    out = []
    skip = also_names() if full else frozenset()
    for p in (places_gazetteer() if full else gazetteer()).places:
        if p.en in skip and p not in gazetteer().places:
            continue
        for a in p.aliases:
            if _HAN.search(a):
                out.append((re.compile(re.escape(a)), p, len(a)))
                continue
            words = a.split()
            if vocab.regex("finders", "acronym").fullmatch(a):
                out.append((re.compile(rf"(?<![\w\-]){re.escape(a)}(?![\w\-])"), p, len(a)))
                continue
            if sum(len(w) for w in words) < 4:
                continue
            pat = r"[\s\u00a0]+".join(_word_pattern(w) for w in words)
            # the first letter's case as in the alias; the rest case-insensitive
            first = words[0][0]
            pat = rf"(?<![\w\-])(?={re.escape(first)}){pat}(?![\w\-])"
            out.append((re.compile(pat, re.IGNORECASE if not first.isupper() else 0), p, len(a)))
    return out


def places(text: str, full: bool = False) -> list[Found]:
    """Every place ``text`` names, by the gazetteer (``full``, finder set 6: with its further cities and
    spellings, ``names.places_gazetteer``)."""
    found = []
    for pat, p, _ in _place_patterns(full):
        for m in pat.finditer(text):
            found.append(Found(m.start(), m.end(), p.kind, m.group(), p.en, p.country, "gazetteer"))
    return found


# ------------------------------------------------------------------ names in Latin letters


def _strip_lead(words: list[str], stop: set[str]) -> list[str]:
    while words and (words[0].casefold().strip(".,") in stop or any(
            words[0].casefold().startswith(t) for t in _title_stems())):
        words = words[1:]
    return words


@lru_cache(maxsize=1)
def _title_stems() -> tuple[str, ...]:
    return tuple(w for w in lexicon()["title_words"] if len(w) >= 3)


@lru_cache(maxsize=1)
def _stop() -> set[str]:
    return {w.casefold() for w in lexicon()["not_names"]}


@lru_cache(maxsize=1)
def _company_words() -> set[str]:
    return {w.casefold() for w in lexicon()["company_words"]}


def latin_kind(words: list[str], before: str, after: str, english: bool) -> str:
    low = {w.casefold().strip(",") for w in words}
    if _GOVERNMENT.search(" ".join(words)):
        return "government"
    if low & _company_words() or vocab.regex("finders", "company_after").match(after) \
            or vocab.regex("finders", "company_before").search(before):
        return "company"
    if not english:
        return "company"  # a Latin-script name inside Cyrillic or Han text is a firm's or a brand's
    if 2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].islower() or "-" in w for w in words):
        return "person"
    if len(words) == 1 and find_stem(list(_title_stems()), before[-30:]):
        return "person"
    return "organization"


def _split_at_titles(words: list[str]) -> list[list[str]]:
    """A run such as "Group Chair Liu Bo" holds two names around a title word; "A and B"
    is two names unless it is one body's ("Ministry of Industry and Construction")."""
    body = bool({w.casefold().strip(".,") for w in words} & _company_words()) or _GOVERNMENT.search(" ".join(words))
    parts: list[list[str]] = [[]]
    for w in words:
        low = w.casefold().strip(".,")
        if any(low.startswith(t) for t in _title_stems()) or (low in ("and", "&") and not body):
            parts.append([])
        else:
            parts[-1].append(w)
    return [p for p in parts if p]


def _place_word(word: str) -> bool:
    hit = gazetteer().lookup(word.strip(",."))
    return hit is not None and hit.kind in ("city", "region")


def _is_country_word(word: str) -> bool:
    parts = [p for p in re.split(r"[-–]", word) if p]
    g = gazetteer()
    return bool(parts) and all((hit := g.lookup(p)) is not None and hit.kind == "country" for p in parts)


def latin_names(text: str, english: bool) -> list[Found]:
    out = []
    for m in _LAT_RUN.finditer(text):
        pos = m.start()
        for part in _split_at_titles(m.group().split()):
            part = _strip_lead(part, _stop())
            while part and part[0].casefold() in {"of", "and", "&", "de", "for", "the"}:
                part = part[1:]
            while part and part[-1].casefold().strip(".,") in {"of", "and", "&", "de", "for", "the"}:
                part = part[:-1]
            if not part or all(_is_country_word(w) for w in part) or part[0] in ("Co", "Ltd", "LLC", "Inc"):
                continue
            at = text.find(part[0], pos)
            if english and len(part) >= 3 and _place_word(part[0]) and not {w.casefold() for w in part} & _company_words() \
                    and re.search(r"(?<![\w])(?:of|in)\s+$", text[max(0, at - 4):at]):
                part = part[1:]  # "... Mayor of Hefei Li Hua": the place ends the title, the name follows
            if part and re.search(r"['’]s$", part[-1]):
                part = [*part[:-1], part[-1][:-2]]  # "CITIC Group's": the possessive is not the name's
            name = " ".join(part)
            start = text.index(part[0], pos)
            end = start + len(name)
            pos = end
            if text[start:end] != name:
                continue
            if len(name) < 3 or re.search(r"\d", name) and not re.search(r"[a-z]", name):
                continue
            if english and len(part) == 1:
                # a capitalised word opening a sentence is a name only when it is capitalised elsewhere too
                at_start = start == 0 or re.search(r"[.!?\n…]\s*[\"“”«»(]?\s*$", text[max(0, start - 4):start]) is not None
                if at_start and len(re.findall(rf"(?<![\w\-]){re.escape(name)}(?![\w\-])", text)) < 2:
                    continue
            before, after = text[max(0, start - 40):start], text[end:end + 20]
            kind = latin_kind(part, before, after, english)
            en = _LEGAL_TAIL.sub("", name).strip(" ,.")
            out.append(Found(start, end, kind, name, en or name, _company_country(name, before), "latin"))
    return out


def _company_country(name: str, before: str) -> str | None:
    if _KZ_IN_NAME.search(name):
        return "KZ"
    if _CN_IN_NAME.search(name) or _CN_CUE.search(before):
        return "CN"
    lead = gazetteer().lookup(name.split()[0]) if name.split() else None
    if lead is not None and lead.country == "CN" and len(name.split()) > 1:
        return "CN"  # "Shandong ... Chemical": a firm named after a Chinese province
    return None


# ------------------------------------------------------------------ names in Cyrillic letters


def cyrillic_names(text: str, russian: bool, found_places: list[Found]) -> list[Found]:
    out = []
    stop = _stop()
    spans = sorted((p.start, p.end) for p in found_places)
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end of a place begun so far

    def in_place(at: int) -> bool:
        i = bisect.bisect_right(starts, at) - 1
        return i >= 0 and reach[i] > at

    for m in _CYR_RUN.finditer(text):
        # a run breaks at a place or a country ("... Шахаров Қытайдың", "Хэнань Лю Боем",
        # "Делегация Жамбылской области")
        segments: list[list[tuple[int, str]]] = [[]]
        for w in re.finditer(r"\S+", m.group()):
            at = m.start() + w.start()
            word = w.group()
            opens = at == 0 or re.search(r"(?:[.!?:\n]|^)\s*[\"«„(]?$", text[max(0, at - 3):at]) is not None
            if russian and opens and not segments[-1] and _common_word(word):
                continue  # a capitalised common word opening a sentence ("Делегация", "Губернатор")
            if in_place(at) or gazetteer().lookup(word) is not None \
                    or _is_country_word(word):
                segments.append([])
            else:
                segments[-1].append((at, word))
        for seg in segments:
            if seg:
                out.extend(_cyrillic_name(text, [w for _, w in seg], seg[0][0], stop, russian))
    return out


def _common_word(word: str) -> bool:
    """A Russian word the dictionary knows as something other than a name."""
    m = _morph()
    if m is None or word.isupper():
        return False
    parses = m.parse(word.casefold())
    known = [p for p in parses if m.word_is_known(word.casefold())]
    return bool(known) and not any({"Name", "Surn", "Patr", "Geox", "Orgn"} & set(p.tag.grammemes) for p in parses[:3])


_ONE_LETTER = vocab.regex("finders", "one_letter_surname")


def one_letter_surnames(text: str) -> list[Found]:
    """Chinese names whose surname is one Cyrillic letter ("У Лимин", "Е Хуа")."""
    out = []
    for m in _ONE_LETTER.finditer(text):
        chinese = _chinese_base([m.group(1), m.group(2)])
        if chinese:
            out.append(Found(m.start(), m.end(), "person", chinese[0], chinese[1], None, "cyrillic"))
    return out


# A title in the genitive just before a name ("акима области Ерлана Сеитова") puts the name in the
# genitive: a man's names end in "-а" there, which the dictionary cannot take off names it does not know.
_GENITIVE_TITLE = vocab.regex("finders", "genitive_title")
_VOWELS = vocab.text("finders", "vowels")


def _cyrillic_name(text: str, words: list[str], at: int, stop: set[str], russian: bool) -> list[Found]:
    out: list[Found] = []
    if True:
        lead = _strip_lead(list(words), stop)
        if len(lead) < 2 or all(w.isupper() for w in lead):  # a headline or a caption in capitals
            return out
        if any(w.casefold().startswith(t) for w in lead[1:] for t in _title_stems()):
            return out  # a title's words ("Полномочным Послом", "Республикасының Елшісі"), not a name
        name = " ".join(lead)
        start = text.index(lead[0], at)
        end = start + len(name)
        if text[start:end].replace("\u00a0", " ") != name:
            return out
        before, after = text[max(0, start - 60):start], text[end:end + 25]
        chinese = _chinese_base(lead) if len(lead) <= 3 else None
        if not chinese and (vocab.regex("finders", "cyrillic_company_after").match(after) or _GOVERNMENT.search(name)):
            kind = "government" if _GOVERNMENT.search(name) else "company"
            out.append(Found(start, end, kind, name, latin(name), _company_country(name, before), "cyrillic"))
            return out
        if len(lead) > 3:
            return out
        base, en = chinese or person_base(name, text, russian)
        if not chinese and russian and _GENITIVE_TITLE.search(before):
            # "акима Ерлана Сеитова", "акима Нурдаулета Килыбая"
            ya, a = vocab.regex("finders", "genitive_ya"), vocab.regex("finders", "genitive_a")
            gen = " ".join(ya.sub(vocab.text("finders", "genitive_ya_base"), a.sub("", w)) for w in base.split())
            if gen != base:
                base, en = gen, latin(gen)
        out.append(Found(start, end, "person", base, en, None, "cyrillic"))
    return out


# Case endings on a name's last word: Kazakh ones follow the whole name ("Идэ-мен"), Russian ones may
# replace its final -й or -ь ("Го Ха(й)-ем", "Янь" -> "Янем").
_KK_TAILS = vocab.words("finders", "kk_tails")
_RU_TAILS = {k: tuple(v) for k, v in vocab.table("finders", "ru_tails").items()}


def _chinese_base(words: list[str]) -> tuple[str, str] | None:
    """A Chinese name in Cyrillic with a Kazakh or Russian case ending on its last word
    ("Лю Бомен", "Го Хаем"): the ending dropped where the rest reads as Mandarin syllables."""
    whole = " ".join(words)
    if (en := chinese_from_cyrillic(whole)) is not None:
        return whole, en
    last = words[-1]
    tries = [(t, ("",)) for t in _KK_TAILS] + list(_RU_TAILS.items())
    for tail, fills in tries:
        if last.casefold().endswith(tail) and len(last) > len(tail) + 1:
            for fill in fills:
                cand = " ".join([*words[:-1], last[: len(last) - len(tail)] + fill])
                if (en := chinese_from_cyrillic(cand)) is not None:
                    return cand, en
    return None


@lru_cache(maxsize=1)
def _morph():  # type: ignore[no-untyped-def]
    try:
        import pymorphy3  # here, not at the top: its dictionaries load only for Russian names

        return pymorphy3.MorphAnalyzer()
    except Exception:  # the dictionaries missing: names keep the article's case form
        return None


def _russian_nominative(word: str) -> str:
    m = _morph()
    low = word.casefold()
    if m is None:
        return word
    parses = m.parse(low)
    named = [p for p in parses if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
    if any("nomn" in p.tag for p in named) or vocab.regex("finders", "ru_nominative_surname").search(low) or \
            (not named and vocab.regex("finders", "kk_nominative_name").search(low)):
        return word  # already the nominative ("Сеитов" is not the plural of "Сеит")
    pick = named[0] if named else None
    if pick is None:
        s = vocab.regex("finders", "ru_oblique_surname").sub(r"\1", low)
        if s != low:
            return _recase(s, word)
        pick = next((p for p in parses if p.tag.POS == "NOUN" and "anim" in p.tag), None)
    if pick is None:
        return word
    norm = pick.normal_form
    if {"femn"} & set(pick.tag.grammemes) and "Surn" in pick.tag:
        norm = pick.inflect({"nomn"}).word if pick.inflect({"nomn"}) else norm
    return _recase(norm, word)


def masculine_agreed(name: str, written: str = "") -> str:
    """A man's given name and surname agree: "Марата Султанова" (a genitive read as a woman's
    name) -> "Марат Султанов" when the dictionary knows the given name only as a man's;
    "Асланом Нурбеков" (written "Асланом Нурбековым") -> "Аслан Нурбеков"."""
    words = name.split()
    m = _morph()
    if m is None or len(words) < 2:
        return name
    said = written.split()
    if len(said) == len(words) and vocab.regex("finders", "instrumental_surname").search(said[-1].casefold()) \
            and vocab.regex("finders", "instrumental_given").search(words[0].casefold()):
        words[0] = words[0][:-2]
    if vocab.regex("finders", "feminine_surname").search(words[-1].casefold()):
        genders = {g for p in m.parse(words[0].casefold()) if {"Name", "sing", "nomn"} <= set(p.tag.grammemes)
                   for g in ("masc", "femn") if g in p.tag}
        if genders == {"masc"}:
            words[-1] = words[-1][:-1]
    return " ".join(words)


def _recase(new: str, like: str) -> str:
    if like.isupper():
        return new.upper()
    return "-".join(p[:1].upper() + p[1:] for p in new.split("-"))


def person_base(name: str, text: str, russian: bool) -> tuple[str, str]:
    """A person's name in its base form and in Latin letters."""
    words = name.split()
    chinese = _chinese_base(words)
    if chinese:
        return chinese
    base = " ".join(_russian_nominative(w) for w in words) if russian else base_form(name, text, person=True)
    return base, latin(base)


def quoted_names(text: str) -> list[Found]:
    out = []
    for m in _QUOTED.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        inner = m.group(g).strip()
        if not inner[:1].isupper() or len(inner.split()) > 6 or inner.endswith((".", "!", "?")):
            continue
        before = text[max(0, m.start() - 40):m.start()]
        kind = "government" if _GOVERNMENT.search(inner) else "company"
        en = _LEGAL_TAIL.sub("", latin(inner) if not _HAN.search(inner) else han_to_latin(inner)).strip(" ,.")
        out.append(Found(m.start(g), m.end(g), kind, inner, en or inner, _company_country(inner, before), "quoted"))
    return out


# ------------------------------------------------------------------ Han names


def _han_person(name: str, surnames: set[str]) -> bool:
    return name[:1] in surnames or name[:2] in surnames


def han_names(text: str) -> list[Found]:
    lx = lexicon()
    out: list[Found] = []
    titles = sorted(lx["han_title_words"], key=len, reverse=True)
    surnames = set(lx["han_surnames"])
    stop = set(lx["han_name_stop"])
    not_names = set(lx["han_not_names"])  # common words that open with a surname: "成功", "高度"
    lead = sorted(lx["han_name_lead"], key=len, reverse=True)
    # foreign names written part by part: "阿斯卡尔·别克"
    for m in re.finditer(r"[\u4e00-\u9fff]{1,6}(?:·[\u4e00-\u9fff]{1,12})+", text):
        name = m.group()
        head, _, rest = name.partition("·")
        cut = max((head.rfind(w) + len(w) for w in [*titles, *lead] if w in head), default=0)
        head = head[cut:]
        rest = rest.split(vocab.text("finders", "han_delegation"))[0]  # "... 一行" is the person's delegation
        tail = rest.split("·")[-1]
        stop_at = next((i for i, ch in enumerate(tail) if ch in stop and i >= 2), None)
        if stop_at is not None:
            name = head + "·" + rest[: len(rest) - len(tail) + stop_at]
        else:
            name = head + "·" + rest
        if not head:
            continue
        start = m.start() + cut
        out.append(Found(start, start + len(name), "person", name, han_to_latin(name, person=True), None, "han-person"))
    # a Chinese name straight after a title: "省委书记赵一德在西安会见"
    title_re = "|".join(re.escape(t) for t in titles)
    for m in re.finditer(rf"(?:{title_re})([\u4e00-\u9fff]{{2,3}})", text):
        name = m.group(1)
        if not _han_person(name, surnames) or name[:2] in not_names:
            continue
        if len(name) == 3 and name[2] in stop:
            name = name[:2]
        if name[1] in stop:
            continue
        out.append(Found(m.start(1), m.start(1) + len(name), "person", name, han_to_latin(name, person=True), None,
                         "han-person"))
    suffixes = sorted(lx["han_company_suffixes"], key=len, reverse=True)
    suf_re = "|".join(re.escape(s) for s in suffixes)
    for m in re.finditer(rf"[\u4e00-\u9fff（）()]{{2,24}}?(?:{suf_re})", text):
        name = m.group()
        cut = max((name.rfind(w) + len(w) for w in [*lead, *titles] if w in name[:-2]), default=0)
        name = name[cut:]
        if len(name) < 4:
            continue
        start = m.end() - len(name)
        country = "KZ" if _KZ_IN_NAME.search(name) else "CN" if not name.startswith(vocab.text("finders", "han_kz_initial")) else None
        out.append(Found(start, m.end(), "company", name, han_to_latin(name), country, "han-company"))
    return out


# ------------------------------------------------------------------ bodies named by a word and a place

_BODY_WORDS: dict[str, str] = vocab.table("finders", "body_words")
_BODY = re.compile(r"(?<![\w])(" + "|".join(k for k in _BODY_WORDS if not _HAN.search(k)) + r")[\w]*", re.IGNORECASE)


def bodies(text: str, found_places: list[Found]) -> list[Found]:
    """A body named by its kind and its place, either order: "акимат ЗКО", "Департамент коммерции
    провинции Шаньдун", "Ақтөбе облысының әкімдігі"."""
    out = []
    for m in _BODY.finditer(text):
        word = next(v for k, v in _BODY_WORDS.items() if m.group(1).casefold().startswith(k))
        after = [p for p in found_places if 0 <= p.start - m.end() <= 45 and "." not in text[m.end():p.start]
                 and "," not in text[m.end():p.start]]
        before = [p for p in found_places if 0 <= m.start() - p.end <= 25 and not re.search(r"[.,;]", text[p.end:m.start()])]
        if after:
            p = min(after, key=lambda p: p.start)
            start, end = m.start(), p.end
        elif before:
            p = max(before, key=lambda p: p.end)
            start, end = p.start, m.end()
        else:
            continue
        if p.kind == "country" and word == "Government":
            continue  # the gazetteer names national governments itself
        en = f"{p.en} {word}" if word == "Akimat" else f"{word} of {p.en}"
        out.append(Found(start, end, "government", text[start:end], en, p.country, "body"))
    return out


# ------------------------------------------------------------------ groups and amounts


def groups(text: str) -> list[Found]:
    out = []
    pos = 0
    for g in generic_groups(text):
        i = text.find(g.written, pos)
        if i < 0:
            i = text.find(g.written)
        if i < 0:
            continue
        out.append(Found(i, i + len(g.written), "group", g.written, g.name_en, "CN", "group"))
        pos = i + 1
    return out


def amounts(text: str) -> list[Found]:
    out = []
    for a in find_amounts(text):
        start = a.start + len(text[a.start:a.end]) - len(text[a.start:a.end].lstrip())
        out.append(Found(start, a.end, "amount", a.text, f"{a.amount:,.0f} {a.currency}", None, "money", a))
    return out


# ------------------------------------------------------------------ resolution


def _resolve(found: Iterable[Found]) -> list[Found]:
    """Overlapping spans: the longer one wins, then the stronger finder; groups overlap freely."""
    ranked = sorted(found, key=lambda f: (-(f.end - f.start), PRIORITY.get(f.family, 9), f.start))
    free = ("group", "body", "place-body")  # a generic group or a body spans the names inside it; both are kept
    # spans overlap only within their layer: the free finders' each, and all the others'
    layers: dict[str, list[tuple[int, Found]]] = {}
    for rank, f in enumerate(ranked):
        layers.setdefault(f.finder if f.finder in free else "", []).append((rank, f))
    kept = [rf for layer in layers.values() for rf in non_overlapping(layer, lambda rf: (rf[1].start, rf[1].end))]
    return [f for _, f in sorted(kept, key=lambda rf: (rf[1].start, rf[0]))]


_CREDIT = vocab.regex("finders", "credit")


def _credit(text: str, f: Found) -> bool:
    """A news outlet credited as the source ("..., передаёт X", "reports X") is not a party."""
    return f.kind in ("company", "organization") and _CREDIT.search(text[max(0, f.start - 30):f.start]) is not None


def _key(f: Found) -> str:
    return f"{'place' if f.kind in ('region', 'city') else f.kind}:{fold(f.en) or fold(f.name)}"


_AFTER_A_NAME = vocab.regex("finders", "after_a_name")


def _title(text: str, start: int, end: int) -> str | None:
    """A person's title from the words just before the name (or just after, Kazakh-style)."""
    titles: dict[str, list[str]] = lexicon()["titles"]
    window = text[max(0, start - 70):start]
    window = re.split(r"[.!?;。]", window)[-1]
    if _AFTER_A_NAME.search(window):
        return None  # "akim Ivan Petrov and Li Hua": the title is the first name's
    best: tuple[int, int, str] | None = None
    for key, stems in titles.items():
        m = find_stem(stems, window)
        if m:
            cand = (m.end(), len(m.group()), key)
            if best is None or cand > best:
                best = cand
    return best[2] if best else None


def find_candidates(article: Article, sentences: tuple[Sentence, ...],
                    found_places: list[Found] | None = None, extra: Iterable[Found] = (),
                    tidy: Callable[[list[Found], Article], list[Found]] | None = None,
                    side_of_person: Callable[[str, str, str | None], str | None] | None = None) -> tuple[Candidate, ...]:
    """The candidates: every finder's spans (and ``extra``, a further finder set's), tidied by ``tidy``
    where a finder set has one, resolved and folded into one candidate per thing named. A person no
    span gave a country gets one from ``side_of_person`` (name, English name, title; default
    ``person_country``)."""
    text = article.text
    english = article.language == "en"
    found_places = places(text) if found_places is None else found_places
    found = (found_places + bodies(text, found_places) + latin_names(text, english) + quoted_names(text) + groups(text) + amounts(text)
             + (han_names(text) if _HAN.search(text) else []) + (cyrillic_names(text, article.language == "ru", found_places) + one_letter_surnames(text) if not english else []))
    found += list(extra)
    if tidy is not None:
        found = tidy(found, article)
    resolved = [f for f in _resolve(found) if f.kind != "country" and not _credit(text, f)]
    sent_of = _sentence_index(sentences)
    merged: dict[str, list[Found]] = {}
    for f in resolved:
        key = _key(f)
        if f.kind == "person":  # one person written in several case forms
            for k in merged:
                if k.startswith("person:") and fuzz.ratio(k[7:], key[7:]) >= 85:
                    key = k
                    break
        if f.kind in ("person", "organization") and " " not in f.name.strip():
            # a surname alone ("Tokayev") is the person named in full elsewhere
            full = next((k for k, fs in merged.items() if k.startswith("person:")
                         and fold(f.name) in fold(fs[0].name).split()), None)
            if full:
                merged[full].append(Found(f.start, f.end, "person", fs_name(merged[full]), merged[full][0].en))
                continue
        merged.setdefault(key, []).append(f)
    out = []
    for i, fs in enumerate(merged.values(), 1):
        first = min(fs, key=lambda f: f.start)
        name = min((f.name for f in fs), key=len) if first.kind == "person" else first.name
        spans = tuple(Span(f.start, f.end, sent_of(f.start)) for f in sorted(fs, key=lambda f: f.start))
        country = next((f.country for f in fs if f.country), None)
        title = next((t for f in fs if (t := _title(text, f.start, f.end))), None) if first.kind == "person" else None
        if first.kind == "person" and country is None:
            country = (side_of_person or person_country)(name, first.en, title)
        out.append(Candidate(i, first.kind, name, first.en if first.kind != "person" else
                             next(f.en for f in fs if f.name == name), country, spans, title, first.amount))
    return tuple(out)


_KZ_TITLES = ("Akim", "Deputy Akim")  # titles only Kazakhstan's officials bear


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    return frozenset(palladius().values()) | {"er", "a", "e", "o", "ai", "ao", "ou", "an", "en", "ang", "eng"}


def _pinyin_word(word: str) -> bool:
    """A word made of one or two Mandarin syllables ("Xiang", "Wenbo")."""
    w = word.casefold().replace("-", "").replace("'", "")
    syl = _pinyin_syllables()
    return w in syl or any(w[:i] in syl and w[i:] in syl for i in range(1, len(w)))


def person_country(name: str, en: str, title: str | None) -> str | None:
    """Where a person's name or title places them: a Chinese name (Han, or Mandarin syllables in
    Cyrillic or Latin letters) is the China side's; an akim is Kazakhstan's."""
    if title in _KZ_TITLES:
        return "KZ"
    if _HAN.search(name) and "·" not in name:
        return "CN"
    if "·" in name:
        return None  # a foreign name written part by part in Chinese
    words = en.split()
    if 2 <= len(words) <= 3 and all(_pinyin_word(w) for w in words) and \
            (chinese_from_cyrillic(name) is not None or not vocab.regex("finders", "russian_letter").search(name)):
        return "CN"
    return None


def fs_name(fs: list[Found]) -> str:
    return fs[0].name


def _sentence_index(sentences: tuple[Sentence, ...]):  # type: ignore[no-untyped-def]
    starts = [s.start for s in sentences]

    def of(offset: int) -> int:
        """The sentence an offset falls in; between sentences, the one before (the first if none)."""
        i = bisect.bisect_right(starts, offset) - 1
        return sentences[i].n if i >= 0 else (sentences[0].n if sentences else 0)

    return of


def names_countries(text: str, candidates: tuple[Candidate, ...],
                    found_places: list[Found] | None = None) -> tuple[bool, bool, tuple[str, ...]]:
    """Whether the article names Kazakhstan (or its places and bodies), China, and which other countries."""
    countries = {f.country for f in (places(text) if found_places is None else found_places) if f.country}
    countries |= {c.country for c in candidates if c.country}
    others = tuple(sorted(c for c in countries if c not in ("KZ", "CN")))
    return "KZ" in countries, "CN" in countries, others
