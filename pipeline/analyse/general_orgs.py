"""Generic groups named as parties, read by how Russian, Kazakh and English form them.

The spec makes a group named only generically one party of kind organization ("representatives of
various Chinese companies", "Kazakh partners", "heads of Xinjiang enterprises"). Set 1's groups
(pipeline/analyse/groups.py) takes one only where a meeting was with it and only on the China side;
this reader takes a group wherever its sentence tells of an event (a meeting, talks, a signing, a
forum, a visit), on either side, put together from its parts:

- who: representatives, heads, a delegation, members (optional);
- which / how many: various, leading, "over 80" (optional);
- what: companies, enterprises, entrepreneurs, investors, business circles, partners, ...;
- whose (required): a country adjective (Chinese, Kazakh), a place the gazetteer knows (a region,
  a country: "of Xinjiang", "Шыңжаң ...", "из КНР"), or "the two countries".

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
from pipeline.core import vocab

_TOKEN = re.compile(r"[\w\-]+|[^\w\s]")
_SPACE = re.compile(r"[ \t\u00a0]+")
_SENT_END = re.compile(r"[.!?](?=\s|\Z)|\n")  # not the point inside "1.6"
_DIGITS = re.compile(r"\d")
_PLURAL_RU = ("их", "ие", "им", "ими")  # a Russian adjective agreeing with a plural noun
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


@lru_cache(maxsize=4)
def _lang(code: str) -> _Lang:
    d: dict[str, Any] = vocab.entry("general_orgs", code)
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
    core = " ".join([*(p.whose if w == _WHOSE else w for w in which), what])
    if p.both:
        core += " of the two countries"
    name = f"{p.who} of {core}" if p.who else core
    return name[:1].upper() + name[1:]


class _Reader:
    def __init__(self, text: str, code: str, found_places: list[Found]):
        self.text = text
        self.code = code
        self.lang = _lang(code)
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
        if w is not None and self.code == "ru" and not word.casefold().endswith(_PLURAL_RU):
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
        return self.lang.cue.search(self.text, s, e) is not None

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
        # whose, after: "... из КНР", "... of Xinjiang", "... двух стран"
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
