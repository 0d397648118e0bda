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

_WHO = {"head": "Heads", "руководител": "Heads", "басшы": "Heads", "басшылар": "Heads",
        "representative": "Representatives", "представител": "Representatives", "өкіл": "Representatives",
        "leader": "Leaders", "executive": "Executives"}
_WHICH = {"leading": "leading", "ведущ": "leading", "жетекші": "leading", "major": "major", "large": "large",
          "крупн": "major", "ірі": "major", "industrial": "industrial", "промышленн": "industrial",
          "өнеркәсіп": "industrial", "индустриял": "industrial", "energy": "energy", "энергетическ": "energy",
          "энергетика": "energy", "chemical": "chemical", "химическ": "chemical", "химия": "chemical",
          "mining": "mining", "горнодобыва": "mining", "construction": "construction", "строительн": "construction",
          "құрылыс": "construction", "logistics": "logistics", "логистическ": "logistics", "логистика": "logistics",
          "technology": "technology", "технологическ": "technology", "автомобильн": "automotive",
          "automotive": "automotive"}
_WHAT = {"compan": "companies", "компани": "companies", "firm": "companies", "фирм": "companies", "enterprise": "enterprises",
         "предприяти": "enterprises", "кәсіпорын": "enterprises", "entrepreneur": "entrepreneurs",
         "предпринимател": "entrepreneurs", "кәсіпкер": "entrepreneurs", "investor": "investors",
         "инвестор": "investors", "manufacturer": "manufacturers", "производител": "manufacturers",
         "өндіруші": "manufacturers", "business": "business", "бизнес": "business", "деловых кругов": "business circles",
         "іскер": "business circles"}

_W = r"[\wӘәҒғҚқҢңӨөҰұҮүҺһІі\-]+"
_RU_PRC = r"(?:КНР|Китайской\s+Народной\s+Республики|Китая|Поднебесной)"
_PATTERNS = [
    # Russian: "с руководителями ведущих китайских промышленных компаний", "с предпринимателями КНР"
    re.compile(r"(?<!\w)с(?:о)?\s+((?:(?:руководител|представител)\w*\s+)?(?:(?:ведущ|крупн|промышленн|энергетическ)\w*\s+)*"
               r"китайск\w*\s+(?:(?:ведущ|крупн|промышленн|энергетическ|химическ|горнодобыва|строительн|логистическ|технологическ|автомобильн)\w*\s+)*"
               r"(?:компани|предприяти|предпринимател|бизнес|инвестор|производител|деловых\s+кругов)\w*)", re.IGNORECASE),
    re.compile(rf"(?<!\w)с(?:о)?\s+((?:(?:руководител|представител)\w*\s+)?(?:(?:ведущ|крупн|промышленн)\w*\s+)*"
               rf"(?:компани|предприяти|предпринимател|бизнес\w*|инвестор|производител)\w*\s+(?:из\s+)?{_RU_PRC})",
               re.IGNORECASE),
    # Kazakh: "Қытайдың ірі құрылыс компанияларының өкілдерімен", "қытайлық кәсіпкерлермен"
    re.compile(rf"((?:Қытай(?:дың|лық)?|ҚХР)\s+(?:{_W}\s+){{0,2}}?"
               rf"(?:компания|кәсіпорын|кәсіпкер|инвестор|өндіруші|бизнес|іскер)\w*"
               rf"(?:\s+(?:басшы|өкіл)\w*)?)(?<=мен|бен|пен)(?!\w)", re.IGNORECASE),
    # English: "met heads of leading Chinese industrial companies", "with Chinese investors"
    re.compile(r"(?:\bwith|\bmet)\s+(?:the\s+)?((?:(?:heads|representatives|leaders|executives)\s+of\s+)?(?:the\s+)?"
               r"(?:(?:leading|major|large|industrial|energy)\s+)*Chinese\s+"
               r"(?:(?:leading|major|large|industrial|energy|chemical|mining|construction|logistics|technology|automotive)\s+)*"
               r"(?:companies|firms|enterprises|entrepreneurs|investors|manufacturers|business(?:es)?))\b", re.IGNORECASE),
    # Chinese: "与中国企业家代表", "会见中方企业代表"
    re.compile(r"(?:与|同|和|会见了?|会晤了?)((?:中国|中方)(?:知名|重点|大型)?(?:企业家|企业|工商界|商界)(?:代表)?)"),
]
_ZH_NAMES = {"企业家": "entrepreneurs", "企业": "companies", "工商界": "business community", "商界": "business community"}


@dataclass(frozen=True)
class Group:
    written: str  # as the article writes it (case endings and all)
    name_en: str


def _english(phrase: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", phrase):
        what = next((en for zh, en in _ZH_NAMES.items() if zh in phrase), "companies")
        return f"{'Representatives of ' if '代表' in phrase else ''}Chinese {what}"
    low = phrase.casefold()
    words = re.findall(_W, low)
    who = next((en for w in words for k, en in _WHO.items() if w.startswith(k)), None)
    which = list(dict.fromkeys(en for w in words for k, en in _WHICH.items() if w.startswith(k)))
    what = next((en for k, en in _WHAT.items() if k in low), "companies")
    if re.search(r"народной\s+республики|кнр|қхр", low):
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
