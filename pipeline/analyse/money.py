"""Amounts of money as written in Kazakh, Russian, English and Chinese news, as numbers.

``find_amounts`` finds every amount with a currency in a text; ``parse_amount``
reads one phrase. Both give the amount in base units (150 млн -> 150000000),
the ISO 4217 currency and the qualifier (exact, over, about, up_to).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core import vocab

_NUM = r"(?P<num>\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"

# data/money.json: scales, currencies and qualifying words
_SCALES: list[tuple[str, float]] = [(p, float(f)) for p, f in vocab.entry("money", "scales")]
# 亿 is 10^8, not 10^9: fixed below by the Chinese scale table.
_CN_SCALE: dict[str, float] = {k: float(v) for k, v in vocab.table("money", "cn_scale").items()}
_CURRENCIES: list[tuple[str, str]] = [(p, c) for p, c in vocab.entry("money", "currencies")]
_BEFORE: list[tuple[str, str]] = [(p, q) for p, q in vocab.entry("money", "before")]
_AFTER: list[tuple[str, str]] = [(p, q) for p, q in vocab.entry("money", "after")]

_SCALE_RE = "|".join(f"(?:{p})" for p, _ in _SCALES)
_CUR_RE = "|".join(f"(?:{p})" for p, _ in _CURRENCIES)
_AMOUNT = re.compile(
    rf"(?P<pre>US\$|\$|€|₸|\b(?:USD|KZT|CNY|RMB|EUR)\b)?\s?{_NUM}\s?(?P<scale>{_SCALE_RE})?\s*(?P<cur>{_CUR_RE})?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    amount: float
    currency: str
    qualifier: str
    start: int
    end: int
    text: str

    def as_money(self) -> dict[str, object]:
        return {"amount": self.amount, "currency": self.currency, "qualifier": self.qualifier}


def _number(s: str) -> float:
    s = re.sub(r"[ \u00a0\u202f]", "", s)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    return float(s.replace(",", "."))


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    if word in _CN_SCALE:
        return _CN_SCALE[word]
    for pattern, value in _SCALES:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return value
    return 1.0


def _currency(word: str | None) -> str | None:
    if not word:
        return None
    for pattern, code in _CURRENCIES:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return code
    return None


def _qualifier(before: str, after: str) -> str:
    for pattern, q in _BEFORE:
        if re.search(pattern, before, re.IGNORECASE):
            return q
    for pattern, q in _AFTER:
        if re.search(pattern, after, re.IGNORECASE):
            return q
    return "exact"


def find_amounts(text: str) -> list[Amount]:
    """Every amount with a currency in ``text``, in order."""
    out: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        cur = _currency(m.group("cur")) or _currency(m.group("pre"))
        if cur is None:
            continue
        scale = m.group("scale")
        # A bare single-letter scale ("5 m") only counts with a sign before the number.
        if scale and len(scale) == 1 and scale.lower() in "mbk" and not m.group("pre"):
            continue
        try:
            value = _number(m.group("num")) * _scale(scale)
        except ValueError:
            continue
        if value <= 0:
            continue
        qual = _qualifier(text[max(0, m.start() - 25):m.start()], text[m.end():m.end() + 25])
        out.append(Amount(round(value, 2), cur, qual, m.start(), m.end(), m.group().strip()))
    return out


def parse_amount(phrase: str) -> Amount | None:
    """The first amount in a short phrase such as "150 млн АҚШ долларынан асатын", or None."""
    found = find_amounts(phrase)
    return found[0] if found else None


def find_figures(text: str) -> list[float]:
    """Every number in ``text`` with its scale, with or without a currency: "1.3 million tons",
    "$200 million" and their Russian, Kazakh and Chinese spellings (Chinese wan and yi: ten thousand, a hundred million),
    as numbers. A bare single-letter scale ("5 m") is read as no scale: it may be a unit."""
    out: list[float] = []
    for m in _AMOUNT.finditer(text):
        scale = m.group("scale")
        if scale and len(scale) == 1 and scale.lower() in "mbk" and not m.group("pre"):
            scale = None
        try:
            value = _number(m.group("num")) * _scale(scale)
        except ValueError:
            continue
        if value > 0:
            out.append(value)
    return out
