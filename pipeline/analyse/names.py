"""Names: a gazetteer of places and bodies with kk/ru/en/zh aliases, base forms of
inflected names, and transliteration, so the same party gets the same English
name whatever the article's language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from pipeline.core import vocab
from pipeline.core.textnorm import fold

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LAT = vocab.translit_table()  # data/translit.json: names spelled for display ("ё" -> "yo", "й" -> "y"); see textnorm


def translit(text: str) -> str:
    """Cyrillic (Russian and Kazakh) to Latin, keeping capitals: "Ерлан Сейітов" -> "Erlan Seitov"."""
    out = []
    for ch in text:
        low = ch.lower()
        if low in _LAT:
            lat = _LAT[low]
            out.append(lat.capitalize() if ch != low and lat else lat)
        else:
            out.append(ch)
    return "".join(out)


_VOWELS = set(vocab.text("names", "vowels"))
_YE = vocab.text("names", "ye")
_SIGNS = vocab.text("names", "signs")
_SHORT_I = vocab.text("names", "short_i")
_USUAL: dict[str, str] = vocab.table("translit", "variants")["usual"]  # a Kazakh name's usual English letters where they differ


def english_cyrillic(name: str, usual: bool = False) -> str:
    """A Kazakh or Russian person's name in the usual English spelling: BGN/PCGN's "ye" for "е"
    at a word's start and after a vowel ("Ерлан" -> "Yerlan", "Жұмабаев" -> "Zhumabayev"), and a word
    written in capitals spelled as a name ("ЖУМАБАЕВ" -> "Zhumabayev"). With ``usual``, as English
    writes Kazakh names: a short "й" between a vowel and a consonant is "i" ("Кайрат" -> "Kairat",
    "Айтмухамбетов" -> "Aitmukhambetov"; at a word's end it stays "y"), and "ң" is "n" ("Zhenis")."""
    text = "".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in re.split(r"(\s+|-)", name))
    out = []
    prev = ""
    for i, ch in enumerate(text):
        low = ch.lower()
        nxt = text[i + 1:i + 2].lower()
        if low == _YE and (not prev.isalpha() or prev.lower() in _VOWELS or prev.lower() in _SIGNS):
            out.append("Ye" if ch.isupper() else "ye")
        elif usual and low == _SHORT_I and prev.lower() in _VOWELS and nxt in _LAT and nxt not in _VOWELS \
                and nxt not in _SIGNS:
            out.append("I" if ch.isupper() else "i")
        elif usual and low in _USUAL:
            out.append(_USUAL[low].capitalize() if ch != low else _USUAL[low])
        else:
            out.append(translit(ch))
        prev = ch
    return "".join(out)


def han_to_latin(text: str, person: bool = False) -> str:
    """Pinyin for Han characters: a person as "Liu Bo", anything else word by word."""
    if person and 2 <= len(text) <= 4 and all(_HAN.match(c) for c in text):
        syl = lazy_pinyin(text)
        return f"{syl[0].capitalize()} {''.join(syl[1:]).capitalize()}"
    if person and "·" in text:  # a foreign name in Chinese letters: 叶尔兰·卡瑟莫夫 -> "Yeerlan Kasemofu"
        return " ".join("".join(lazy_pinyin(part)).capitalize() for part in text.split("·") if part.strip())
    parts = re.split(r"([\u4e00-\u9fff]+)", text)
    out = []
    for p in parts:
        if p and _HAN.match(p):
            out.append(" ".join(s.capitalize() for s in lazy_pinyin(p)))
        else:
            out.append(p)
    return re.sub(r"\s+", " ", " ".join(out)).strip()


def latin(text: str, person: bool = False) -> str:
    return translit(han_to_latin(text, person=person)) if _HAN.search(text) else translit(text)


# ------------------------------------------------------------------ gazetteer


@dataclass(frozen=True)
class Place:
    en: str
    kind: str  # region | city | country | government | organization | company
    country: str
    aliases: tuple[str, ...]


def _stem(word: str) -> str:
    if len(word) >= 6:
        word = vocab.regex("names", "latin_ending").sub("", word)
    return word


def _alias_pattern(alias: str) -> str | None:
    if _HAN.search(alias):
        return None
    if vocab.regex("names", "acronym").fullmatch(alias):  # an acronym: whole word only
        return rf"(?<![a-z0-9]){re.escape(fold(alias))}(?![a-z0-9])"
    words = fold(alias).split()
    if not words or sum(len(w) for w in words) < 4:
        return None
    return r"(?<![a-z0-9])" + r"\s+".join(re.escape(_stem(w)) + r"[a-z]*" for w in words)


# Words that say what kind of place a name is, dropped before a look-up:
# "провинции Чжэцзян", "Ханчжоу қаласында", "city of Wenzhou".
_DESIGNATOR = vocab.regex("names", "designator")
_FINAL_A = re.compile(r"a(\[a-z\]\*)$")  # an alias pattern's last letter "a", then any ending


# A city's name that goes on into "область"/"облысы"/"region" names the region: "в Алматинской области".
_NOT_REGION = vocab.text("names", "not_region")


def _located(ft: str, start: int, end: int) -> bool:
    """The place is named as where something is ("located in", "headquartered in", Kazakh
    "... орналасқан"), not as where something happens."""
    return bool(vocab.regex("names", "located_before").search(ft[max(0, start - 40):start])
                or vocab.regex("names", "located_after").search(ft[end:end + 40]))


@dataclass(frozen=True)
class Hit:
    place: Place
    span: int  # length of the matched text (folded, or raw for Han)


LOOKUPS_KEPT = 100_000  # names looked up and kept (the same words recur; memory stays bounded)


class Gazetteer:
    def __init__(self, places: list[Place]):
        self.places = places
        self._looked_up: dict[str, Place | None] = {}  # a long page names the same words again and again
        self._latin: list[tuple[re.Pattern[str], Place]] = []
        self._han: list[tuple[str, Place]] = []
        for p in places:
            for a in p.aliases:
                pat = _alias_pattern(a)
                if pat:
                    self._latin.append((re.compile(pat), p))
                elif _HAN.search(a):
                    self._han.append((a, p))

    def find(self, text: str) -> list[Hit]:
        """Places and bodies mentioned in ``text``; the longest alias wins where two overlap."""
        hits: list[tuple[int, int, Place]] = []
        ft = fold(text) if not _HAN.search(text) else fold(_HAN.sub(" ", text))
        for pat, p in self._latin:
            for m in pat.finditer(ft):
                hits.append((m.start(), m.end(), p))
        offset = 10**7  # Han hits live in their own coordinate space
        for a, p in self._han:
            for m in re.finditer(re.escape(a), text):
                hits.append((offset + m.start(), offset + m.end(), p))
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        chosen: list[tuple[int, int, Place]] = []
        for h in hits:
            if all(h[1] <= c[0] or h[0] >= c[1] for c in chosen):
                chosen.append(h)
        return [Hit(p, e - s) for s, e, p in sorted(chosen, key=lambda h: h[0])]

    def lookup(self, name: str) -> Place | None:
        """The entry a party or place name stands for, when the name is (an inflected form of) one alias."""
        if name not in self._looked_up:
            if len(self._looked_up) > LOOKUPS_KEPT:
                self._looked_up.clear()
            self._looked_up[name] = self._lookup(name)
        return self._looked_up[name]

    def _lookup(self, name: str) -> Place | None:
        if not name or not name.strip():
            return None
        if _HAN.search(name):
            core = vocab.regex("names", "han_place_suffix").sub("", name.strip())
            for a, p in self._han:
                if core == a or core == vocab.regex("names", "han_place_suffix_short").sub("", a):
                    return p
        folded = _DESIGNATOR.sub(" ", fold(_HAN.sub(" ", name))).strip()
        folded = re.sub(r"\s+", " ", folded)
        if not folded:
            return None
        best: tuple[int, Place] | None = None
        for pat, p in self._latin:
            m = pat.search(folded)
            if m and (m.end() - m.start()) >= 0.7 * len(folded):
                size = m.end() - m.start()
                if best is None or size > best[0]:
                    best = (size, p)
        if best:
            return best[1]
        low = name.strip().casefold()
        for p in self.places:
            if any(low == a.casefold() for a in p.aliases):
                return p
        return None

    def fuzzy(self, name: str, among: set[Place], threshold: float = 0.85) -> Place | None:
        """The place among ``among`` whose alias is spelled most like ``name`` ("Hanchzhou" -> Hangzhou)."""
        f = _DESIGNATOR.sub(" ", fold(name)).strip()
        best: tuple[float, Place] | None = None
        for p in among:
            for a in p.aliases:
                if _HAN.search(a):
                    continue
                score = fuzz.ratio(f, fold(a)) / 100.0
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, p)
        return best[1] if best else None

    def locatives(self, text: str, kinds: tuple[str, ...] = ("city",)) -> list[Place]:
        """Places named as where something happens: "Шанхай қаласында", "в городе Ханчжоу",
        "Астанада", "in Hangzhou", "在杭州"; with ``kinds=("region",)`` regions: "в Мангистауской
        области", "Қостанай облысында", "in Aktobe Region", "在阿拉木图州"."""
        ft = fold(_HAN.sub(" ", text))
        found: list[tuple[int, Place]] = []
        for pat, p in self._latin:
            if p.kind not in kinds:
                continue
            stem = pat.pattern
            if p.kind == "city":
                # a name ending in -a changes its last vowel after "в" ("Корла" -> "в Корле")
                city = _FINAL_A.sub(r"[ae]\1", stem) + _NOT_REGION
                loc = re.compile(vocab.text("names", "city_locative").replace("<STEM_BARE>", stem.removesuffix("[a-z]*"))
                                 .replace("<STEM>", stem).replace("<CITY>", city))
                m = next((m for m in loc.finditer(ft) if not _located(ft, m.start(), m.end())), None)
                if m:
                    found.append((m.start(), p))
                continue
            for m in pat.finditer(ft):
                if _located(ft, m.start(), m.end()):
                    continue
                before = ft[max(0, m.start() - 8):m.start()]
                if vocab.regex("names", "before_locative").search(before) or vocab.regex("names", "locative_ending").search(m.group()):
                    found.append((m.start(), p))
                    break
        for a, p in self._han:
            m = re.search(vocab.text("names", "han_locative") + re.escape(a), text)
            if p.kind in kinds and m:
                found.append((m.start(), p))
        return list(dict.fromkeys(p for _, p in sorted(found, key=lambda f: f[0])))

    def mentions_country(self, text: str, country: str) -> bool:
        return any(h.place.country == country for h in self.find(text))


def _entries(file: str) -> list[Place]:
    raw = json.loads(resources.files("pipeline").joinpath(f"data/{file}").read_text("utf-8"))
    return [Place(e["en"], e["kind"], e["country"], tuple(e["aliases"])) for e in raw["entries"]]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(_entries("gazetteer.json"))


@lru_cache(maxsize=1)
def also_names() -> frozenset[str]:
    """The further places (``data/gazetteer_places.json``) whose names are people's names as often
    ("Satpayev", "Talgar"): finder set 6 does not read them as places."""
    raw = json.loads(resources.files("pipeline").joinpath("data/gazetteer_places.json").read_text("utf-8"))
    return frozenset(e["en"] for e in raw["entries"] if e.get("also_a_name"))


@lru_cache(maxsize=1)
def places_gazetteer() -> Gazetteer:
    """The gazetteer with further cities and former names (``data/gazetteer_places.json``), for the
    rules' question of where an event happened. The finders read ``gazetteer()`` alone, so the
    candidates a recorded prompt was shown do not change with this list."""
    return Gazetteer(gazetteer().places + _entries("gazetteer_places.json"))


# ------------------------------------------------------------------ base forms

_KK_CASE = vocab.words("names", "kk_case")
_KK_PERSON_SURNAME = vocab.regex("names", "kk_person_surname")  # a surname, then a case ending
_WORD = re.compile(r"[\w\-]+")


def _forms(text: str) -> dict[str, set[str]]:
    by_prefix: dict[str, set[str]] = {}
    for w in _WORD.findall(text):
        if len(w) >= 3:
            by_prefix.setdefault(w[:3].casefold(), set()).add(w)
    return by_prefix


def base_form(name: str, text: str, person: bool = False) -> str:
    """The name with case endings removed: each word becomes the shortest form of it the
    article also uses ("Дархана" -> "Дархан" when "Дархан" occurs), and a Kazakh case
    suffix on a surname is dropped ("Абдікәрімовтің" -> "Абдікәрімов")."""
    if _HAN.search(name) or not vocab.regex("names", "cyrillic").search(name):
        return name.strip()
    forms = _forms(text)
    words = name.split()
    # "Айжан Бижанова": a first name with no ending of its own marks the surname's -а as a woman's
    # name, not a case ending ("Абзала Абишева" is "Абзал Абишев" in the genitive)
    nominative = len(words) >= 2 and not vocab.regex("names", "first_name_ending").search(words[0])
    out = []
    for i, w in enumerate(words):
        best = w
        if person:
            m = _KK_PERSON_SURNAME.match(w)
            if m and not (nominative and i > 0 and m.group(2) in vocab.words("names", "feminine_endings")):
                best = m.group(1)
        if len(w) >= 4:
            stem = w[: max(3, len(w) - 3)].casefold()
            for cand in forms.get(w[:3].casefold(), ()):
                c = cand.casefold()
                if c.startswith(stem) and len(cand) < len(best) and len(cand) >= len(stem) + 1 \
                        and cand[0].isupper() == w[0].isupper():
                    best = cand
        out.append(best)
    return " ".join(out)


def similar(a: str, b: str) -> float:
    return fuzz.ratio(fold(a), fold(b)) / 100.0


# ------------------------------------------------------------------ Chinese names in Cyrillic

_P_INITIALS: dict[str, str] = vocab.table("names", "palladius_initials")
_P_FINALS: dict[str, str] = vocab.table("names", "palladius_finals")
_P_ZERO: dict[str, str] = vocab.table("names", "palladius_zero")  # syllables with no initial
# Syllables that Mandarin does not have are harmless: they never match a real name better.
_P_BAD = {("f", "ai"), ("b", "ong"), ("p", "ong"), ("m", "ong"), ("f", "ong")}


@lru_cache(maxsize=1)
def palladius() -> dict[str, str]:
    """Palladius (Russian) spelling of each Mandarin syllable, inverted: "цзян" -> "jiang"."""
    table: dict[str, str] = {}
    for pin, cyr in _P_ZERO.items():
        table.setdefault(cyr, pin)
    for ini, c_ini in _P_INITIALS.items():
        for fin, c_fin in _P_FINALS.items():
            if (ini, fin) in _P_BAD:
                continue
            if fin.startswith("v") and ini not in ("n", "l", "j", "q", "x"):
                continue
            if ini in ("j", "q", "x") and not (fin.startswith("i") or fin.startswith("v")):
                continue
            if ini in ("z", "c", "s") and fin.startswith("i") and fin != "i":
                continue
            if fin == "uo" and ini in ("b", "p", "m", "f"):
                continue
            if fin == "o" and ini not in ("b", "p", "m", "f"):
                continue
            cy = c_ini + c_fin
            if fin == "i" and ini in ("zh", "ch", "sh", "r"):
                cy = c_ini + vocab.text("names", "palladius_retroflex_i")
            elif fin == "i" and ini in ("z", "c", "s"):
                cy = vocab.table("names", "palladius_dental_i")[ini]
            elif fin == "ui" and ini == "h":
                cy = vocab.text("names", "palladius_hui")
            elif fin.startswith("v") and ini in ("j", "q", "x"):
                cy = c_ini + c_fin
            elif ini in ("zh", "ch", "sh", "r") and fin == "e":
                cy = c_ini + vocab.text("names", "palladius_retroflex_e")
            pin = ini + (fin.replace("v", "u") if ini in ("j", "q", "x") else fin.replace("v", "ü"))
            table.setdefault(cy, pin.replace("ü", "v").replace("v", "ü") if "ü" in pin else pin)
    table[vocab.text("names", "palladius_li")] = "li"
    return table


def chinese_from_cyrillic(name: str) -> str | None:
    """A Chinese name in Russian (Palladius) spelling back in pinyin: "Чэнь Линь" -> "Chen Lin";
    None when a word is not made of Mandarin syllables."""
    table = palladius()
    longest = max(len(k) for k in table)
    yo, ye, hard, soft = (vocab.text("names", k) for k in ("yo", "ye", "hard_sign", "soft_sign"))
    vowels = vocab.text("names", "syllable_vowels")
    words = []
    for word in name.split():
        raw = word.lower().replace(yo, ye).replace("-", "")
        # where a syllable opens with a vowel inside a word, Palladius writes "ъ" before it ("Чанъань");
        # a vowel straight after a syllable is a Russian case ending ("Ван Бина" is "Ван Бин"'s genitive)
        opens = {i - k for k, i in enumerate(m.start() for m in re.finditer(hard, raw))}
        w = raw.replace(hard, "")
        i, syl = 0, []
        while i < len(w):
            if i and w[i] in vowels and i not in opens:
                return None
            for n in range(min(longest, len(w) - i), 0, -1):
                if w[i:i + n] in table and (i + n == len(w) or w[i + n] not in soft):
                    syl.append(table[w[i:i + n]])
                    i += n
                    break
            else:
                return None
        if len(syl) > 2:  # a Chinese surname or given name has one or two syllables ("Бижанова" has four)
            return None
        words.append("".join(syl).capitalize())
    return " ".join(words) if words else None


# ------------------------------------------------------------------ a name the model wrote in Latin letters

_CYR_WORD = vocab.regex("names", "cyrillic_word")


def _sound(latin_text: str) -> str:
    """Latin letters folded so that spellings of one Cyrillic name meet ("Khao" ~ "Hao", "Sklyar" ~ "Sklar")."""
    s = fold(latin_text)
    for a, b in (("kh", "h"), ("zh", "j"), ("ya", "a"), ("yu", "u"), ("ye", "e"), ("iy", "i"), ("y", "i"),
                 ("ts", "c"), ("q", "k"), ("w", "v")):
        s = s.replace(a, b)
    return s


def written_in_letters(name: str, text: str) -> str | None:
    """The article's own Cyrillic spelling of a name the model gave in Latin letters
    ("Lyu Bo" -> "Лю Бо" in "... Лю Бомен кездесті"): consecutive capitalised
    Cyrillic words whose letters sound like the name's words, each cut to the length
    that sounds closest (case endings left off). None when nothing is close enough."""
    words = name.split()
    if not 1 <= len(words) <= 4 or re.search(r"[^A-Za-z'\-\s]", name) or not all(w[:1].isupper() for w in words):
        return None
    if len(words) == 1 and len(name) < 5:
        return None  # "Li" would sound like the start of any word
    target = [_sound(w) for w in words]
    cyr = list(_CYR_WORD.finditer(text))
    best: tuple[float, str] | None = None
    for i in range(len(cyr) - len(words) + 1):
        run = cyr[i:i + len(words)]
        if any(text[a.end():b.start()].strip() for a, b in zip(run, run[1:], strict=False)):
            continue  # the words must be adjacent
        parts, scores = [], []
        for m, t in zip(run, target, strict=True):
            w = m.group()
            # the closest-sounding cut, the longer one on a tie
            score, k = max((fuzz.ratio(_sound(translit(w[:k])), t), k) for k in range(max(2, len(w) - 4), len(w) + 1))
            parts.append(w[:k])
            scores.append(score)
        if min(scores) >= 75 and sum(scores) / len(scores) >= 85:
            cand = (sum(scores) / len(scores), " ".join(parts))
            if best is None or cand[0] > best[0]:
                best = cand
    return best[1] if best else None
