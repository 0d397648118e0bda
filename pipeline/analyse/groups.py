"""Chinese counterparts named only as a group ("heads of leading Chinese industrial companies").

The spec makes such a group one Party of kind ``organization`` with that generic
name. A small model rarely writes one, so the pipeline finds them itself: a
group is taken only where it is whom a meeting was with (the Kazakh instrumental
-мен/-бен/-пен, Russian "с ...", English "with/met ...", Chinese 与/同/会见 ...),
never where the text talks about Chinese companies in general ("the experience
of Chinese companies"). Its English name is put together from the phrase's own
words: who (heads, representatives), which (leading, major, industrial), what
(companies, entrepreneurs, investors, ...), and whose (Chinese, or "of the
People's Republic of China" where the text says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core import vocab

# data/groups.json: the words, their English, and the patterns (Russian, Kazakh, English, Chinese)
_WHO: dict[str, str] = vocab.table("groups", "who")
_WHICH: dict[str, str] = vocab.table("groups", "which")
_WHAT: dict[str, str] = vocab.table("groups", "what")
_W = vocab.text("groups", "word")
_PATTERNS = [vocab.compile_entry(p) for p in vocab.entry("groups", "patterns")]
_ZH_NAMES: dict[str, str] = vocab.table("groups", "zh_names")


@dataclass(frozen=True)
class Group:
    written: str  # as the article writes it (case endings and all)
    name_en: str


def _english(phrase: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", phrase):
        what = next((en for zh, en in _ZH_NAMES.items() if zh in phrase), "companies")
        return f"{'Representatives of ' if vocab.text('groups', 'zh_representatives') in phrase else ''}Chinese {what}"
    low = phrase.casefold()
    words = re.findall(_W, low)
    who = next((en for w in words for k, en in _WHO.items() if w.startswith(k)), None)
    which = list(dict.fromkeys(en for w in words for k, en in _WHICH.items() if w.startswith(k)))
    what = next((en for k, en in _WHAT.items() if k in low), "companies")
    if vocab.regex("groups", "prc").search(low):
        core = f"{what} of the People's Republic of China"
        name = " ".join([*which, core])
    else:
        name = " ".join([*which[:1], "Chinese", *which[1:], what]) if which and which[0] in ("leading", "major", "large") \
            else " ".join(["Chinese", *which, what])
    name = f"{who} of {name}" if who else name
    return name[:1].upper() + name[1:]


def english_name(phrase: str) -> str | None:
    """The English name of a phrase that names a group of companies, investors or business people
    ("китайские инвесторы" -> "Chinese investors"); None for any other phrase."""
    low = phrase.casefold()
    if not (any(k in low for k in _WHAT) or any(zh in phrase for zh in _ZH_NAMES)):
        return None
    return _english(phrase)


def generic_groups(text: str) -> list[Group]:
    """The China-side groups a meeting in ``text`` was with, in order of appearance."""
    found: list[tuple[int, Group]] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            phrase = m.group(1).strip()
            if any(m.start(1) < s + len(g.written) and s < m.end(1) for s, g in found):
                continue
            found.append((m.start(1), Group(phrase, _english(phrase))))
    return [g for _, g in sorted(found, key=lambda f: f[0])]
