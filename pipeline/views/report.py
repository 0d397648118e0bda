"""A report of a merged event set for analysts and journalists: Markdown and HTML, PNG plots.

- A header with the period, the counts and the total announced value in USD (each
  amount converted with the rate for its event's year from a dated rate table; the
  rate used is shown).
- Every event: date, type, place, both sides, agreements, projects with amounts and
  USD, sectors, links to its source articles and its evidence quotes.
- A timeline, the plots (events by month, value by region, by sector and year, top
  China-side counterparts), the conversions and the conflicts merging noted.

The HTML page (``pipeline.views.report_page``) is one self-contained file: plots inline,
no external resources, filters and sorting in a little JavaScript that a strict
Content-Security-Policy allows by hash. All text from records is escaped: HTML in
the page, HTML and Markdown syntax in ``report.md``, and a cell that starts like a
spreadsheet formula gets a leading apostrophe.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from pipeline.analyse.names import gazetteer  # noqa: E402
from pipeline.core.enums import EVENT_TYPES  # noqa: E402
from pipeline.core.errors import ConfigError  # noqa: E402
from pipeline.views.export import (
    injected_party,
    injected_value,
    safe_cell,
)

REPORT_HEADING = "# Kazakhstan–China cooperation"
PLOTS = {"events_by_month.png": "Events by month", "value_by_region.png": "Announced value by region",
         "value_by_sector_year.png": "Announced value by sector and year",
         "top_counterparts.png": "Top China-side counterparts"}
FILES = ["report.md", "report.html", "summary.json", *PLOTS]
INJECTED = "⚠ named only in words addressed to the model"  # a value an injected instruction brought
TYPE_LABEL = {**{t: t for t in EVENT_TYPES}, "trade": "trade deal"}


@dataclass(frozen=True)
class Rates:
    rates: dict[str, dict[str, float]]
    estimated: dict[str, list[str]]
    source: str

    @classmethod
    def load(cls, path: Path | None = None) -> Rates:
        try:
            raw = json.loads(path.read_text("utf-8") if path else
                             resources.files("pipeline").joinpath("data/usd_rates.json").read_text("utf-8"))
            rates = {str(c): {str(y): float(r) for y, r in t.items()} for c, t in raw["rates"].items()}
            if any(r <= 0 for t in rates.values() for r in t.values()) or any(not t for t in rates.values()):
                raise ValueError("every rate must be above 0, and every currency needs a year")
            return cls(rates, raw.get("estimated", {}), str(path) if path else "pipeline/data/usd_rates.json")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise ConfigError(f"cannot read the rate table {path}: {e}") from e

    def to_usd(self, amount: float, currency: str, year: str | None) -> tuple[float, str, float] | None:
        """(USD, year of the rate used, rate) or None for a currency the table lacks."""
        if currency == "USD":
            return amount, year or "", 1.0
        table = self.rates.get(currency)
        if not table:
            return None
        years = sorted(table)
        use = year if year in table else (years[-1] if not year or year > years[-1] else years[0])
        return amount / table[use], use, table[use]

    def estimate_note(self, currency: str, year: str | None, used: str) -> str | None:
        """Why the rate used for an amount of ``year`` is an estimate, or None when it is the
        table's own rate for that year: the table marks it estimated, or the year is outside
        the table (before its first year, after its last, or no year) and a neighbour's is used."""
        if currency == "USD":
            return None
        years = sorted(self.rates.get(currency) or {})
        if not year:
            return f"no date: the {used} rate (the table's last year) is used"
        if year != used and years and year < years[0]:
            return f"{year} is before the rate table's first year: the {used} rate is used as an estimate"
        if year != used:
            return f"{year} is after the rate table's last year: the {used} rate is used as an estimate"
        if used in self.estimated.get(currency, []):
            return f"the table marks its {used} rate as an estimate (a year not closed when it was made)"
        return None


def _region(ev: dict[str, Any], project: dict[str, Any]) -> str:
    g = gazetteer()
    for name in [project.get("location")] + [p.get("name_en") for p in ev.get("kz_parties", [])]:
        hit = g.lookup(name or "")
        if hit is not None and hit.country == "KZ" and hit.kind in ("region", "city"):
            return hit.en
    return "(not stated)"


def summarise(events: list[dict[str, Any]], rates: Rates) -> dict[str, Any]:
    by_month: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    value_region: defaultdict[str, float] = defaultdict(float)
    value_sector_year: defaultdict[tuple[str, str], float] = defaultdict(float)
    counterparts: Counter[str] = Counter()
    conversions: list[dict[str, Any]] = []
    unconverted = 0
    for ev in events:
        by_type[ev.get("type") or "other"] += 1
        date = ev.get("date") or ""
        by_month[date[:7] if len(date) >= 7 else "(undated)"] += 1
        for p in ev.get("cn_parties", []):
            if p.get("kind") != "person":
                name = p.get("name_en") or p.get("name") or "?"
                counterparts[f"{name} ({INJECTED})" if injected_party(ev, "cn_parties", p) else name] += 1
        for i, pr in enumerate(ev.get("projects", [])):
            v = pr.get("value")
            if not v:
                continue
            conv = rates.to_usd(float(v["amount"]), v["currency"], date[:4] or None)
            if conv is None:
                unconverted += 1
                continue
            usd, year, rate = conv
            note = rates.estimate_note(v["currency"], date[:4] or None, year)
            conversions.append({"event_id": ev["event_id"], "project_index": i, "project": pr.get("description"),
                                "amount": v["amount"], "currency": v["currency"], "qualifier": v.get("qualifier"),
                                "rate_year": year, "rate": rate, "usd": round(usd, 2),
                                "estimated_rate": note is not None,
                                **({"estimate_note": note} if note else {})})
            value_region[_region(ev, pr)] += usd
            sectors = pr.get("sectors") or ev.get("sectors") or ["other"]
            for sector in sectors:
                value_sector_year[(sector, date[:4] or "(undated)")] += usd / max(1, len(sectors))
    dates = sorted(d for d in (ev.get("date") for ev in events) if d)
    return {
        "events": len(events), "by_type": dict(by_type.most_common()),
        "sources": len({s["article_id"] for ev in events for s in ev.get("sources", [])}),
        "period": {"first": dates[0] if dates else None, "last": dates[-1] if dates else None,
                   "undated": len(events) - len(dates)},
        "total_usd": round(sum(c["usd"] for c in conversions), 2),
        "by_month": dict(sorted(by_month.items())),
        "value_by_region_usd": dict(sorted(value_region.items(), key=lambda kv: -kv[1])),
        "value_by_sector_year_usd": {f"{s} {y}": round(v, 2) for (s, y), v in sorted(value_sector_year.items())},
        "top_counterparts": dict(counterparts.most_common(10)),
        "conversions": conversions, "unconverted_amounts": unconverted,
        "conflicts": sum(len(ev.get("conflicts", [])) for ev in events),
        "injected_values": sum(len(ev.get("injected") or []) for ev in events),
        "possible_duplicates": possible_duplicate_pairs(events),
        "rate_table": rates.source,
    }


def why_text(why: dict[str, Any]) -> str:
    """Why a source was joined, in one line: shared parties, the dates compared, the other facts."""
    parts = [f"with {why.get('with')}"]
    if why.get("parties"):
        parts.append("shared parties: " + ", ".join(str(p) for p in why["parties"]))
    if why.get("time"):
        parts.append(str(why["time"]))
    parts += [str(f) for f in why.get("facts", [])]
    return "; ".join(parts)


def possible_duplicate_pairs(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each pair of records merging listed as possible duplicates, once (the records that almost
    qualified as one occasion and were kept apart), with the sources compared and the reason."""
    ids = {ev.get("event_id") for ev in events}
    seen: set[tuple[str, str]] = set()
    out = []
    for ev in events:
        for d in ev.get("possible_duplicates", []) or []:
            a, b = str(ev.get("event_id")), str(d.get("event_id"))
            key = (min(a, b), max(a, b))
            if key in seen or b not in ids:
                continue
            seen.add(key)
            out.append({"event_id": a, "other_event_id": b, "source": d.get("source"),
                        "other_source": f"{d.get('article_id')}#{d.get('event_index')}",
                        "reason": d.get("reason"), "parties": d.get("parties", []), "time": d.get("time")})
    return out


# ------------------------------------------------------------------ plots


def _label(text: str, width: int = 42) -> str:
    """A plot label: short, and never read as matplotlib math (a "$" in a name)."""
    text = " ".join(str(text).split())
    text = text if len(text) <= width else text[: width - 1] + "…"
    return text.replace("\\", "\\\\").replace("$", r"\$")


def _bar(labels: list[str], values: list[float], title: str, xlabel: str = "") -> Callable[[Path], None]:
    def draw(path: Path) -> None:
        fig, ax = plt.subplots(figsize=(7, max(2.2, 0.4 * len(labels) + 1)))
        ax.barh([_label(x) for x in labels[::-1]], values[::-1], color="#3b6ea5")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        fig.tight_layout()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a glyph the font lacks (Chinese script) is drawn as a box
            fig.savefig(path, dpi=110, format="png")
        plt.close(fig)
    return draw


def plots(s: dict[str, Any]) -> dict[str, Callable[[Path], None]]:
    out: dict[str, Callable[[Path], None]] = {}
    if s["by_month"]:
        out["events_by_month.png"] = _bar(list(s["by_month"]), list(s["by_month"].values()), "Events by month",
                                          "events")
    if s["value_by_region_usd"]:
        out["value_by_region.png"] = _bar(list(s["value_by_region_usd"]),
                                          [v / 1e6 for v in s["value_by_region_usd"].values()],
                                          "Announced value by region", "USD million")
    if s["value_by_sector_year_usd"]:
        out["value_by_sector_year.png"] = _bar(list(s["value_by_sector_year_usd"]),
                                               [v / 1e6 for v in s["value_by_sector_year_usd"].values()],
                                               "Announced value by sector and year", "USD million")
    if s["top_counterparts"]:
        out["top_counterparts.png"] = _bar(list(s["top_counterparts"]), list(s["top_counterparts"].values()),
                                           "Top China-side counterparts", "events")
    return out


# ------------------------------------------------------------------ text


def money(x: float) -> str:
    return f"${x / 1e9:.2f} bn" if x >= 1e9 else f"${x / 1e6:.1f} m" if x >= 1e6 else f"${x:,.0f}"


QUALIFIER = {"exact": "", "over": "over ", "about": "about ", "up_to": "up to "}


def amount_text(v: dict[str, Any]) -> str:
    return f"{QUALIFIER.get(v.get('qualifier') or 'exact', '')}{v['amount']:,.0f} {v['currency']}"


def period_text(s: dict[str, Any]) -> str:
    p = s["period"]
    if not p["first"]:
        return "no dated events"
    span = p["first"] if p["first"] == p["last"] else f"{p['first']} to {p['last']}"
    return span + (f" ({p['undated']} undated)" if p["undated"] else "")


def party_text(p: dict[str, Any]) -> str:
    name = p.get("name_en") or p.get("name") or "?"
    if p.get("name") and p.get("name") != name:
        name += f" ({p['name']})"
    return name + (f", {p['title']}" if p.get("title") else "")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")  # with [ and ] escaped no link or image can form


def md(text: Any) -> str:
    """Text safe in a Markdown table cell: HTML escaped (a permissive viewer runs none of it),
    Markdown syntax escaped (no links, images or emphasis from a name), one line, and a
    cell that starts like a spreadsheet formula neutralised."""
    s = " ".join(str("" if text is None else text).split())
    s = str(safe_cell(s))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def _table(header: list[str], rows: Iterable[list[str]], align: str = "") -> list[str]:
    rows = list(rows)
    sep = [("---:" if a == "r" else "---") for a in (align or "l" * len(header)).ljust(len(header), "l")]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(sep) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows] or ["| " + " | ".join(["(none)"] + [""] * (len(header) - 1)) + " |"]
    return out


def md_money(x: float) -> str:
    return md(money(x))


def event_usd(ev: dict[str, Any], conversions: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {c["project_index"]: c for c in conversions if c["event_id"] == ev["event_id"]}


def markdown(events: list[dict[str, Any]], s: dict[str, Any], plot_files: list[str], merged: bool) -> str:
    out = [f"{REPORT_HEADING}: {s['events']} events from {s['sources']} articles", ""]
    out += [f"- Period: {md(period_text(s))}",
            f"- Events: {s['events']} (" + ", ".join(f"{v} {md(TYPE_LABEL.get(k, k))}{'s' if v != 1 and k != 'other' else ''}"
                                                     for k, v in s["by_type"].items())
            + ")",
            f"- Total announced value: {md_money(s['total_usd'])} (the sum of {len(s['conversions'])} amounts in USD; "
            f"amounts in currencies the rate table lacks, left out: {s['unconverted_amounts']})",
            f"- Conflicts between sources noted by merging: {s['conflicts']}",
            f"- Values named only in words addressed to the model (an instruction injected into an article), "
            f"kept and marked ⚠: {s['injected_values']}",
            f"- Possible duplicates (almost one occasion, kept apart; check them): {len(s['possible_duplicates'])}"]
    if not merged:
        out += ["- **Not merged**: these are per-article records; an occasion several articles report is counted "
                "once per article (run `coopex merge` first)."]
    out += ["", "## Events", ""]
    rows = []
    for ev in sorted(events, key=lambda e: (e.get("date") or "9999", e["event_id"])):
        loc = ev.get("location") or {}
        usd = event_usd(ev, s["conversions"])
        projects = []
        for i, p in enumerate(ev.get("projects", [])):
            text = md(p.get("description"))
            if p.get("value"):
                text += f" ({md(amount_text(p['value']))}" + (f"; {md_money(usd[i]['usd'])}" if i in usd else "") + ")"
                text += f" {INJECTED}" if injected_value(ev, i, p) else ""
            projects.append(text)
        place = ", ".join(x for x in (loc.get("place"), loc.get("country")) if x) or "-"
        if any(f.get("slot") == "location.place" for f in ev.get("injected") or []):
            place += f" {INJECTED}"
        rows.append([
            md(ev.get("date") or "undated"), md(TYPE_LABEL.get(ev.get("type") or "other", ev.get("type"))),
            md(place),
            "; ".join(md(party_text(p)) + (f" {INJECTED}" if injected_party(ev, "kz_parties", p) else "")
                      for p in ev.get("kz_parties", [])) or "-",
            "; ".join(md(party_text(p)) + (f" {INJECTED}" if injected_party(ev, "cn_parties", p) else "")
                      for p in ev.get("cn_parties", [])) or "-",
            "; ".join(md(f"{a.get('kind')}: {a.get('subject')}") for a in ev.get("agreements", [])) or "-",
            "; ".join(projects) or "-",
            md(", ".join(ev.get("sectors", []))) or "-",
            ", ".join(md(x.get("article_id")) for x in ev.get("sources", [])),
        ])
    out += _table(["date", "type", "place", "Kazakhstan side", "China side", "agreements", "projects (USD)",
                   "sectors", "sources"], rows)
    out += ["", "### Evidence", ""]
    for ev in sorted(events, key=lambda e: (e.get("date") or "9999", e["event_id"])):
        quotes = ev.get("evidence", [])
        out += [f"**{md(ev['event_id'])}** ({md(ev.get('date') or 'undated')}, {md(ev.get('type'))}): "
                f"{md(ev.get('summary'))}", ""]
        out += [f"- {md(q.get('quote') if isinstance(q, dict) else q)}"
                + (f" ({md(q['article_id'])})" if isinstance(q, dict) and q.get("article_id") else "")
                for q in quotes] or ["- (no quotes)"]
        out += [""]
    joined = [(ev, x) for ev in sorted(events, key=lambda e: e["event_id"]) for x in ev.get("sources", []) if x.get("why")]
    if joined:
        out += ["## Why sources were joined", ""]
        out += _table(["event", "source", "why"], ([md(ev["event_id"]), md(f"{x.get('article_id')}#{x.get('event_index')}"),
                                                   md(why_text(x["why"]))] for ev, x in joined))
        out += [""]
    out += ["## Possible duplicates (not merged)", ""]
    out += _table(["event", "other event", "sources compared", "shared parties", "dates", "why not merged"],
                  ([md(d["event_id"]), md(d["other_event_id"]), md(f"{d['source']} / {d['other_source']}"),
                    md(", ".join(d["parties"])) or "-", md(d["time"]), md(d["reason"])]
                   for d in s["possible_duplicates"]))
    out += [""]
    out += ["## Announced value by region (USD)", ""]
    out += _table(["region", "value"], ([md(k), md_money(v)] for k, v in s["value_by_region_usd"].items()), "lr")
    out += ["", "## Announced value by sector and year (USD)", ""]
    out += _table(["sector and year", "value"],
                  ([md(k), md_money(v)] for k, v in s["value_by_sector_year_usd"].items()), "lr")
    out += ["", "## Top China-side counterparts", ""]
    out += _table(["counterpart", "events"], ([md(k), str(v)] for k, v in s["top_counterparts"].items()), "lr")
    out += ["", "## Conversions to USD (rate used: currency units per USD, annual average)", ""]
    out += _table(["event", "project", "amount", "rate year", "rate", "USD"],
                  ([md(c["event_id"]), md(c["project"]), md(amount_text(c)),
                    f"{md(c['rate_year'])}{' (estimate)' if c['estimated_rate'] else ''}", str(c["rate"]),
                    md_money(c["usd"])] for c in s["conversions"]), "llrlrr")
    out += ["", f"Rate table: `{md(s['rate_table'])}`. Amounts in currencies it lacks: {s['unconverted_amounts']}.", ""]
    notes = list(dict.fromkeys(c["estimate_note"] for c in s["conversions"] if c.get("estimate_note")))
    if notes:
        out += ["Rates marked (estimate) are not the table's rate for the amount's year:", ""]
        out += [f"- {md(n)}" for n in notes] + [""]
    out += [f"![{PLOTS[f]}]({f})" for f in plot_files]
    return "\n".join(out) + "\n"


def merged_lines(events: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
