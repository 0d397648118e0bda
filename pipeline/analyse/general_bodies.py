"""Government bodies as parties, in kk, ru, en and zh (a finder-set-2 reader).

Three general sources, none taken from any article:

- a gazetteer of the ministries and main state bodies of Kazakhstan and of the PRC State Council
  (``data/general_bodies.json``: "Ministry of Energy" / "министерство энергетики" / "Энергетика
  министрлігі" / "能源部"), each qualified by the country written next to it ("Kazakh Ministry of
  Energy", "Министерство энергетики РК", "ҚР Энергетика министрлігі", "哈萨克斯坦能源部");
- embassies and consulates by word formation: "Embassy of X in Y", "X's Embassy in Y",
  "посольство X в Y", "X-тің Y-дағы елшілігі", "X驻Y大使馆"; the body's country is the sending
  state X;
- governments: "Government of X", "the X government", "правительство X", "X үкіметі", "X政府",
  and in Chinese a province's or a city's government or department ("X省人民政府", "X省商务厅").

Set 1's ``bodies()`` already reads a body word next to a region or a city in Cyrillic text (akimats,
provincial departments); this reader adds what it leaves: the countries' own bodies, and Chinese
text. A bare "the ministry" names no body and is never a candidate.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.analyse.finders import Found
from pipeline.analyse.model import non_overlapping
from pipeline.analyse.names import han_to_latin, latin
from pipeline.core import vocab

_FILE = "general_bodies"
_HAN = re.compile(r"[\u4e00-\u9fff]")
FINDER = "gov-body"
PLACE_BODY_FINDER = "place-body"  # finder set 6's Kazakh and Russian bodies read with their place: like set 1's
# bodies, a span that keeps the places inside it


@dataclass(frozen=True)
class _Mention:
    """A country (or, for an embassy's host, a place) written in the text."""
    start: int
    end: int
    code: str | None
    en: str
    country: bool


# ------------------------------------------------------------------ data


def _form_pattern(form: str) -> str:
    """A written form with room for case endings on its words (Russian, Kazakh), connectors exact."""
    if _HAN.search(form):
        return re.escape(form)
    connectors = set(vocab.words(_FILE, "connectors"))
    tail = vocab.text(_FILE, "word_tail")
    parts = []
    english = form.isascii()
    for w in re.split(r"[\s\u00a0]+", form.strip()):
        lead, core, trail = re.match(r"^(\W*)(.*?)(\W*)$", w).groups()  # type: ignore[union-attr]
        if english:  # English words as written; a plural only where a "-y" word becomes "-ies"
            body = re.escape(core[:-1]) + "(?:y|ies)" if core.endswith("y") and len(core) > 3 else re.escape(core)
        elif len(core) <= 3 or core.casefold() in connectors or not core.isalpha() or core.isupper():
            body = re.escape(core)
        else:
            n = len(core)
            keep = n - 1 if n <= 7 else n - 2 if n <= 10 else n - 3
            body = re.escape(core[:keep]) + tail
        parts.append(re.escape(lead) + body + re.escape(trail))
    return r"[\s\u00a0]+".join(parts)


def _abbr_pattern(abbr: str) -> str:
    """An acronym; a Cyrillic one may take a Russian case ending ("...-а", "...-ом")."""
    return re.escape(abbr) + ("" if abbr.isascii() else vocab.text(_FILE, "abbr_ending"))


@lru_cache(maxsize=1)
def _ministries() -> tuple[list[re.Pattern[str]], dict[str, dict[str, Any]]]:
    """The patterns over every written form: words (case-insensitive, one word boundary check and a
    first-letter look-ahead so most positions fail at once), Han forms, and acronyms (exact case).
    A named group per form leads back to its entry; the longest form is tried first."""
    entries: list[dict[str, Any]] = vocab.entry(_FILE, "ministries")
    groups: dict[str, dict[str, Any]] = {}
    words: list[tuple[str, str]] = []
    han: list[tuple[str, str]] = []
    abbrs: list[tuple[str, str]] = []
    for e in entries:
        for f in [*_all_forms(e), *e.get("abbr", [])]:
            g = f"f{len(groups)}"
            groups[g] = e
            (han if _HAN.search(f) else abbrs if f.isupper() and " " not in f else words).append((g, f))

    def alternation(items: list[tuple[str, str]], pattern: Any) -> str:
        return "|".join(f"(?P<{g}>{pattern(f)})" for g, f in sorted(items, key=lambda t: -len(t[1])))

    def first(items: list[tuple[str, str]]) -> str:
        return "".join(sorted({re.escape(c) for _, f in items for c in (f[0].lower(), f[0].upper())}))

    pats = [re.compile(rf"(?<![\w\-])(?=[{first(words)}])(?:{alternation(words, _form_pattern)})(?![\w\-])", re.IGNORECASE),
            re.compile(rf"(?=[{first(han)}])(?:{alternation(han, re.escape)}){vocab.text(_FILE, 'han_not_after')}"),
            re.compile(rf"(?<![\w\-])(?:{alternation(abbrs, _abbr_pattern)})(?![\w\-])")]
    return pats, groups


def _all_forms(e: dict[str, Any]) -> list[str]:
    return [f for k in ("en_forms", "ru", "kk", "zh") for f in e.get(k, [])]


@lru_cache(maxsize=1)
def _countries() -> list[tuple[str, str, re.Pattern[str]]]:
    table: dict[str, dict[str, str]] = vocab.table(_FILE, "countries")
    return [(code, v["en"], re.compile(v["regex"])) for code, v in table.items()]


@lru_cache(maxsize=1)
def _anchors() -> list[tuple[str, re.Pattern[str]]]:
    return [(word, re.compile(p)) for word, p in vocab.table(_FILE, "anchors").items()]


@lru_cache(maxsize=16)
def _gap(which: str, lang: str) -> re.Pattern[str]:
    gaps: dict[str, dict[str, str]] = vocab.table(_FILE, "gaps")
    return re.compile(gaps[which].get(lang, gaps[which]["en"]))


def _country_en(code: str) -> str:
    for c, en, _ in _countries():
        if c == code:
            return en
    return code


# ------------------------------------------------------------------ mentions of countries and places


class _Index:
    def __init__(self, text: str, found_places: list[Found]):
        ms: list[_Mention] = []
        for code, en, pat in _countries():
            for hit in pat.finditer(text):
                ms.append(_Mention(hit.start(), hit.end(), code, en, True))
        for p in found_places:
            if p.kind == "country":
                ms.append(_Mention(p.start, p.end, p.country, p.en, True))
            elif p.kind in ("city", "region"):
                ms.append(_Mention(p.start, p.end, p.country, p.en, False))
        # overlapping mentions: the longer one stays
        ms.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept = non_overlapping(ms, lambda m: (m.start, m.end))
        self.ms = sorted(kept, key=lambda m: m.start)
        self.starts = [m.start for m in self.ms]
        self.ends = [m.end for m in self.ms]
        self.text = text

    def left(self, pos: int, gap: re.Pattern[str]) -> _Mention | None:
        """The mention just before ``pos``, separated from it by ``gap`` exactly."""
        i = bisect.bisect_right(self.ends, pos) - 1
        if i < 0:
            return None
        m = self.ms[i]
        return m if pos - m.end <= 30 and gap.fullmatch(self.text, m.end, pos) else None

    def right(self, pos: int, gap: re.Pattern[str]) -> _Mention | None:
        """The mention just after ``pos``, separated from it by ``gap`` exactly."""
        i = bisect.bisect_left(self.starts, pos)
        if i >= len(self.ms):
            return None
        m = self.ms[i]
        return m if m.start - pos <= 30 and gap.fullmatch(self.text, pos, m.start) else None


def _lang(article_language: str, text: str, at: int) -> str:
    """The language of the words around ``at``: Han text reads as zh whatever the article's tag."""
    if _HAN.search(text[max(0, at - 1):at + 1]):
        return "zh"
    return article_language if article_language in ("en", "ru", "kk") else "en"


# ------------------------------------------------------------------ the readers


def _zh_short(text: str, pos: int) -> str | None:
    """A one-character country before ``pos`` ("哈" in "驻哈", "华" in "驻华")."""
    table: dict[str, str] = vocab.table(_FILE, "zh_short")
    code = table.get(text[pos - 1]) if pos > 0 else None
    if code and pos > 1 and table.get(text[pos - 2]) not in (None, code):
        return None  # "中哈...": both sides, a joint body's
    return code


def _host_after(text: str, pos: int, lang: str) -> tuple[int, str] | None:
    """A host city the gazetteer does not know, written after "in"/"в": its end and English name."""
    gap = _gap("in", lang).match(text, pos)
    if gap is None:
        return None
    hw = re.compile(vocab.table(_FILE, "host_word")[lang]).match(text, gap.end())
    return (hw.end(), latin(hw.group())) if hw else None


def _mission_zh(text: str, s: int, e: int, idx: _Index) -> tuple[int, tuple[str | None, str], tuple[str | None, str]] | None:
    """"X驻Y大使馆": (start, (sender code, sender en), host en)."""
    abroad = vocab.text(_FILE, "zh_abroad")
    y = idx.left(s, re.compile(r"(?:\u56fd)?"))  # "...国大使馆"
    if y is not None and text[y.start - len(abroad):y.start] == abroad:
        ystart, y_code, y_en = y.start, y.code, y.en
    elif (c := _zh_short(text, s)) is not None and text[s - 1 - len(abroad):s - 1] == abroad:
        ystart, y_code, y_en = s - 1, c, _country_en(c)
    else:
        k = text.rfind(abroad, max(0, s - 6), s)
        if k < 0 or not re.fullmatch(vocab.table(_FILE, "host_word")["zh"], text[k + 1:s]):
            return None
        ystart, y_code, y_en = k + 1, None, han_to_latin(text[k + 1:s]).title()
    xpos = ystart - len(abroad)
    x = idx.left(xpos, re.compile(""))
    if x is not None and x.country:
        return x.start, (x.code, x.en), (y_code, y_en)
    if (c := _zh_short(text, xpos)) is not None:
        return xpos - 1, (c, _country_en(c)), (y_code, y_en)
    if y_code in ("KZ", "CN"):
        other = "CN" if y_code == "KZ" else "KZ"  # "驻哈使馆" in a Chinese text: China's
        return xpos, (other, _country_en(other)), (y_code, y_en)
    return None


def _mission_kk(text: str, s: int, idx: _Index) -> tuple[int, tuple[str | None, str], tuple[str | None, str]] | None:
    """"X-тің Y-дағы елшілігі" / "X елшілігі": (start, (sender code, sender en), host en)."""
    before = _gap("before", "kk")
    locative = re.compile(vocab.text(_FILE, "kk_locative"))
    m1 = idx.left(s, re.compile(vocab.table(_FILE, "gaps")["mission_before_kk"]))
    if m1 is not None and locative.search(text[m1.start:s]):
        m0 = idx.left(m1.start, before)
        if m0 is not None and m0.country:
            return m0.start, (m0.code, m0.en), (m1.code, m1.en)
        return None
    if m1 is not None and m1.country:
        return m1.start, (m1.code, m1.en), (None, "")
    hw = re.search("(" + vocab.table(_FILE, "host_word")["kk"] + r")[\s\u00a0]+$", text[max(0, s - 40):s])
    if hw is None:
        return None
    at = max(0, s - 40) + hw.start(1)
    m0 = idx.left(at, before)
    if m0 is None or not m0.country:
        return None
    host = re.sub(vocab.text(_FILE, "kk_locative"), "", hw.group(1))
    return m0.start, (m0.code, m0.en), (None, latin(host))


def _host_en(word: str, sender: str | None, host: tuple[str | None, str]) -> str:
    """The host in a mission's English name: an embassy is in a country ("Embassy of Kazakhstan in
    China", even where the text names the capital); where no host is written, a Kazakh mission is in
    China and a Chinese one in Kazakhstan, the two this domain is about. A consulate keeps its city."""
    code, en = host
    if word == "Embassy":
        if code:
            return _country_en(code)
    else:
        return en
    other = {"KZ": "CN", "CN": "KZ"}.get(sender or "")
    return _country_en(other) if other else ""


def _missions(text: str, language: str, idx: _Index) -> list[Found]:
    out = []
    for word, pat in _anchors():
        if word == "Government":
            continue
        for a in pat.finditer(text):
            s, e = a.start(), a.end()
            lang = _lang(language, text, s)
            host: tuple[str | None, str] = (None, "")
            if lang in ("zh", "kk"):
                got = _mission_zh(text, s, e, idx) if lang == "zh" else _mission_kk(text, s, idx)
                if got is None:
                    continue
                start, sender, host = got
                end = e
            else:
                x = idx.right(e, _gap("of", lang))
                start, end = s, e
                if x is not None and x.country:
                    sender, end = (x.code, x.en), x.end
                else:
                    x = idx.left(s, _gap("before", lang))
                    if x is None or not x.country:
                        continue
                    sender, start = (x.code, x.en), x.start
                y = idx.right(end, _gap("in", lang))
                if y is not None:
                    host, end = (y.code, y.en), y.end
                elif (h := _host_after(text, end, lang)) is not None:
                    end, host = h[0], (None, h[1])
            name_en = f"{word} of {sender[1]}" + (f" in {hn}" if (hn := _host_en(word, sender[0], host)) else "")
            out.append(Found(start, end, "government", text[start:end], name_en, sender[0], FINDER))
    return out


def _governments(text: str, language: str, idx: _Index) -> list[Found]:
    out = []
    pat = dict(_anchors())["Government"]
    place_gap = re.compile(vocab.text(_FILE, "zh_place_gap"))
    for a in pat.finditer(text):
        s, e = a.start(), a.end()
        lang = _lang(language, text, s)
        start, end = s, e
        code: str | None
        if lang == "zh":
            x = idx.left(s, place_gap)
            if x is None:
                c = _zh_short(text, s)
                if c not in ("KZ",):
                    continue
                start, code, en = s - 1, c, _country_en(c)
            else:
                start, code, en = x.start, x.code, x.en
        else:
            x = idx.right(e, _gap("of", lang))
            if x is not None and x.country:
                end, code, en = x.end, x.code, x.en
            else:
                x = idx.left(s, _gap("before", lang))
                if x is None or not x.country:
                    continue  # a region's government in Cyrillic or Latin text is set 1's
                start, code, en = x.start, x.code, x.en
        out.append(Found(start, end, "government", text[start:end], f"Government of {en}", code, FINDER))
    return out


def _en_local(text: str, idx: _Index) -> list[Found]:
    """A region's or a city's government or akimat in English, lower-case where set 1's capitalised
    runs miss it: "the Jiangsu provincial government", "the akimat of Almaty Region"."""
    g: dict[str, str] = vocab.table(_FILE, "en_local")
    before, of = re.compile(g["before"]), re.compile(g["of"])
    out = []
    for a in re.finditer(g["anchor"], text):
        word = a.group().capitalize()
        x = idx.right(a.end(), of)
        start, end = a.start(), a.end()
        if x is not None and not x.country:
            end = x.end
        else:
            x = idx.left(a.start(), before)
            if x is None or x.country:
                continue
            start = x.start
        en = f"{x.en} Akimat" if word == "Akimat" else f"Government of {x.en}"
        out.append(Found(start, end, "government", text[start:end], en, x.code, FINDER))
    return out


@lru_cache(maxsize=1)
def _zh_departments() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    d: dict[str, dict[str, str]] = vocab.table(_FILE, "zh_departments")
    fields, forms = d["fields"], d["forms"]
    f_re = "|".join(re.escape(f) for f in sorted(fields, key=len, reverse=True))
    k_re = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(f"({f_re})({k_re})"), fields, forms


def _departments(text: str, idx: _Index) -> list[Found]:
    """A Chinese province's or city's department: "X省商务厅", "X市商务局", "X自治区发展和改革委员会"."""
    out = []
    pat, fields, forms = _zh_departments()
    place_gap = re.compile(vocab.text(_FILE, "zh_place_gap"))
    for m in pat.finditer(text):
        x = idx.left(m.start(), place_gap)
        if x is None or x.country:
            continue  # a country's ministry is the gazetteer's
        en = forms[m.group(2)].format(field=fields[m.group(1)], place=x.en)
        out.append(Found(x.start, m.end(), "government", text[x.start:m.end()], en, x.code, FINDER))
    return out


def _ministry_hits(text: str, language: str, idx: _Index) -> list[Found]:
    pats, groups = _ministries()
    defaults: dict[str, str] = vocab.table(_FILE, "en_default")
    out = []
    hits = [m for pat in pats for m in pat.finditer(text)]
    for m in hits:
        g = m.lastgroup
        if g is None:
            continue
        e = groups[g]
        s, end = m.start(), m.end()
        lang = _lang(language, text, s)
        start = s
        code: str | None = None
        q = idx.left(s, _gap("before", lang))
        if q is not None and q.country:
            start, code = q.start, q.code
        elif lang == "zh" and (c := _zh_short(text, s)) is not None and c == "KZ":
            start, code = s - 1, c
        else:
            q = idx.right(end, _gap("of", lang))
            if q is not None and q.country:
                end, code = q.end, q.code
        if code is None:
            code = e["countries"][0] if len(e["countries"]) == 1 else defaults.get(lang, "KZ")
        en = e.get("full", {}).get(code) or f"{e['en']} of {_country_en(code or '')}"
        out.append(Found(start, end, e.get("kind", "government"), text[start:end], en, code, FINDER))
    return out


@lru_cache(maxsize=1)
def _zh_generic() -> tuple[re.Pattern[str], dict[str, str], str, str]:
    g: dict[str, Any] = vocab.table(_FILE, "zh_generic_ministry")
    return re.compile(g["regex"].format(stop=re.escape(g["stop"]))), g["countries"], g["bad_end"], g["only_direction"]


def _zh_generic_ministries(text: str) -> list[Found]:
    """"哈萨克斯坦...部" / "中国...部": a ministry the gazetteer does not list, named with its country."""
    pat, countries, bad_end, direction = _zh_generic()
    out = []
    for m in pat.finditer(text):
        core = m.group(2)
        if core[-1] in bad_end or all(c in direction for c in core):
            continue
        code = countries[m.group(1)]
        kind = vocab.table(_FILE, "zh_generic_ministry")["en_kind"][m.group(3)]
        en = f"{kind} of {han_to_latin(core).title()} of {_country_en(code)}"
        out.append(Found(m.start(), m.end(), "government", m.group(), en, code, FINDER))
    return out


def _generic_ministries(text: str, language: str, idx: _Index, taken: list[Found]) -> list[Found]:
    """A ministry the gazetteer does not list, named with its country: "Министерство ... РК",
    "ҚР ... министрлігі" (its words lower-case after the first)."""
    g: dict[str, Any] = vocab.table(_FILE, "generic_ministry")
    spans = sorted((f.start, f.end) for f in taken)

    def inside(a: int, b: int) -> bool:
        i = bisect.bisect_right(spans, (a, len(text) + 1)) - 1
        return i >= 0 and spans[i][0] <= a and spans[i][1] >= b

    out = []
    if language == "ru":
        word = re.compile(g["ru_word"])
        for m in re.finditer(g["ru_anchor"], text):
            pos, words = m.end(), list[str]()
            for _ in range(g["max_words"]):
                w = word.match(text, pos)
                if w is None:
                    break
                pos, words = w.end(), [*words, w.group().strip()]
                x = idx.right(pos, _gap("of", "ru"))
                if x is not None and x.country and words[-1] not in vocab.words(_FILE, "connectors"):
                    if not inside(m.start(), x.end):
                        en = f"Ministry of {latin(' '.join(words))} of {x.en}"
                        out.append(Found(m.start(), x.end, "government", text[m.start():x.end], en, x.code, FINDER))
                    break
    elif language == "kk":
        before = _gap("before", "kk")
        for m in re.finditer(g["kk_anchor"], text):
            if inside(m.start(), m.end()):
                continue
            window_start = max(0, m.start() - 120)
            starts = [window_start + w.start() for w in re.finditer(r"\S+", text[window_start:m.start()])]
            for a in reversed(starts[-g["max_words"]:]):
                if re.search(r"[.;:!?()\"«»]", text[a:m.start()]):
                    break
                words = text[a:m.start()].split()
                if any(w[:1].isupper() for w in words[1:]):
                    break
                x = idx.left(a, before)
                if x is not None and x.country:
                    en = f"Ministry of {latin(' '.join(words))} of {x.en}"
                    out.append(Found(x.start, m.end(), "government", text[x.start:m.end()], en, x.code, FINDER))
                    break
    return out


def government_bodies(text: str, language: str, found_places: list[Found]) -> list[Found]:
    """Every government body this reader sees in ``text`` (an article in ``language``)."""
    idx = _Index(text, found_places)
    found = _ministry_hits(text, language, idx)
    found += _generic_ministries(text, language, idx, found)
    found += _missions(text, language, idx) + _governments(text, language, idx)
    if language == "en":
        found += _en_local(text, idx)
    if _HAN.search(text):
        found += _departments(text, idx) + _zh_generic_ministries(text)
    # one span per place in the text: where two of this reader's spans overlap, the longer stays
    found.sort(key=lambda f: (-(f.end - f.start), f.start))
    kept = non_overlapping(found, lambda f: (f.start, f.end))
    return sorted(kept, key=lambda f: f.start)


# ------------------------------------------------------------------ finder set 6: Kazakh bodies of a place


@lru_cache(maxsize=1)
def _kk_bodies() -> tuple[re.Pattern[str], dict[str, list[str]], dict[str, str], re.Pattern[str], re.Pattern[str]]:
    d: dict[str, Any] = vocab.entry(_FILE, "kk_place_bodies")
    heads: dict[str, list[str]] = d["heads"]
    head = re.compile(r"(?<![\w\-])(" + "|".join(sorted(map(re.escape, heads), key=len, reverse=True)) + r")\w*", re.IGNORECASE)
    return head, heads, d["words"], re.compile(d["gap_word"]), re.compile(d["genitive"])


def kazakh_bodies(text: str, found_places: list[Found]) -> list[Found]:
    """A Kazakh body named after its place, with the words that say what it does between them
    ("Қарағанды облысының өнеркәсіп және индустриялық-инновациялық даму басқармасы", "Шэньчжэнь
    қаласының сауда басқармасы", "Қытай мемлекеттік электр желісі корпорациясы"): a place in the
    genitive or a country, up to six lower-case words (the first may be capitalised), the head word.
    Kazakh puts the place first, so a place after the head word is never read as its own."""
    head, heads, words_en, gap_word, genitive = _kk_bodies()
    designators = set(vocab.entry(_FILE, "kk_place_bodies")["place_words"])
    by_end: dict[int, Found] = {}
    for p in sorted(found_places, key=lambda p: p.end - p.start):
        if p.kind in ("region", "city", "country"):
            by_end[p.end] = p
    out = []
    for m in head.finditer(text):
        word_en, kind = next(v for k, v in heads.items() if m.group(1).casefold().startswith(k))
        words: list[str] = []
        pos = m.start()
        place = None
        for _ in range(7):
            gap = re.search(r"(\S+)[ \u00a0]+\Z", text[max(0, pos - 60):pos])
            if gap is None:
                break
            w_start = pos - len(gap.group())
            w_end = w_start + len(gap.group(1))
            g = genitive.fullmatch(gap.group(1))
            # "Шэньчжэнь қаласының": a place word's genitive after the place itself
            ends = (w_end, w_start + g.end(1) if g else -1,
                    w_start - 1 if g and g.group(1).casefold() in designators else -1)
            at = next((by_end[e] for e in ends if e in by_end), None)
            if at is not None and (g is not None or at.kind == "country"):
                place = at
                break
            if not gap_word.fullmatch(gap.group(1)) or (gap.group(1)[:1].isupper() and words):
                break
            words.insert(0, gap.group(1))
            pos = w_start
        if place is None or not words and kind != "government" or len(words) > 6:
            continue
        en_words = [words_en.get(w.casefold(), None) if w.casefold() in words_en else latin(w).capitalize() for w in words]
        what = " ".join(w for w in en_words if w)
        name = text[place.start:m.end()]
        if place.kind == "country" and kind != "government":
            en = f"{place.en} {what} {word_en}".replace("  ", " ")  # "China State Grid Corporation": English order
        else:
            en = f"{word_en} of {what + ' of ' if what else ''}{place.en}"
        out.append(Found(place.start, m.end(), kind, name, en, place.country, PLACE_BODY_FINDER))
    return out


def russian_bodies(text: str, found_places: list[Found]) -> list[Found]:
    """A Russian body named before its place, with the lower-case words that say what it does
    between them ("Управление предпринимательства и индустриально-инновационного развития
    Карагандинской области", "Бюро коммерции города X"): the head word, up to eight lower-case
    words, the place (after "города", "провинции", ... where the text says so). Set 1 reads a place
    within a few words of the head word only."""
    d: dict[str, Any] = vocab.entry(_FILE, "ru_place_bodies")
    heads: dict[str, list[str]] = d["heads"]
    head = re.compile(r"(?<![\w\-])(" + "|".join(sorted(map(re.escape, heads), key=len, reverse=True)) + r")\w*", re.IGNORECASE)
    word = re.compile(d["word"])
    designator = re.compile(d["designator"])
    starting: dict[int, Found] = {}
    for p in sorted(found_places, key=lambda p: p.end - p.start):
        if p.kind in ("region", "city"):
            starting[p.start] = p
    out = []
    for m in head.finditer(text):
        word_en, kind = next(v for k, v in heads.items() if m.group(1).casefold().startswith(k))
        pos, place, words = m.end(), None, 0
        while words <= 8:
            at = pos + len(text[pos:pos + 3]) - len(text[pos:pos + 3].lstrip(" \u00a0"))
            dz = designator.match(text, at)
            place = starting.get(at) or (starting.get(dz.end()) if dz else None)
            if place is not None:
                break
            w = word.match(text, at)
            if w is None or at == pos:
                break
            pos, words = w.end(), words + 1
        if place is None or words == 0:
            continue  # set 1 reads a body word straight before its place
        out.append(Found(m.start(), place.end, kind, text[m.start():place.end], f"{word_en} of {place.en}",
                         place.country, PLACE_BODY_FINDER))
    return out
