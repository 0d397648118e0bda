"""Generic groups named as parties, read by how Russian, Kazakh and English form them.

The spec makes a group named only generically one party of kind organization ("representatives of
several Chinese logistics companies", "Kazakh exporters", "heads of Shandong enterprises"). Set 1's groups
(pipeline/analyse/groups.py) takes one only where a meeting was with it and only on the China side;
this reader takes a group wherever its sentence tells of an event (a meeting, talks, a signing, a
forum, a visit), on either side, put together from its parts:

- who: representatives, heads, a delegation, members (optional);
- which / how many: various, leading, "over 80" (optional);
- what: companies, enterprises, entrepreneurs, investors, business circles, partners, ...;
- whose (required): a country adjective (Chinese, Kazakh), a place the gazetteer knows (a region,
  a country: "of Shandong", "Ақтөбе облысының ...", "из КНР"), or "the two countries".

Russian and English put who first and a place after ("представители компаний из КНР"), Kazakh
puts whose first and who last ("Қытай компанияларының өкілдері"). The English name is put together
from the parts' English; the country is whose country (none for "the two countries"). Words and
patterns live in data/general_orgs.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.analyse.finders import Found
from pipeline.analyse.names import english_cyrillic
from pipeline.core import vocab

_TOKEN = re.compile(r"[\w\-]+|[^\w\s]")
_SPACE = re.compile(r"[ \t\u00a0]+")
_SENT_END = re.compile(r"[.!?](?=\s|\Z)|\n")  # not the point inside "1.6"
_DIGITS = re.compile(r"\d")
_WHOSE = "\0"  # where whose stands among the which words, as written
FINDER = "group"  # the layer of set 1's generic groups: a group spans the places inside it, both kept


@dataclass(frozen=True)
class _Lang:
    what: re.Pattern[str]
    what_en: dict[str, str]
    who: dict[str, str]
    which: dict[str, str]
    whose: dict[str, list[str]]
    number: re.Pattern[str]
    number_en: dict[str, str]
    from_words: tuple[str, ...]
    both: re.Pattern[str]
    cue: re.Pattern[str]
    org_heads: dict[str, str]
    exact: bool  # English words match whole; Russian and Kazakh stems match a word's beginning


@lru_cache(maxsize=8)
def _lang(code: str, more: bool = False) -> _Lang:
    d: dict[str, Any] = dict(vocab.entry("general_orgs", code))
    if more:  # finder set 7: the further words of the language's "more" entry
        d.update({k: {**d[k], **v} for k, v in d.get("more", {}).items() if k != "mass"})
    stems = sorted(d["what"], key=len, reverse=True)
    alt = "|".join(r"\s+".join(re.escape(w) for w in s.split()) for s in stems)
    exact = code == "en"
    what = re.compile(rf"(?<![\w\-])(?:{alt})" + (r"(?![\w\-])" if exact else r"[\w\-]*"), re.IGNORECASE)
    return _Lang(what, d["what"], d["who"], d["which"], d["whose"], re.compile(rf"(?:{d['number']})\Z", re.IGNORECASE),
                 d.get("number_en", {}), tuple(d.get("from", [])), re.compile(rf"(?:{d['both']})(?![\w\-])", re.IGNORECASE),
                 re.compile(d["cue"], re.IGNORECASE), d["org_heads"], exact)


def _lookup(table: dict[str, Any], word: str, exact: bool) -> Any:
    w = word.casefold()
    if exact:
        return table.get(w)
    best = max((k for k in table if w.startswith(k)), key=len, default=None)
    return table[best] if best is not None else None


def _short_place(p: Found) -> str:
    if p.kind == "country":
        return str(vocab.table("general_orgs", "country_adjective").get(p.country or "", p.en))
    en = p.en
    for tail in vocab.words("general_orgs", "place_tails"):
        if en.endswith(tail) and len(en) > len(tail):
            return en[: -len(tail)]
    return en


@dataclass
class _Parts:
    start: int
    end: int
    who: str | None = None
    which: tuple[str, ...] = ()
    whose: str | None = None  # the English adjective or short place name
    country: str | None = None
    both: bool = False


def _english(p: _Parts, what: str) -> str:
    which = [w for w in p.which if w not in ("and", "of", "the")]
    if p.whose and _WHOSE not in which:
        which.append(_WHOSE)
    if _WHOSE in which:  # "leading Chinese industrial companies": how many and how big before whose
        first = vocab.words("general_orgs", "first_words")
        at = which.index(_WHOSE)
        moved = [w for w in which[at + 1:] if w in first or _DIGITS.search(w)]
        which = [*which[:at], *moved, _WHOSE, *(w for w in which[at + 1:] if w not in moved)]
    core = " ".join([*((p.whose or "") if w == _WHOSE else w for w in which), what])
    if p.both:
        core += " of the two countries"
    name = f"{p.who} of {core}" if p.who else core
    return name[:1].upper() + name[1:]


class _Reader:
    def __init__(self, text: str, code: str, found_places: list[Found], cue: re.Pattern[str] | None = None,
                 more: bool = False):
        self.text = text
        self.code = code
        self.lang = _lang(code, more)
        # finder set 7: nouns named in the singular ("китайского бизнеса") take a singular owner
        self.mass = tuple(vocab.entry("general_orgs", code).get("more", {}).get("mass", ())) if more else ()
        self.singular_ok = False
        self.cue = cue or self.lang.cue
        self.toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        self.at_start = {s: i for i, (s, _, _) in enumerate(self.toks)}
        self.at_end = {e: i for i, (_, e, _) in enumerate(self.toks)}
        places = [p for p in found_places if p.kind in ("country", "region", "city")]
        self.place_ending: dict[int, Found] = {}
        self.place_starting: dict[int, Found] = {}
        for p in sorted(places, key=lambda p: p.end - p.start):  # the longest place at an offset wins
            self.place_ending[p.end] = p
            self.place_starting[p.start] = p

    def _joined(self, i: int) -> bool:
        """Token ``i`` and token ``i + 1`` stand side by side, with only spaces between them."""
        if i < 0 or i + 1 >= len(self.toks):
            return False
        gap = self.text[self.toks[i][1]:self.toks[i + 1][0]]
        return gap == "" or _SPACE.fullmatch(gap) is not None

    def _word(self, i: int) -> str:
        return self.toks[i][2] if 0 <= i < len(self.toks) else ""

    def _whose(self, word: str) -> list[str] | None:
        w = _lookup(self.lang.whose, word, self.lang.exact)
        plural = tuple(vocab.entry("general_orgs", self.code).get("plural_adjective", ()))
        if w is not None and plural and not word.casefold().endswith(plural) and not self.singular_ok:
            return None  # "китайской компании": one company, named elsewhere
        return w  # type: ignore[no-any-return]

    def _number(self, k: int) -> tuple[int, str] | None:
        """A count ending at token ``k`` ("80", "более 80", "80-нен астам"): its first token and its English."""
        for back in (2, 1, 0):
            j = k - back
            if j < 0 or any(not self._joined(x) for x in range(j, k)):
                continue
            words = self.text[self.toks[j][0]:self.toks[k][1]]
            if _DIGITS.search(words) and self.lang.number.match(words):
                digits = re.search(r"\d+", words)
                lead = next((en for w, en in self.lang.number_en.items()
                             if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", words, re.IGNORECASE)), "")
                if not lead and self.code == "en":
                    lead = re.sub(r"\s+", " ", words[: digits.start()] if digits else "").strip().casefold()
                return j, f"{lead} {digits.group() if digits else ''}".strip()
        return None

    def groups(self) -> list[Found]:
        out: list[Found] = []
        for m in self.lang.what.finditer(self.text):
            i, j = self.at_start.get(m.start()), self.at_end.get(m.end())
            if i is None or j is None:
                continue
            what = _lookup(self.lang.what_en, m.group(), self.lang.exact) or "companies"
            self.singular_ok = m.group().casefold().startswith(self.mass) if self.mass else False
            if self.singular_ok and "-" in m.group():
                continue  # "бизнес-подход": a compound, not the business as a whole
            parts = self._kazakh(i, j) if self.code == "kk" else self._ru_en(i, j)
            if parts is None or not (parts.whose or parts.both):
                continue
            if not self._cued(parts.start, parts.end) or self._in_a_name(parts, i):
                continue
            out.append(Found(parts.start, parts.end, "group", self.text[parts.start:parts.end],
                             _english(parts, what), None if parts.both else parts.country, FINDER))
        return out

    def _in_a_name(self, parts: _Parts, i: int) -> bool:
        """The words are part of a named body ("Association of Kazakh Exporters", "Ассоциация китайских
        предприятий", "... кәсіпкерлерінің қауымдастығы"): not a group of its own."""
        if parts.who:
            return False
        word = self.toks[i][2]
        if word[:1].isupper() and not self._sentence_start(self.toks[i][0]) and self._whose(word) is None:
            return True
        heads = self.lang.org_heads
        k = self.at_start.get(parts.start, i) - 1
        if self.code == "en" and self._word(k).casefold() == "of" and self._joined(k - 1):
            k -= 1
        before = self._word(k) if self._joined(k) else ""
        nxt = self.at_end.get(parts.end)
        after = self._word(nxt + 1) if nxt is not None and self._joined(nxt) else ""
        return _lookup(heads, before, self.lang.exact) is not None or (
            self.code == "kk" and _lookup(heads, after, False) is not None)

    def _sentence_start(self, at: int) -> bool:
        before = self.text[max(0, at - 3):at].strip()
        return before == "" or before[-1:] in ".!?«\"“"

    def _cued(self, start: int, end: int) -> bool:
        """The sentence around the span tells of an event (a meeting, talks, a signing, a visit)."""
        lo = max(0, start - 400)
        ends = list(_SENT_END.finditer(self.text, lo, start))
        s = ends[-1].end() if ends else lo
        nxt = _SENT_END.search(self.text, end, end + 400)
        e = nxt.start() if nxt else min(len(self.text), end + 400)
        return self.cue.search(self.text, s, e) is not None

    def _left_modifiers(self, k: int, parts: _Parts) -> int:
        """Which / how many / whose words before token ``k + 1``, read right to left; the first token kept."""
        first = k + 1
        which: list[str] = []
        while k >= 0 and self._joined(k):
            word = self._word(k)
            num = self._number(k) if _DIGITS.search(word) or self.code == "kk" else None
            whose = self._whose(word)
            place = self.place_ending.get(self.toks[k][1]) if self.code != "ru" else None
            if whose is not None and not parts.whose:
                parts.whose, parts.country = whose[0], whose[1]
                which.insert(0, _WHOSE)
            elif place is not None and not parts.whose and place.start in self.at_start:
                parts.whose, parts.country = _short_place(place), place.country
                which.insert(0, _WHOSE)
                k = self.at_start[place.start]
            elif num is not None and _DIGITS.search(self.text[self.toks[num[0]][0]:self.toks[k][1]]):
                which.insert(0, num[1])
                k = num[0]
            elif _lookup(self.lang.which, word, self.lang.exact) is not None:
                which.insert(0, _lookup(self.lang.which, word, self.lang.exact))
            else:
                break
            first = k
            k -= 1
        # a joining word cannot open the phrase
        while first < len(self.toks) and which and which[0] in ("and", "of", "the"):
            which.pop(0)
            first += 1
        parts.which = tuple(which)
        return first

    def _ru_en(self, i: int, j: int) -> _Parts | None:
        parts = _Parts(self.toks[i][0], self.toks[j][1])
        first = self._left_modifiers(i - 1, parts)
        k = first - 1
        # who: "представители ...", "representatives of (the) ..."
        if self.code == "en":
            if self._word(k).casefold() == "the" and self._joined(k):
                k -= 1
            if self._word(k).casefold() == "of" and self._joined(k) and self._joined(k - 1):
                who = _lookup(self.lang.who, self._word(k - 1), True)
                if who:
                    parts.who, first = who, k - 1
        elif self._joined(k):
            who = _lookup(self.lang.who, self._word(k), False)
            if who:
                parts.who, first = who, k
        parts.start = self.toks[first][0] if first <= i else parts.start
        # whose, after: "... из КНР", "... of Shandong", "... обеих стран"
        n = j + 1
        if self._joined(j) and self._word(n).casefold() in self.lang.from_words and self._joined(n):
            n += 1
        if self.code == "en" and self._word(n).casefold() == "the" and self._joined(n - 1) and self._joined(n):
            n += 1
        if n < len(self.toks) and self._joined(n - 1):
            at = self.toks[n][0]
            both = self.lang.both.match(self.text, at)
            place = self.place_starting.get(at)
            if both:
                parts.both, parts.end = True, both.end()
            elif place is not None and not parts.whose and place.kind in ("country", "region") and (parts.who or parts.which):
                # a place after the noun makes a group only with who or which words ("представители
                # компаний из КНР"); a bare "компании Gansu ..." opens a company's name
                parts.whose, parts.country, parts.end = _short_place(place), place.country, place.end
        return parts

    def _kazakh(self, i: int, j: int) -> _Parts | None:
        parts = _Parts(self.toks[i][0], self.toks[j][1])
        first = self._left_modifiers(i - 1, parts)
        # "екі елдің ...": the two countries
        lo = self.toks[max(0, first - 3)][0]
        for b in self.lang.both.finditer(self.text, lo, self.toks[first][0] if first <= i else parts.start):
            gap = self.text[b.end():self.toks[first][0]]
            if not parts.whose and (gap == "" or _SPACE.fullmatch(gap)):
                parts.both, first = True, self.at_start.get(b.start(), first)
        parts.start = self.toks[first][0]
        if self._joined(j):
            who = _lookup(self.lang.who, self._word(j + 1), False)
            if who:
                parts.who, parts.end = who, self.toks[j + 1][1]
        return parts


def generic_groups(text: str, language: str | None, found_places: list[Found]) -> list[Found]:
    """The generic groups ``text`` names where its sentence tells of an event, in order of appearance."""
    if language not in ("ru", "kk", "en"):
        return []
    return _Reader(text, language, found_places).groups()


@lru_cache(maxsize=4)
def _acting_cue(code: str) -> re.Pattern[str]:
    d: dict[str, Any] = vocab.entry("general_orgs", code)
    return re.compile(f"(?:{d['cue']})|(?:{d['project_cue']})", re.IGNORECASE)


def acting_groups(text: str, language: str | None, found_places: list[Found]) -> list[Found]:
    """Finder set 6: the generic groups ``text`` names where its sentence tells of an event or of a
    project ("Chinese investors will build a plant"): a group that builds, invests or opens is as much
    a party as one that meets."""
    if language not in ("ru", "kk", "en"):
        return []
    return _Reader(text, language, found_places, _acting_cue(language)).groups()


def more_groups(text: str, language: str | None, found_places: list[Found]) -> list[Found]:
    """Finder set 7: set 6's acting groups with each language's further words (general_orgs.json,
    "more"): buyers, suppliers and contractors as well as companies; business named as a whole ("Chinese
    business", "китайского бизнеса"); and more words of what kind ("energy", "энергетикалық")."""
    if language not in ("ru", "kk", "en"):
        return []
    return _Reader(text, language, found_places, _acting_cue(language), more=True).groups()


# ------------------------------------------------------------------ named bodies by their head noun

_QUOTE_OPEN = "«“\""
_QUOTE_CLOSE = {"«": "»", "“": "”", "\"": "\""}
_ORG_FINDER = "general_orgs"
_LATIN = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=4)
def _names_lang(code: str) -> dict[str, Any]:
    d: dict[str, Any] = vocab.entry("general_orgs", code)
    heads = sorted(d["name_heads"], key=len, reverse=True)
    out = dict(d)
    out["head_re"] = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(h) for h in heads) + r")"
                                + (r"s?(?![\w\-])" if code == "en" else d["head_suffix"] + r"(?![\w\-])"), re.IGNORECASE if code != "en" else 0)
    for key in ("adjective_end", "verb_end", "case_end"):
        if key in d:
            out[key] = re.compile(rf"(?:{d[key]})\Z", re.IGNORECASE)
    out["stop"] = frozenset(d.get("stop", []))
    return out


class _Names(_Reader):
    """Named bodies: a head noun (association, chamber, fund, university, ...) with the words that
    make its name, the name opening with a capital letter."""

    def __init__(self, text: str, code: str, found_places: list[Found]):
        super().__init__(text, code, found_places)
        self.n = _names_lang(code)

    def _cap(self, k: int) -> bool:
        w = self._word(k)
        return w[:1].isupper()

    def _cut_by_brackets(self, last: int) -> bool:
        """A bracket inside the name ("Council of Central (National) Banks"): the words read so far are
        not the whole name; a bracket after it ("Institute for Studies (KISS)") only glosses it."""
        if self._word(last + 1) != "(":
            return False
        close = self.text.find(")", self.toks[last][1], self.toks[last][1] + 40)
        rest = self.text[close + 1:close + 3] if close > 0 else ""
        return close < 0 or (rest[:1] == " " and rest[1:2].isupper())

    def _in_place(self, k: int) -> bool:
        at = self.toks[k][0]
        return any(p.start <= at < p.end for p in self.place_starting.values() if p.start >= at - 40)

    def _quoted_end(self, k: int) -> int | None:
        """Token ``k`` opens a quote closed within 80 characters: the offset after the closing mark."""
        w = self._word(k)
        if w not in _QUOTE_OPEN or not (0 < k < len(self.toks)):
            return None
        at = self.toks[k][1]
        close = self.text.find(_QUOTE_CLOSE[w], at, at + 80)
        return close + 1 if close > at and "\n" not in self.text[at:close] else None

    def _en(self, start: int, end: int, head: int) -> str:
        """The English name, word by word: the small word table, places by the gazetteer, other words
        spelled in Latin letters; Russian "X of Y of Z", Kazakh in its own (English-like) order."""
        words_en = self.n.get("words", {})
        links = self.n.get("link", {})
        adj = self.n.get("adjective_end")
        before: list[tuple[str, bool]] = []  # (English, a noun that an "of" may join)
        after: list[tuple[str, bool]] = []
        k = self.at_start.get(start, head)
        quoted = False
        while k < len(self.toks) and self.toks[k][0] < end:
            s, e, w = self.toks[k]
            side = before if k < head else after
            place = self.place_starting.get(s)
            if k == head or not w[:1].isalnum():
                if k != head and (w in _QUOTE_OPEN or w in _QUOTE_CLOSE.values()):
                    quoted = not quoted
                    side.append(("", False))  # a quoted name is not joined by "of"
                elif k != head and quoted:
                    side.append((w, False))
                k += 1
                continue
            if place is not None and place.end <= end and place.end in self.at_end and w[:1].isupper():
                side.append((_short_place(place) if place.kind != "country" else place.en, not quoted))
                k = self.at_end.get(place.end, k) + 1
                continue
            whole = _lookup(words_en, w, False) if "-" not in w else words_en.get(
                max((key for key in words_en if "-" in key and w.casefold().startswith(key)), key=len, default=""))
            pieces = [whole] if whole else [
                _lookup(words_en, p, False) or (english_cyrillic(p).capitalize() if p[:1].isupper() or self.code == "kk"
                                                 else str(links.get(p.casefold(), english_cyrillic(p)))) for p in w.split("-")]
            noun = not quoted and w.casefold() not in links and not (adj is not None and adj.search(w))
            side.append(("-".join(pieces), noun))
            k += 1
        head_en = str(_lookup(self.n["name_heads"], self._word(head), False) or self._word(head))
        # "Торгово-промышленная палата": the adjective already says the head
        fused = [en for en, _ in before if en.startswith(head_en + " ")]
        if fused:
            head_en = fused[0]
            before = [(en, n) for en, n in before if en != head_en]
        if self.code == "kk":
            words = [en for en, _ in before + [(head_en, True)] + after if en]
            mark = self.n.get("named_after")
            named = _lookup(words_en, mark, False) if mark else None
            if named in words:  # "X атындағы ... университеті": "... University named after X"
                at = words.index(named)
                words = words[at + 1:] + [named] + words[:at]
            return " ".join(words)
        tail: list[str] = []
        prev_noun = True
        for en, noun in after:
            if noun and prev_noun and en not in links.values():
                tail.append("of")
            tail.append(en)
            prev_noun = noun and en not in links.values()
        if tail and tail[0] not in ("of", "") and not (after and after[0][0] in links.values()):
            tail.insert(0, "of")
        return " ".join(w for w in [*(en for en, _ in before), head_en, *tail] if w)

    def names(self) -> list[Found]:
        out: list[Found] = []
        for m in self.n["head_re"].finditer(self.text):
            i = self.at_start.get(m.start())
            if i is None or self.at_end.get(m.end()) != i:
                continue
            span = self._english_name(i) if self.code == "en" else self._kazakh_name(i) if self.code == "kk" else self._russian_name(i)
            if span is None:
                continue
            start, end = span
            words = _TOKEN.findall(self.text[start:end])
            if sum(1 for w in words if w[:1].isalnum()) < 2:
                continue
            name = self.text[start:end]
            country = next((p.country for s, p in self.place_starting.items() if start <= s < end and p.country), None)
            if country is None:
                country = next((w[1] for t in words if (w := _lookup(self.lang.whose, t, self.lang.exact))), None)
            en = name if self.code == "en" else self._en(start, end, i)
            out.append(Found(start, end, "organization", name, en, country, _ORG_FINDER))
        return out

    def _russian_name(self, i: int) -> tuple[int, int] | None:
        adj, stop = self.n["adjective_end"], self.n["stop"]
        k = i - 1
        while k >= 0 and i - k <= 3 and self._joined(k) and adj.search(self._word(k)) and self._word(k).casefold() not in stop:
            k -= 1
        first = next((x for x in range(k + 1, i + 1) if self._cap(x)), None)
        end = self.toks[i][1]
        n, taken = i + 1, 0
        links = self.n.get("link", {})
        while n < len(self.toks) and taken < 6 and self._joined(n - 1):
            w = self._word(n)
            q = self._quoted_end(n)
            if q is not None:
                end = q
                break
            low = w.casefold()
            if not w[:1].isalnum() or low in stop:
                break
            if _LATIN.search(w):
                break
            if low in links:
                if not (self._joined(n) and (low not in self.n.get("link_before_a_name", ()) or self._cap(n + 1))):
                    break
            elif not w[:1].isupper() and self.n["verb_end"].search(low):
                break
            elif w[:1].isupper() and not w.isupper() and not self._in_place(n):
                break  # a person's or company's name after the body's: not the body's
            else:
                end = self.toks[n][1]
            n += 1
            taken += 1
        if first is None:  # a common noun opens a name only where a quoted name ends it: "платформа ... «X»"
            if self.text[end - 1:end] not in _QUOTE_CLOSE.values():
                return None
            first = i
        if end == self.toks[i][1] and self._sentence_start(self.toks[first][0]) and not self._cap(i):
            return None  # "Китайские банки ...": a sentence's capital, a common noun, no name
        return self.toks[first][0], end

    def _kazakh_name(self, i: int) -> tuple[int, int] | None:
        stop, case = self.n["stop"], self.n["case_end"]
        k = i - 1
        while k >= 0 and i - k <= 5 and self._joined(k):
            w = self._word(k)
            if not w[:1].isalnum() or w.casefold() in stop or _LATIN.search(w) or (
                    case.search(w) and self.place_ending.get(self.toks[k][1]) is None):
                break
            k -= 1
        first = next((x for x in range(k + 1, i + 1) if self._cap(x)), None)
        if first is None:
            return None
        end = self.toks[i][1]
        if self._joined(i):
            q = self._quoted_end(i + 1)
            end = q if q is not None else end
        return self.toks[first][0], end

    def _english_name(self, i: int) -> tuple[int, int] | None:
        if not self._cap(i):
            return None
        k = i - 1
        while k >= 0 and i - k <= 4 and self._joined(k) and (self._cap(k) or self._word(k) == "&"):
            k -= 1
        first = k + 1
        if self._word(first) == "The":
            first += 1
        end = self.toks[i][1]
        n = i + 1
        if self._joined(i) and self._word(n) in ("of", "for", "on"):
            m = n + 1
            if self._joined(n) and self._word(m) == "the":
                m += 1
            last = None
            while m < len(self.toks) and m - n <= 8 and self._joined(m - 1):
                if self._cap(m):
                    last = m
                elif not (self._word(m) in ("and", "of", "for", "the") and self._cap(m + 1)):
                    break
                m += 1
            if last is not None and not self._cut_by_brackets(last):
                end = self.toks[last][1]
        return self.toks[first][0], end


def named_bodies(text: str, language: str | None, found_places: list[Found]) -> list[Found]:
    """Named bodies other than government: associations, chambers, funds, universities, ..."""
    if language not in ("ru", "kk", "en"):
        return []
    return _Names(text, language, found_places).names()


def organisations(text: str, language: str | None, found_places: list[Found]) -> list[Found]:
    """This module's readers together: generic groups and named bodies."""
    return generic_groups(text, language, found_places) + named_bodies(text, language, found_places)
