"""A summary report of a merged event set: Markdown and HTML with PNG plots.

Events over time; announced value by region, sector and year in USD (each
amount converted with the rate for its event's year from a dated rate table,
the rate used shown); top China-side counterparts; the conflicts merging found.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .errors import ConfigError  # noqa: E402
from .export import events_of, read_records, unmerged_warning  # noqa: E402
from .names import gazetteer  # noqa: E402
from .outputs import FolderOutput, first_line  # noqa: E402

FILES = ["report.md", "report.html", "summary.json", "events_by_month.png", "value_by_region.png",
         "value_by_sector_year.png", "top_counterparts.png"]


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
            return cls(raw["rates"], raw.get("estimated", {}), str(path) if path else "pipeline/data/usd_rates.json")
        except (OSError, ValueError, KeyError) as e:
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
                counterparts[p.get("name_en") or p.get("name") or "?"] += 1
        for pr in ev.get("projects", []):
            v = pr.get("value")
            if not v:
                continue
            conv = rates.to_usd(float(v["amount"]), v["currency"], date[:4] or None)
            if conv is None:
                unconverted += 1
                continue
            usd, year, rate = conv
            conversions.append({"event_id": ev["event_id"], "project": pr.get("description"), "amount": v["amount"],
                                "currency": v["currency"], "rate_year": year, "rate": rate, "usd": round(usd, 2),
                                "estimated_rate": year in rates.estimated.get(v["currency"], [])})
            value_region[_region(ev, pr)] += usd
            for sector in pr.get("sectors") or ev.get("sectors") or ["other"]:
                value_sector_year[(sector, date[:4] or "(undated)")] += usd / max(1, len(pr.get("sectors") or ev.get("sectors") or ["other"]))
    return {
        "events": len(events), "by_type": dict(by_type.most_common()),
        "sources": len({s["article_id"] for ev in events for s in ev.get("sources", [])}),
        "by_month": dict(sorted(by_month.items())),
        "value_by_region_usd": dict(sorted(value_region.items(), key=lambda kv: -kv[1])),
        "value_by_sector_year_usd": {f"{s} {y}": round(v, 2) for (s, y), v in sorted(value_sector_year.items())},
        "top_counterparts": dict(counterparts.most_common(10)),
        "conversions": conversions, "unconverted_amounts": unconverted,
        "conflicts": sum(len(ev.get("conflicts", [])) for ev in events),
        "rate_table": rates.source,
    }


def _bar(labels: list[str], values: list[float], title: str, xlabel: str = "") -> Callable[[Path], None]:
    def draw(path: Path) -> None:
        fig, ax = plt.subplots(figsize=(7, max(2.2, 0.4 * len(labels) + 1)))
        ax.barh(labels[::-1], values[::-1], color="#3b6ea5")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        fig.tight_layout()
        fig.savefig(path, dpi=110, format="png")
        plt.close(fig)
    return draw


def _money(x: float) -> str:
    return f"${x / 1e9:.2f} bn" if x >= 1e9 else f"${x / 1e6:.1f} m" if x >= 1e6 else f"${x:,.0f}"


def recognise_report() -> dict[str, Callable[[Path], bool]]:
    """How to tell the files an older coopex wrote (before folder manifests) from other files."""
    def summary(p: Path) -> bool:
        raw = json.loads(p.read_text("utf-8"))
        return isinstance(raw, dict) and "rate_table" in raw and "events" in raw

    def png(p: Path) -> bool:
        head = p.read_bytes()[:4096]
        return head.startswith(b"\x89PNG\r\n\x1a\n") and b"Matplotlib" in head

    return {"report.md": lambda p: first_line(p).startswith("# Kazakhstan–China cooperation"),
            "report.html": lambda p: b"<title>coopex report" in p.read_bytes()[:4096],
            "summary.json": summary, ".png": png}


def write_report(source: Path, out_dir: Path, rates_path: Path | None = None,
                 on_warning: Callable[[str], None] | None = None) -> dict[str, Any]:
    out = FolderOutput(out_dir, FILES, inputs=[source] + ([rates_path] if rates_path else []),
                       recognise=recognise_report())
    recs = read_records(source)
    if not recs.merged and recs.rows and on_warning:
        on_warning(unmerged_warning(source))
    events = list(events_of(recs.rows))
    rates = Rates.load(rates_path)
    s = summarise(events, rates)
    plots = []
    if s["by_month"]:
        out.write_with("events_by_month.png", _bar(list(s["by_month"]), list(s["by_month"].values()),
                                                   "Events by month", "events"))
        plots.append(("Events by month", "events_by_month.png"))
    if s["value_by_region_usd"]:
        out.write_with("value_by_region.png", _bar(list(s["value_by_region_usd"]),
                                                   [v / 1e6 for v in s["value_by_region_usd"].values()],
                                                   "Announced value by region", "USD million"))
        plots.append(("Announced value by region", "value_by_region.png"))
    if s["value_by_sector_year_usd"]:
        out.write_with("value_by_sector_year.png", _bar(list(s["value_by_sector_year_usd"]),
                                                        [v / 1e6 for v in s["value_by_sector_year_usd"].values()],
                                                        "Announced value by sector and year", "USD million"))
        plots.append(("Announced value by sector and year", "value_by_sector_year.png"))
    if s["top_counterparts"]:
        out.write_with("top_counterparts.png", _bar(list(s["top_counterparts"]), list(s["top_counterparts"].values()),
                                                    "Top China-side counterparts", "events"))
        plots.append(("Top China-side counterparts", "top_counterparts.png"))

    md = [f"# Kazakhstan–China cooperation: {s['events']} events from {s['sources']} articles", ""]
    md += ["| type | events |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in s["by_type"].items()] + [""]
    md += ["## Announced value by region (USD)", "", "| region | value |", "|---|---:|"]
    md += [f"| {k} | {_money(v)} |" for k, v in s["value_by_region_usd"].items()] or ["| (none) | |"]
    md += ["", "## Top China-side counterparts", "", "| counterpart | events |", "|---|---:|"]
    md += [f"| {k} | {v} |" for k, v in s["top_counterparts"].items()] or ["| (none) | |"]
    md += ["", "## Conversions to USD (rate used: currency units per USD, annual average)", "",
           "| event | project | amount | rate year | rate | USD |", "|---|---|---:|---|---:|---:|"]
    md += [f"| {c['event_id']} | {c['project']} | {c['amount']:,.0f} {c['currency']} | {c['rate_year']}"
           f"{' (estimate)' if c['estimated_rate'] else ''} | {c['rate']} | {_money(c['usd'])} |" for c in s["conversions"]]
    md += ["", f"Rate table: `{s['rate_table']}`. Amounts in currencies it lacks: {s['unconverted_amounts']}. "
           f"Conflicts between sources noted by merging: {s['conflicts']}.", ""]
    md += [f"![{t}]({f})" for t, f in plots]
    out.write("report.md", ("\n".join(md) + "\n").encode("utf-8"))
    body = "".join(f"<h2>{html.escape(t)}</h2><img src='{f}' alt='{html.escape(t)}'>" for t, f in plots)
    tables = "<pre>" + html.escape("\n".join(md[: md.index("") if "" in md else len(md)])) + "</pre>"
    conv = "".join(f"<tr><td>{html.escape(c['event_id'])}</td><td>{html.escape(str(c['project']))}</td>"
                   f"<td>{c['amount']:,.0f} {c['currency']}</td><td>{c['rate_year']}</td><td>{c['rate']}</td>"
                   f"<td>{_money(c['usd'])}</td></tr>" for c in s["conversions"])
    out.write("report.html", (
        "<!doctype html><meta charset='utf-8'><title>coopex report</title>"
        "<style>body{font:14px sans-serif;max-width:60em;margin:2em auto}td,th{padding:2px 8px}</style>"
        f"<h1>Kazakhstan–China cooperation: {s['events']} events from {s['sources']} articles</h1>{tables}"
        f"<h2>Conversions to USD</h2><table><tr><th>event</th><th>project</th><th>amount</th><th>rate year</th>"
        f"<th>rate</th><th>USD</th></tr>{conv}</table>{body}").encode())
    out.write("summary.json", json.dumps(s, indent=1, ensure_ascii=False).encode("utf-8"))
    out.commit()
    return s


def merged_lines(events: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
