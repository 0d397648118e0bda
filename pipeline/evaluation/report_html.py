"""A self-contained HTML review page for one evaluation report."""

from __future__ import annotations

import html
from typing import Any

from pipeline.evaluation.score import SLOTS
from pipeline.grounding import locate

CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top;font-size:13px}
th{background:#f3f3f3}.miss{background:#fde2e2}.ok{background:#e5f6e5}.none{color:#999}
mark{background:#fff1a8}.article{border-top:2px solid #333;margin-top:2em;padding-top:1em}
.text{white-space:pre-wrap;font-size:14px;background:#fafafa;padding:1em;border:1px solid #eee;max-height:30em;overflow:auto}
.pair{display:flex;gap:1em}.pair>div{flex:1}
"""


def _f(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}" if isinstance(x, float) else html.escape(str(x))


def _highlight(text: str, quotes: list[str]) -> str:
    spans: set[tuple[int, int]] = set()
    for q in quotes:
        s = locate(q, text)
        if s.start is not None and s.end is not None:
            spans.add((s.start, s.end))
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        out += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _slot_value(ev: dict[str, Any] | None, slot: str) -> str:
    if ev is None:
        return ""
    if slot == "location.country":
        return ev["location"].get("country") or ""
    if slot == "location.place":
        return ev["location"].get("place") or ""
    if slot in ("kz_parties", "cn_parties"):
        return "; ".join(p["name_en"] for p in ev[slot])
    if slot == "agreements":
        return "; ".join(f"{a['kind']}: {a['subject']}" for a in ev[slot])
    if slot == "projects":
        return "; ".join(p["description"] + (f" ({p['value']['amount']:,.0f} {p['value']['currency']})" if p.get("value") else "")
                         for p in ev[slot])
    if slot == "money":
        return "; ".join(f"{p['value']['qualifier']} {p['value']['amount']:,.0f} {p['value']['currency']}"
                         for p in ev["projects"] if p.get("value"))
    if slot == "sectors":
        return ", ".join(ev[slot])
    return str(ev.get(slot) or "")


def render(report: dict[str, Any], golds: dict[str, dict[str, Any]]) -> str:
    h = report["headline"]
    meta = report["meta"]
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>coopex eval: {html.escape(meta['prompt_id'])}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>coopex evaluation</h1><p>prompt <b>{html.escape(meta['prompt_id'])}</b> · schema {html.escape(meta['schema_id'])} · "
             f"model {html.escape(meta['model'])} · {meta['articles']} articles · {html.escape(meta['created'])}</p>",
             "<table id='headline'><tr><th>figure</th><th>value</th><th>95% interval</th></tr>"]
    for k in ("event_f1", "slot_f1_lenient", "slot_f1_strict", "grounding_rate"):
        ci = report.get("ci95", {}).get(k)
        parts.append(f"<tr><td>{k}</td><td id='{k}'>{_f(h[k])}</td><td>{'' if not ci else f'{ci[0]:.3f}–{ci[1]:.3f}'}</td></tr>")
    parts.append("</table><h2>Slots</h2><table id='slots'><tr><th>slot</th><th>strict F1</th><th>lenient P</th><th>lenient R</th><th>lenient F1</th></tr>")
    for s in SLOTS:
        st, le = report["slots"]["strict"][s], report["slots"]["lenient"][s]
        parts.append(f"<tr><td>{s}</td><td>{_f(st['f1'])}</td><td>{_f(le['p'])}</td><td>{_f(le['r'])}</td><td>{_f(le['f1'])}</td></tr>")
    parts.append("</table><h2>By language</h2><table><tr><th>language</th><th>articles</th><th>event F1</th><th>slot F1 lenient</th></tr>")
    for lang, v in report["by_language"].items():
        parts.append(f"<tr><td>{lang}</td><td>{v['articles']}</td><td>{_f(v['event_f1'])}</td><td>{_f(v['slot_f1_lenient'])}</td></tr>")
    parts.append("</table>")
    records = report.get("records", {})
    texts = report.get("texts", {})
    for art in report["articles"]:
        aid = art["article_id"]
        rec = records.get(aid, {})
        pevs = rec.get("events", []) if "error" not in rec else []
        gevs = golds.get(aid, {}).get("events", [])
        quotes = [q for ev in pevs for q in ev.get("evidence", [])]
        parts.append(f"<div class='article' id='a-{html.escape(aid)}'><h2>{html.escape(aid)} ({art['language']})</h2>"
                     f"<p>events tp {art['events']['tp']} · fp {art['events']['fp']} · fn {art['events']['fn']} · "
                     f"evidence found {art['quotes_found']}/{art['quotes']}</p>")
        if "error" in rec:
            parts.append(f"<p class='miss'>error ({html.escape(rec['error']['stage'])}): {html.escape(rec['error']['message'])}</p>")
        parts.append(f"<div class='text'>{_highlight(texts.get(aid, ''), quotes)}</div>")
        matched_p = {p['pred'] for p in art["pairs"]}
        matched_g = {p['gold'] for p in art["pairs"]}
        rows = [(p["gold"], p["pred"], set(p["mismatched"])) for p in art["pairs"]]
        rows += [(j, None, set(SLOTS)) for j in range(len(gevs)) if j not in matched_g]
        rows += [(None, i, set(SLOTS)) for i in range(len(pevs)) if i not in matched_p]
        for gi, pi, miss in rows:
            g = gevs[gi] if gi is not None else None
            p = pevs[pi] if pi is not None else None
            title = "matched" if g is not None and p is not None else ("missed (gold only)" if p is None else "extra (predicted only)")
            parts.append(f"<h3>{title}</h3><table class='pair'><tr><th>slot</th><th>gold</th><th>predicted</th></tr>")
            for s in SLOTS:
                cls = "miss" if s in miss and (g is None or p is None or _slot_value(g, s) or _slot_value(p, s)) else "ok"
                parts.append(f"<tr class='{cls}'><td>{s}</td><td>{html.escape(_slot_value(g, s))}</td>"
                             f"<td>{html.escape(_slot_value(p, s))}</td></tr>")
            parts.append("</table>")
        parts.append("</div>")
    parts.append("</body></html>")
    return "".join(parts)
