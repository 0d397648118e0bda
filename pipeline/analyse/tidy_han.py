"""Finder set 4's tidying of people named in Chinese (Han) text, after set 3's (pipeline.analyse.tidy).

Two general fixes, from how Chinese writes foreign names and titles (words in ``data/tidy_han.json``),
never from any article's parties:

1. A foreign name written in transliteration characters is cut where a Chinese name would end
   ("<title>XYZ夫" read as the three-character "XYZ") or taken for a Chinese name. A person span in
   Han characters (no "·": a name written part by part is left as it is) is foreign when the run
   of transliteration characters it opens ends in a transliteration tail ("-耶夫", "-诺娃",
   "-别克", ...) or holds a pair of characters only transliteration writes ("叶尔", "努尔", ...).
   Its span is extended to the whole name (to the longest run ending in a tail; a run with a marker
   only, to a word boundary), and its side is the country the title phrase right before it names
   (the part before "驻": "<country> ... 部长", "<country>驻华大使"), or None. A foreign name
   straight after a title that no finder read (a place read inside it hid it) is added.
2. A Chinese name (a common surname and one or two characters) straight after a title the set 1
   finder does not know ("外长", "局长", "参赞", ...) is added as a person.

Note: ``find_candidates`` gives a person with no side a side from its name (any Han name without
"·" is read as China's); ``foreign_han_name`` tells a caller which names that reading should skip.

Every step reads a bounded window around a span or a title, so the pass is linear in the text.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from pipeline.analyse.finders import _HAN, Found
from pipeline.analyse.names import han_to_latin
from pipeline.core import vocab
from pipeline.core.lexicon import lexicon
from pipeline.ingest.articles import Article

_F = "tidy_han"


def _d(name: str) -> Any:
    return vocab.entry(_F, name)


@lru_cache(maxsize=1)
def _translit() -> frozenset[str]:
    return frozenset(vocab.text("general_han", "translit_chars")) | frozenset(vocab.text(_F, "translit_extra"))


@lru_cache(maxsize=1)
def _tails() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return (tuple(vocab.words(_F, "tails_long")), tuple(vocab.words(_F, "tails_short")),
            tuple(vocab.words(_F, "not_tails")))


def _tailed(run: str) -> bool:
    """A run of transliteration characters that ends the way a transliterated name ends."""
    long_, short, not_tails = _tails()
    if any(run.endswith(t) for t in not_tails):
        return False
    if len(run) >= 3 and any(run.endswith(t) for t in long_):
        return True
    return len(run) >= 4 and any(run.endswith(t) for t in short)


def _marked(run: str) -> bool:
    return any(m in run for m in vocab.words(_F, "markers"))


def foreign_han_name(name: str) -> bool:
    """A name in Han characters that is a transliterated foreign name (not one written part by part
    with "·"): all transliteration characters, ending in a name's tail or holding a marker pair."""
    if not name or "·" in name or len(name) < 3 or any(ch not in _translit() for ch in name):
        return False
    return _tailed(name) or _marked(name)


def _run(text: str, start: int) -> str:
    """The transliteration characters from ``start`` on (at most ``max_run``)."""
    chars = _translit()
    end = start
    limit = min(len(text), start + int(_d("max_run")))
    while end < limit and text[end] in chars:
        end += 1
    return text[start:end]


def _whole_name(text: str, start: int, least: int) -> int | None:
    """Where the foreign name starting at ``start`` ends (at least ``least`` characters), or None
    when the characters there do not read as one."""
    run = _run(text, start)
    if len(run) < max(least, 3):
        return None
    for n in range(len(run), least - 1, -1):  # the longest run that ends in a tail
        if _tailed(run[:n]):
            return start + n
    if _marked(run):  # no tail: the whole run, where a word boundary closes it
        after = text[start + len(run):start + len(run) + 4]
        if not after or after[0] in vocab.text(_F, "boundary_chars") or not _HAN.match(after[0]) \
                or vocab.regex(_F, "after_name").match(after):
            return start + len(run)
        return start + least if _marked(run[:least]) else None
    return None


def _cut(text: str, start: int, name: str) -> int | None:
    """Where a foreign name read too long ends: the longest part of it that ends in a tail and is
    followed by a character no name goes on with (the first of a verb: "...娃提出")."""
    if len(name) < 4 or any(ch not in _translit() for ch in name):
        return None
    stop = _name_words()[1]
    for n in range(len(name) - 1, 2, -1):
        if _tailed(name[:n]) and name[n] in stop:
            return start + n
    return None


def _side(text: str, start: int, places: list[Found]) -> str | None:
    """The country the title phrase right before a name names as the person's own: the part of the
    clause before the name and before "驻" (posted at); None when it names none, or China."""
    window = int(_d("window"))
    lo = max(0, start - window)
    phrase = text[lo:start]
    stops = vocab.text(_F, "boundary_chars")
    cut = max((phrase.rfind(ch) for ch in stops), default=-1)
    lo += cut + 1
    phrase = text[lo:start]
    posted = phrase.find(vocab.text(_F, "posted_at"))
    owner_end = lo + posted if posted >= 0 else start
    owner = text[lo:owner_end]
    if any(w in owner for w in vocab.words(_F, "cn_owner_words")):
        return None
    sides = {p.country for p in places if lo <= p.start and p.end <= owner_end and p.country}
    if any(w in owner for w in vocab.words(_F, "kz_owner_words")):
        sides.add("KZ")
    sides.discard("CN")
    return sides.pop() if len(sides) == 1 else None


def _en(name: str) -> str:
    """The same Latin spelling set 2's reader gives a foreign name, so that their spans fold together."""
    return "".join(lazy_pinyin(name)).capitalize()


@lru_cache(maxsize=1)
def _titles() -> tuple[re.Pattern[str], frozenset[str]]:
    """Every title word (set 1's, set 2's reader's and this pass's), and those set 1 does not know."""
    known = set(lexicon()["han_title_words"])
    extra = set(vocab.words(_F, "extra_titles"))
    every = known | set(vocab.words("general_han", "title_words")) | extra
    every -= set(vocab.words("general_han", "titles_not_beside_names"))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(every, key=len, reverse=True)))
    return pattern, frozenset(extra - known)


@lru_cache(maxsize=1)
def _name_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    lx = lexicon()
    return (frozenset(lx["han_surnames"]), frozenset(lx["han_name_stop"]) | frozenset(vocab.words(_F, "name_stop_extra")),
            frozenset(lx["han_not_names"]))


def _chinese_name(text: str, start: int) -> str | None:
    """A Chinese name (a common surname and one or two characters) at ``start``, as set 1 reads one."""
    surnames, stop, not_names = _name_words()
    name = text[start:start + 3]
    if len(name) < 2 or not all(_HAN.match(ch) for ch in name[:2]):
        return None
    if not _HAN.match(name[2:3] or "x"):
        name = name[:2]
    if not (name[:1] in surnames or name[:2] in surnames) or name[:2] in not_names:
        return None
    if len(name) == 3 and name[2] in stop:
        name = name[:2]
    if name[1] in stop:
        return None
    return name


def tidy_han(found: list[Found], article: Article) -> list[Found]:
    """Set 4's Han people fixes over every finder's spans (after set 3's tidying)."""
    text = article.text
    if not _HAN.search(text):
        return found
    places = [f for f in found if f.kind in ("region", "city", "country")]
    out: list[Found] = []
    for f in found:
        if f.kind != "person" or "·" in f.name or not _HAN.match(f.name[:1] or "x") \
                or text[f.start:f.end] != f.name or text[f.end:f.end + 1] == "·" or text[f.start - 1:f.start] == "·":
            out.append(f)
            continue
        end = _whole_name(text, f.start, len(f.name)) or _cut(text, f.start, f.name)
        if end is None:
            out.append(f)
            continue
        name = text[f.start:end]
        side = _side(text, f.start, places) or (f.country if f.country != "CN" else None)
        out.append(dataclasses.replace(f, end=end, name=name, en=_en(name), country=side))
    titles, unknown = _titles()
    taken = {(f.start, f.end) for f in out if f.kind == "person"}
    for t in titles.finditer(text):
        s = t.end()
        if text[s:s + 1] == "·":
            continue
        end = _whole_name(text, s, 3)
        if end is not None and text[end:end + 1] != "·":
            if (s, end) not in taken:
                name = text[s:end]
                out.append(Found(s, end, "person", name, _en(name), _side(text, s, places), _F))
                taken.add((s, end))
            continue
        if t.group() not in unknown:
            continue
        chinese = _chinese_name(text, s)
        if chinese is None or text[s + len(chinese):s + len(chinese) + 1] == "·" or (s, s + len(chinese)) in taken:
            continue
        out.append(Found(s, s + len(chinese), "person", chinese, han_to_latin(chinese, person=True), None, _F))
        taken.add((s, s + len(chinese)))
    return out
