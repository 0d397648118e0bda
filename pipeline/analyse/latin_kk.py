"""Kazakh in the Latin alphabet, read as Cyrillic Kazakh (finder set 5).

From 2018 to 2021 Kazakhstan's national news agency and other outlets published a Latin edition of
their Kazakh news, in the Latin alphabet of 2018 (the acute-accent version: "á" for the Cyrillic
schwa, "ǵ", "ń", "ó", "ú", "ý", a dotless "ı", and the two-letter "sh" and "ch"). Every Kazakh word
the analysis knows (the gazetteer, titles, body words, meeting and signing words) is written in
Cyrillic, so such a page would name almost nothing. Finder set 5 reads it through a letter-by-letter
transliteration into Cyrillic (``data/latin_kk.json``: the alphabet, general knowledge).

Two spellings are one Cyrillic letter ("sh", "ch", "ıa", "ıý"), so the reading is shorter than the
text. ``LatinReading`` keeps, for every letter of the reading, where its letters stand in the text, so
every offset found in the reading is turned back into the article's own. It also keeps a reading of
the text's exact length (each word's reading, then spaces up to the word's length): every word starts
where it starts in the text, so the readings that look around a name at the article's offsets see
the Cyrillic words. Names and evidence stay the article's own words.

Words the 2018 alphabet does not spell (with "c", "w" or "x") and words in quotation marks (company
and brand names, written as their owners write them) are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.core import vocab

_FILE = "latin_kk"
MIN_MARKED = 3  # letters only the 2018 alphabet has ("ǵ", "ń", "ý"): fewer, and the page is not read so
MARKED_SHARE = 0.01  # the alphabet's marked letters among the page's letters, at least
CYRILLIC_SHARE = 0.05  # a page with more Cyrillic than this is a Cyrillic page
MAX_QUOTE = 80  # a quotation mark left open does not keep the rest of the page as it is


@dataclass(frozen=True)
class LatinReading:
    text: str  # the Cyrillic reading, for the finders
    padded: str  # the same, each word padded with spaces to its length in the text: the text's length
    starts: tuple[int, ...]  # for each character of ``text``, where its letters start in the article
    ends: tuple[int, ...]  # ... and where they end

    def start(self, offset: int) -> int:
        """The article's offset of a start offset in the reading."""
        return self.starts[offset] if offset < len(self.starts) else (self.ends[-1] if self.ends else 0)

    def end(self, offset: int) -> int:
        """The article's offset of an end offset (exclusive) in the reading."""
        return self.ends[offset - 1] if offset > 0 else 0


@lru_cache(maxsize=1)
def _alphabet() -> dict[str, Any]:
    return vocab.load(_FILE)


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def is_latin_kazakh(text: str) -> bool:
    """The text is Kazakh in the 2018 Latin alphabet: hardly any Cyrillic, and the letters only that
    alphabet has (English, Turkish or any other Latin page has none of "ǵ", "ń", "ý")."""
    a = _alphabet()
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return False
    cyrillic = sum(1 for ch in text if _is_cyrillic(ch))
    marked = sum(1 for ch in text if ch in a["marks"])
    unique = sum(1 for ch in text if ch.lower() in "\u01f5\u0144\u00fd")  # the letters no other alphabet in use has
    return (cyrillic <= CYRILLIC_SHARE * letters and unique >= MIN_MARKED
            and marked + text.count(a["dotless"]) >= MARKED_SHARE * letters)


def _quoted(text: str) -> list[bool]:
    """For each character, whether it stands inside quotation marks."""
    inside = [False] * len(text)
    opening = {o: c for o, c in _alphabet()["quotes"]}
    i = 0
    while i < len(text):
        close = opening.get(text[i])
        if close is not None:
            j = text.find(close, i + 1, i + 1 + MAX_QUOTE)
            if j > 0:
                for k in range(i + 1, j):
                    inside[k] = True
                i = j + 1
                continue
        i += 1
    return inside


def _word(word: str) -> list[tuple[str, int, int]]:
    """A word's reading: each Cyrillic letter with the start and end of its letters in the word."""
    a = _alphabet()
    letters, pairs, after_vowel, vowels = a["letters"], a["pairs"], a["after_vowel"], a["vowels"]
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(word):
        two = word[i:i + 2]
        if len(two) == 2 and two.lower() in pairs:
            ch, step = pairs[two.lower()], 2
        else:
            low = word[i].lower()
            ch = after_vowel.get(low) if i and word[i - 1] in vowels and low in after_vowel else None
            ch, step = (ch or letters.get(low, word[i])), 1
        out.append((ch.upper() if word[i].isupper() else ch, i, i + step))
        i += step
    return out


def cyrillic_reading(text: str) -> LatinReading | None:
    """The page read as Cyrillic Kazakh, or None when it is not Kazakh in the Latin alphabet."""
    if not is_latin_kazakh(text):
        return None
    foreign = set(_alphabet()["foreign"])
    quoted = _quoted(text)
    reading: list[str] = []
    padded: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        if not text[i].isalpha():
            reading.append(text[i])
            padded.append(text[i])
            starts.append(i)
            ends.append(i + 1)
            i += 1
            continue
        j = i
        while j < len(text) and text[j].isalpha():
            j += 1
        word = text[i:j]
        if quoted[i] or foreign & set(word) or any(_is_cyrillic(ch) for ch in word):
            read = [(ch, k, k + 1) for k, ch in enumerate(word)]
        else:
            read = _word(word)
        for ch, s, e in read:
            reading.append(ch)
            starts.append(i + s)
            ends.append(i + e)
        padded.append("".join(ch for ch, _, _ in read).ljust(len(word)))
        i = j
    return LatinReading("".join(reading), "".join(padded), tuple(starts), tuple(ends))
