"""The scorer: predicted records against gold records, as the spec's recipe says.

1. Per article, predicted events are matched one to one to gold events by
   maximum total similarity (Hungarian assignment). A pair may match when the
   types agree or the parties overlap strongly (at least half).
2. Event-level precision, recall and F1.
3. Slot-level P/R/F1 on matched pairs, strict and lenient:
   - set slots (parties by name, sectors, agreements by kind and parties,
     projects by description and value, money) as set overlap;
   - scalar slots (type, date, location country and place) as equality.
   Lenient: fuzzy names after transliteration and case folding, amounts within
   1%, dates at the gold's precision, places by country then place.
4. Grounding rate: the share of evidence quotes found in the article text.

Scores are over counts (tp, fp, fn). A figure with nothing to measure is
``None``, not 0. Articles whose prediction is an error record score as empty
predictions and are also listed apart as failures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from pipeline.core.textnorm import fold
from pipeline.grounding import locate

SET_SLOTS = ("kz_parties", "cn_parties", "sectors", "agreements", "projects", "money")
SCALAR_SLOTS = ("type", "date", "location.country", "location.place")
SLOTS = SCALAR_SLOTS + SET_SLOTS
NAME_THRESHOLD = 85.0
DESCRIPTION_THRESHOLD = 60.0
PLACE_THRESHOLD = 80.0
AMOUNT_TOLERANCE = 0.01


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if self.tp + self.fn == 0 and self.tp + self.fp == 0:
            return None
        if self.tp + self.fn == 0:  # no gold: recall is undefined
            return None
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else None

    def as_dict(self) -> dict[str, Any]:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"p": r(self.precision), "r": r(self.recall), "f1": r(self.f1),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


# ---------------------------------------------------------------- element comparison


def names_equal(a: dict[str, Any], b: dict[str, Any], lenient: bool) -> bool:
    ea, eb = (a.get("name_en") or ""), (b.get("name_en") or "")
    if not lenient:
        return " ".join(ea.casefold().split()) == " ".join(eb.casefold().split()) and bool(ea)
    return name_sim(a, b) >= NAME_THRESHOLD


def name_sim(a: dict[str, Any], b: dict[str, Any]) -> float:
    best = 0.0
    for x in (a.get("name_en"), a.get("name")):
        for y in (b.get("name_en"), b.get("name")):
            if x and y:
                fx, fy = fold(x), fold(y)
                if fx and fy:
                    best = max(best, fuzz.token_sort_ratio(fx, fy), fuzz.ratio(fx, fy))
    return best


def _str_names_equal(a: str, b: str, lenient: bool) -> bool:
    return names_equal({"name_en": a}, {"name_en": b}, lenient)


def money_equal(a: dict[str, Any] | None, b: dict[str, Any] | None, lenient: bool) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if (a.get("currency") or "").upper() != (b.get("currency") or "").upper():
        return False
    x, y = float(a["amount"]), float(b["amount"])
    if not lenient:
        return x == y
    return abs(x - y) <= AMOUNT_TOLERANCE * max(abs(y), 1e-9)


def agreements_equal(a: dict[str, Any], b: dict[str, Any], lenient: bool) -> bool:
    if a.get("kind") != b.get("kind"):
        return False
    pa, pb = a.get("parties", []), b.get("parties", [])
    if not pb and not pa:
        return True
    m = _match_count(pa, pb, lambda x, y: _str_names_equal(x, y, lenient))
    return m / max(len(pa), len(pb)) >= (0.5 if lenient else 1.0)


def projects_equal(a: dict[str, Any], b: dict[str, Any], lenient: bool) -> bool:
    da, db = a.get("description") or "", b.get("description") or ""
    if lenient:
        same = fuzz.token_set_ratio(fold(da), fold(db)) >= DESCRIPTION_THRESHOLD
    else:
        same = fold(da) == fold(db)
    return same and money_equal(a.get("value"), b.get("value"), lenient)


def _match_count(pred: list[Any], gold: list[Any], eq: Callable[[Any, Any], bool]) -> int:
    """Largest one-to-one matching of equal elements."""
    if not pred or not gold:
        return 0
    m = np.array([[1.0 if eq(p, g) else 0.0 for g in gold] for p in pred])
    rows, cols = linear_sum_assignment(-m)
    return int(m[rows, cols].sum())


def set_prf(pred: list[Any], gold: list[Any], eq: Callable[[Any, Any], bool]) -> PRF:
    tp = _match_count(pred, gold, eq)
    return PRF(tp, len(pred) - tp, len(gold) - tp)


def scalar_prf(pred: Any, gold: Any, eq: Callable[[Any, Any], bool]) -> PRF:
    if pred is None and gold is None:
        return PRF()
    if pred is None:
        return PRF(0, 0, 1)
    if gold is None:
        return PRF(0, 1, 0)
    return PRF(1, 0, 0) if eq(pred, gold) else PRF(0, 1, 1)


def dates_equal(p: str, g: str, lenient: bool) -> bool:
    return p[: len(g)] == g if lenient else p == g


def places_equal(p: dict[str, Any], g: dict[str, Any], lenient: bool) -> bool:
    a, b = p.get("place"), g.get("place")
    if not a or not b:
        return False
    if not lenient:
        return fold(a) == fold(b)
    if p.get("country") and g.get("country") and p["country"] != g["country"]:
        return False
    fa, fb = fold(a), fold(b)
    return fa in fb or fb in fa or fuzz.token_set_ratio(fa, fb) >= PLACE_THRESHOLD


def _money(ev: dict[str, Any]) -> list[dict[str, Any]]:
    return [p["value"] for p in ev.get("projects", []) if p.get("value")]


def slot_prfs(pred: dict[str, Any], gold: dict[str, Any], lenient: bool) -> dict[str, PRF]:
    out = {
        "type": scalar_prf(pred.get("type"), gold.get("type"), lambda a, b: a == b),
        "date": scalar_prf(pred.get("date"), gold.get("date"), lambda a, b: dates_equal(a, b, lenient)),
        "location.country": scalar_prf(pred["location"].get("country"), gold["location"].get("country"),
                                       lambda a, b: a == b),
        "location.place": scalar_prf(pred["location"] if pred["location"].get("place") else None,
                                     gold["location"] if gold["location"].get("place") else None,
                                     lambda a, b: places_equal(a, b, lenient)),
        "kz_parties": set_prf(pred["kz_parties"], gold["kz_parties"], lambda a, b: names_equal(a, b, lenient)),
        "cn_parties": set_prf(pred["cn_parties"], gold["cn_parties"], lambda a, b: names_equal(a, b, lenient)),
        "sectors": set_prf(pred["sectors"], gold["sectors"], lambda a, b: a == b),
        "agreements": set_prf(pred["agreements"], gold["agreements"], lambda a, b: agreements_equal(a, b, lenient)),
        "projects": set_prf(pred["projects"], gold["projects"], lambda a, b: projects_equal(a, b, lenient)),
        "money": set_prf(_money(pred), _money(gold), lambda a, b: money_equal(a, b, lenient)),
    }
    return out


# ---------------------------------------------------------------- event matching


def event_similarity(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[float, bool]:
    """(similarity, may match): types agreeing or parties overlapping by half or more."""
    pp = pred["kz_parties"] + pred["cn_parties"]
    gp = gold["kz_parties"] + gold["cn_parties"]
    overlap = _match_count(pp, gp, lambda a, b: names_equal(a, b, True)) / max(len(pp), len(gp), 1)
    same_type = pred["type"] == gold["type"]
    proj = 0.0
    if pred.get("projects") and gold.get("projects"):
        proj = _match_count(pred["projects"], gold["projects"], lambda a, b: projects_equal(a, b, True)) / max(
            len(pred["projects"]), len(gold["projects"]))
    sim = 0.45 * same_type + 0.45 * overlap + 0.1 * proj
    return sim, same_type or overlap >= 0.5


def match_events(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    if not pred or not gold:
        return []
    sims = np.zeros((len(pred), len(gold)))
    ok = np.zeros((len(pred), len(gold)), dtype=bool)
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            sims[i, j], ok[i, j] = event_similarity(p, g)
    weights = np.where(ok, sims + 1.0, 0.0)  # any allowed pair outweighs no pair
    rows, cols = linear_sum_assignment(-weights)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if ok[i, j]]


# ---------------------------------------------------------------- articles and corpus


@dataclass
class ArticleScore:
    article_id: str
    language: str
    events: PRF
    strict: dict[str, PRF]
    lenient: dict[str, PRF]
    by_type: dict[str, PRF]
    quotes: int
    quotes_found: int
    pairs: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None

    @property
    def event_f1(self) -> float:
        e = self.events
        if e.tp + e.fp + e.fn == 0:
            return 1.0  # no event, none predicted: right
        return 2 * e.tp / (2 * e.tp + e.fp + e.fn)


def score_article(pred: dict[str, Any] | None, gold: dict[str, Any], text: str) -> ArticleScore:
    error = pred.get("error") if pred and "error" in pred else None
    pevs = [] if pred is None or error else pred.get("events", [])
    gevs = gold.get("events", [])
    pairs = match_events(pevs, gevs)
    strict = {s: PRF() for s in SLOTS}
    lenient = {s: PRF() for s in SLOTS}
    by_type: dict[str, PRF] = defaultdict(PRF)
    detail = []
    for i, j in pairs:
        st, le = slot_prfs(pevs[i], gevs[j], False), slot_prfs(pevs[i], gevs[j], True)
        for s in SLOTS:
            strict[s].add(st[s])
            lenient[s].add(le[s])
        by_type[gevs[j]["type"]].tp += 1
        detail.append({"pred": i, "gold": j,
                       "mismatched": [s for s in SLOTS if le[s].fp or le[s].fn]})
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    for i, ev in enumerate(pevs):
        if i not in matched_p:
            by_type[ev["type"]].fp += 1
    for j, ev in enumerate(gevs):
        if j not in matched_g:
            by_type[ev["type"]].fn += 1
    quotes = [q for ev in pevs for q in ev.get("evidence", [])]
    found = sum(locate(q, text).status == "exact" for q in quotes)
    return ArticleScore(
        article_id=gold["article_id"], language=gold.get("language", "other"),
        events=PRF(len(pairs), len(pevs) - len(pairs), len(gevs) - len(pairs)),
        strict=strict, lenient=lenient, by_type=dict(by_type), quotes=len(quotes), quotes_found=found,
        pairs=detail, error=error,
    )


def _pool(scores: Iterable[ArticleScore], get: Callable[[ArticleScore], PRF]) -> PRF:
    total = PRF()
    for s in scores:
        total.add(get(s))
    return total


def _overall(scores: list[ArticleScore], kind: str) -> PRF:
    return _pool(scores, lambda s: _sum_slots(getattr(s, kind)))


def _sum_slots(d: dict[str, PRF]) -> PRF:
    t = PRF()
    for v in d.values():
        t.add(v)
    return t


def _headline(scores: list[ArticleScore]) -> dict[str, float | None]:
    q = sum(s.quotes for s in scores)
    return {
        "event_f1": _pool(scores, lambda s: s.events).f1,
        "slot_f1_lenient": _overall(scores, "lenient").f1,
        "slot_f1_strict": _overall(scores, "strict").f1,
        "grounding_rate": (sum(s.quotes_found for s in scores) / q) if q else None,
    }


def bootstrap(scores: list[ArticleScore], n: int = 1000, seed: int = 0) -> dict[str, list[float] | None]:
    """95% intervals of the headline figures, resampling whole articles."""
    if not scores:
        return {}
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(n):
        pick = [scores[k] for k in rng.integers(0, len(scores), len(scores))]
        for k, v in _headline(pick).items():
            if v is not None:
                samples[k].append(v)
    return {k: [round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4)] if v else None
            for k, v in samples.items()}


def score_corpus(preds: dict[str, dict[str, Any]], golds: dict[str, dict[str, Any]],
                 texts: dict[str, str], bootstrap_n: int = 1000) -> dict[str, Any]:
    """The full report body for one set of predictions."""
    scores = [score_article(preds.get(aid), gold, texts.get(aid, "")) for aid, gold in sorted(golds.items())]
    headline = _headline(scores)
    slot_f1s = {kind: {s: _slot_pool(scores, kind, s).as_dict() for s in SLOTS} for kind in ("strict", "lenient")}
    macro_slot = {kind: _mean([v["f1"] for v in slot_f1s[kind].values()]) for kind in slot_f1s}
    langs = sorted({s.language for s in scores})
    types = sorted({t for s in scores for t in s.by_type})
    return {
        "headline": {k: (None if v is None else round(v, 4)) for k, v in headline.items()},
        "ci95": bootstrap(scores, bootstrap_n),
        "events": {"micro": _pool(scores, lambda s: s.events).as_dict(),
                   "macro_f1": _mean([s.event_f1 for s in scores])},
        "slots": {"strict": slot_f1s["strict"], "lenient": slot_f1s["lenient"],
                  "overall_strict": _overall(scores, "strict").as_dict(),
                  "overall_lenient": _overall(scores, "lenient").as_dict(),
                  "macro_f1_strict": macro_slot["strict"], "macro_f1_lenient": macro_slot["lenient"]},
        "grounding": {"quotes": sum(s.quotes for s in scores), "found": sum(s.quotes_found for s in scores),
                      "rate": headline["grounding_rate"]},
        "by_language": {lang: {"articles": sum(s.language == lang for s in scores),
                               **{k: (None if v is None else round(v, 4))
                                  for k, v in _headline([s for s in scores if s.language == lang]).items()}}
                        for lang in langs},
        "by_type": {t: _type_pool(scores, t).as_dict() for t in types},
        "articles": [{"article_id": s.article_id, "language": s.language, "events": s.events.as_dict(),
                      "event_f1": round(s.event_f1, 4), "slot_f1_lenient": _sum_slots(s.lenient).f1,
                      "pairs": s.pairs, "quotes": s.quotes, "quotes_found": s.quotes_found}
                     for s in scores],
        "failures": [{"article_id": s.article_id, **(s.error or {})} for s in scores if s.error],
        "missing_predictions": sorted(aid for aid in golds if aid not in preds),
    }


def _slot_pool(scores: list[ArticleScore], kind: str, slot: str) -> PRF:
    total = PRF()
    for a in scores:
        total.add(getattr(a, kind)[slot])
    return total


def _type_pool(scores: list[ArticleScore], event_type: str) -> PRF:
    total = PRF()
    for a in scores:
        total.add(a.by_type.get(event_type, PRF()))
    return total


def _mean(xs: Iterable[float | None]) -> float | None:
    v = [x for x in xs if x is not None]
    return round(sum(v) / len(v), 4) if v else None
