"""Finder set 3's tidying of people spans (pipeline.analyse.tidy).

Four general fixes, each from how the languages write names and titles (words in
``data/tidy_people.json``), never from any article's parties:

1. A Chinese name in Cyrillic that kept a Russian case ending ("Ли Фея" read as "Li Feya"): the
   ending goes where the bare form reads as Mandarin syllables (Palladius, with the common "е" for
   "э"), and the name is the China side's. A Russian name whose surname was put in the nominative
   but whose given name kept the same case ending ("Арсена Бекова" -> "Арсен Беков").
2. A three-syllable Chinese name written as three words cut to its last two ("Ма | Лу Бин"): the
   surname syllable just before is taken back.
3. English office words read as a person ("Foreign Affairs", "Chinese Foreign"): a "person" made
   only of office, country, place and function words is no person, and is dropped.
4. A title phrase right before the name that names Kazakhstan or China ("Kazakhstan's ambassador",
   "посол Китая", "аким области", "ҚР ... министрі", a Chinese province's governor) gives the
   person's side, where no finder gave one.

Every step looks at a bounded window around each span, so the pass is linear in the text.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from functools import lru_cache

from pipeline.analyse.finders import Found, _is_country_word, _morph, _place_word, _title_stems, person_country
from pipeline.analyse.names import chinese_from_cyrillic, gazetteer, latin, palladius
from pipeline.core import vocab
from pipeline.core.lexicon import lexicon
from pipeline.ingest.articles import Article

_F = "tidy_people"
_WINDOW = 100  # characters of title phrase read before a name


def _rx(name: str) -> re.Pattern[str]:
    return vocab.regex(_F, name)


# ------------------------------------------------------------------ 1. case endings


def _chinese(name: str) -> str | None:
    """A name in Cyrillic as Mandarin syllables, as written or with "е" after a consonant read as "э"."""
    en = chinese_from_cyrillic(name)
    if en is None:
        variant = _rx("ye_after_consonant").sub(vocab.text(_F, "ye_palladius"), name)
        if variant != name:
            en = chinese_from_cyrillic(variant)
    return en


def _one_syllable(word: str) -> bool:
    en = _chinese(word)
    return en is not None and en.casefold() in _syllables()


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    return frozenset(palladius().values())


def _chinese_name(words: list[str]) -> tuple[str, str] | None:
    """(base, en) of a Chinese name in Cyrillic whose last word may carry a Russian case ending; its
    surname one syllable."""
    if not 2 <= len(words) <= 3 or not _one_syllable(words[0]):
        return None
    whole = " ".join(words)
    if (en := _chinese(whole)) is not None:
        return whole, en
    last = words[-1]
    tails: dict[str, list[str]] = vocab.table(_F, "chinese_case_tails")
    for tail in sorted(tails, key=len, reverse=True):
        if last.casefold().endswith(tail) and len(last) > len(tail) + 1:
            for fill in tails[tail]:
                cand = " ".join([*words[:-1], last[: len(last) - len(tail)] + fill])
                if (en := _chinese(cand)) is not None:
                    return cand, en
    return None


def _fill(stem: str) -> str:
    fills = vocab.table(_F, "soft_fill")
    return fills["vowel"] if stem[-1:].casefold() in vocab.text(_F, "soft_vowels") else fills["consonant"]


def _agreed_given(name: str, written: str) -> str | None:
    """A given name left in the case its surname was taken out of: written "Арсена Бекова", read
    "Арсена Беков" -> "Арсен Беков". None when nothing is to change."""
    words, said = name.split(), written.split()
    if len(words) != 2 or len(said) != 2 or words[0] != said[0]:
        return None
    surname, written_surname = words[1], said[1]
    if written_surname == surname or not written_surname.casefold().startswith(surname.casefold()):
        return None
    ending = written_surname[len(surname):].casefold()
    given = words[0]
    morph = _morph()
    parses = [set(p.tag.grammemes) for p in morph.parse(given.casefold())] if morph is not None else []
    if any({"Name", "nomn", "femn"} <= g for g in parses) and not any({"Name", "masc"} <= g for g in parses):
        return None  # a woman's given name as written ("Анна"): her surname's base is a finder's slip
    pairs: list[list[str]] = vocab.table(_F, "given_agreement").get(ending, [])
    for tail, fill in pairs:
        if given.casefold().endswith(tail) and len(given) - len(tail) >= 3:
            stem = given[: len(given) - len(tail)]
            if fill == "soft":  # a soft stem: "Сергея" -> "Сергей", "Игоря" -> "Игорь"
                stem += _fill(stem)
            if not _rx("given_stem_end").search(stem.casefold()):
                return None
            return f"{stem} {surname}"
    return None


def _fix_cyrillic(f: Found, text: str, russian: bool) -> Found:
    written = text[f.start:f.end].replace("\u00a0", " ")
    words = f.name.split()
    if not words or not all(_rx("cyrillic_name_word").fullmatch(w) for w in words):
        return f
    said = written.split()
    if len(said) == len(words) and all(_rx("cyrillic_name_word").fullmatch(w) for w in said):
        read = chinese_from_cyrillic(f.name)
        chinese = _chinese_name(said) if read is None or read != f.en else None  # not read as Chinese
        if chinese is not None:
            return dataclasses.replace(f, name=chinese[0], en=chinese[1], country=f.country or "CN")
    if russian:
        agreed = _agreed_given(f.name, written)
        if agreed is not None:
            return dataclasses.replace(f, name=agreed, en=latin(agreed))
    return f


# ------------------------------------------------------------------ 2. a surname cut off


def _extend_surname(f: Found, text: str) -> Found:
    words = f.name.split()
    if len(words) != 2 or chinese_from_cyrillic(f.name) is None:
        return f
    m = re.search(r"(\S+) $", text[max(0, f.start - 12):f.start])
    if m is None:
        return f
    prev = m.group(1)
    if not _rx("cyrillic_name_word").fullmatch(prev) or not _one_syllable(prev):
        return f
    whole = f"{prev} {f.name}"
    en = _chinese(whole)
    if en is None:
        return f
    return dataclasses.replace(f, start=f.start - len(prev) - 1, name=whole, en=en, country=f.country or "CN")


def _full_names(kept: list[Found | None]) -> None:
    """A Chinese name written in full once ("Ма Лу Бин") and by its last two words elsewhere
    ("Лу Бин"): every mention is the full name's."""
    full: dict[str, list[Found]] = {}
    for f in kept:
        if f is not None and f.kind == "person" and len(words := f.name.split()) == 3 and _chinese(f.name):
            full.setdefault(" ".join(words[1:]).casefold(), []).append(f)
    if not full:
        return
    for i, f in enumerate(kept):
        if f is not None and f.kind == "person" and len(f.name.split()) == 2:
            whole = {(g.name, g.en) for g in full.get(f.name.casefold(), [])}
            if len(whole) == 1:
                name, en = whole.pop()
                kept[i] = dataclasses.replace(f, name=name, en=en, country=f.country or "CN")


# ------------------------------------------------------------------ 3. office words read as a person


@lru_cache(maxsize=1)
def _non_name_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    return (frozenset(vocab.words(_F, "office_words")), frozenset(vocab.words(_F, "function_words")),
            frozenset(vocab.words(_F, "region_words")), frozenset(vocab.words(_F, "country_adjectives")))


def _trim_office(f: Found) -> Found | None:
    """An English name with office words before it ("of State Ivan Petrov" -> "Ivan Petrov"); None when
    nothing but office, country, place and function words is left."""
    if _office_only(f.name):
        return None
    office, function, _, adjectives = _non_name_words()
    words = f.name.split(" ")
    cut = 0
    while cut < len(words) - 2 and (words[cut][:1].islower() or words[cut].casefold() in office | function | adjectives):
        cut += 1
    if cut == 0:
        return f
    name = " ".join(words[cut:])
    start = f.end - len(name)
    return dataclasses.replace(f, start=start, name=name, en=name if f.en == f.name else f.en)


def _office_only(name: str) -> bool:
    """A "person" made only of office, country, place and function words ("Foreign Affairs",
    "Chinese Foreign", "Some Kazakh", "Oil-rich Kazakhstan")."""
    office, function, region, adjectives = _non_name_words()
    words = [_rx("possessive").sub("", w.strip(",.")) for w in name.split()]
    if not words:
        return False
    countries = any(w.casefold() in adjectives or _is_country_word(w) for w in words)
    regions = any(w.casefold() in region for w in words)
    for w in words:
        low = w.casefold()
        if low in office or low in function or low in adjectives or low in region or _is_country_word(w):
            continue
        if "-" in w and any(p[:1].islower() for p in w.split("-")[1:]):
            continue  # "Oil-rich", "Kazakh-proposed": a compound word, not a name
        if (countries or regions) and _place_word(w):
            continue
        return False
    return True


# ------------------------------------------------------------------ 4. the side from the title phrase


def _phrase(text: str, f: Found, prev_end: int) -> tuple[int, str]:
    """The title phrase just before a name: back to a clause break, the previous person, or
    ``_WINDOW`` characters; one comma of apposition ("..., of Kazakhstan, Ivan Petrov") is passed over."""
    lo = max(0, f.start - _WINDOW, prev_end)
    window = text[lo:f.start]
    if (m := _rx("apposition").search(window)) is not None:
        window = window[: m.start()]
    inside = [(m.start(), m.end()) for p in vocab.table(_F, "side_cues").values()
              for m in vocab.compile_entry(p).finditer(window)]  # "和" in a country's name breaks nothing
    cut = 0
    for b in _rx("phrase_break").finditer(window):
        if not any(s <= b.start() < e for s, e in inside):
            cut = b.end()
    return lo + cut, window[cut:]


def _side(text: str, f: Found, prev_end: int, places: list[Found], starts: list[int], kazakh: bool) -> str | None:
    at, phrase = _phrase(text, f, prev_end)
    if not phrase.strip():
        return None
    akim = _rx("akim_cue").search(phrase) is not None
    low = phrase.casefold()
    if not akim and not any(t in low for t in _titles()):
        return None
    cues: list[tuple[int, str]] = []
    for side, pattern in vocab.table(_F, "side_cues").items():
        for m in vocab.compile_entry(pattern).finditer(phrase):
            if _rx("location_before").search(phrase[: m.start()]) or kazakh and _rx("location_cue").search(m.group()):
                continue
            cues.append((m.start(), side))
    if cues:  # a country named in the title phrase outweighs a place
        return min(cues)[1]
    for p in places[bisect.bisect_left(starts, at):bisect.bisect_left(starts, f.start)]:
        if p.end <= f.start and p.country in ("KZ", "CN") and p.kind in ("region", "city", "country"):
            rel = p.start - at
            if not _rx("location_before").search(phrase[:rel]) and not (kazakh and _rx("location_cue").search(p.name)):
                cues.append((rel, p.country))
    for w in re.finditer(r"[^\W\d_][\w]{3,}", phrase):  # a place word the gazetteer spans missed ("Xinjiang-Uyghur")
        if w.group()[:1].isupper() and not _rx("location_before").search(phrase[: w.start()]):
            hit = gazetteer().lookup(w.group())
            if hit is not None and hit.country in ("KZ", "CN") and hit.kind in ("region", "city", "country"):
                cues.append((w.start(), hit.country))
    if cues:
        return min(cues)[1]
    return "KZ" if akim else None


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    stems = {s.casefold() for ss in lexicon()["titles"].values() for s in ss}
    return tuple(sorted(stems | set(_title_stems())))


# ------------------------------------------------------------------ the pass


def _quoted(f: Found, text: str) -> bool:
    """The span stands between quote marks, the way a company's or a programme's name is written."""
    return bool(vocab.regex("tidy_names", "quote_open").search(text[max(0, f.start - 3):f.start])
                and vocab.regex("tidy_names", "quote_close").match(text[f.end:f.end + 3]))


def tidy_people(found: list[Found], article: Article) -> list[Found]:
    """The spans with people's names, spans and sides tidied; office words read as a person dropped."""
    text = article.text
    lang = article.language
    kept: list[Found | None] = []
    for f in found:
        if f.kind == "person" and _quoted(f, text):
            kept.append(None)  # a name in quotes is a company's, a programme's or a title's, not a person's
        elif f.kind == "person" and lang == "en":
            kept.append(_trim_office(f))
        elif f.kind == "person" and lang in ("ru", "kk"):
            kept.append(_extend_surname(_fix_cyrillic(f, text, lang == "ru"), text))
        else:
            kept.append(f)
    if lang in ("ru", "kk"):
        _full_names(kept)
    places = sorted((f for f in found if f.kind in ("region", "city", "country")), key=lambda f: f.start)
    starts = [p.start for p in places]
    people = sorted((i for i, f in enumerate(kept) if f is not None and f.kind == "person"),
                    key=lambda i: kept[i].start)  # type: ignore[union-attr]
    ends: list[int] = []  # the ends of the people before, sorted
    for i in people:
        p = kept[i]
        assert p is not None
        if p.country is None:
            before = ends[: bisect.bisect_right(ends, p.start)]
            side = _side(text, p, before[-1] if before else 0, places, starts, lang == "kk")
            if side == "KZ" and person_country(p.name, p.en, None) == "CN":
                side = None  # a Chinese name: its side is its name's
            if side is not None:
                kept[i] = dataclasses.replace(p, country=side)
        bisect.insort(ends, p.end)
    return [f for f in kept if f is not None]
