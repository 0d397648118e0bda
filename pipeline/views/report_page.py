"""The report as one self-contained HTML page, for analysts and journalists.

No server and no external resource: the plots are inline (data: URIs), the style
and the script are inline and allowed by hash in a Content-Security-Policy that
allows nothing else (no other script, no network). Every text from the records is
escaped, and only http(s) addresses become links. Without JavaScript the page is
complete; with it, the events table can be filtered (type, sector, free text) and
sorted (click a column), and the view is kept in the address (``#type=signing&q=steel``),
so a filtered view can be bookmarked or sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
from collections.abc import Iterable
from typing import Any

from pipeline.views.export import injected_party, injected_value
from pipeline.views.report import INJECTED, PLOTS, TYPE_LABEL, amount_text, event_usd, money, period_text, why_text

CSS = """
:root{--ink:#1d2430;--mute:#5b6573;--line:#d9dee5;--bg:#f6f7f9;--accent:#2b5d92}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);margin:0;background:#fff}
header.top{background:var(--bg);border-bottom:1px solid var(--line);padding:18px 28px}
header.top h1{margin:0 0 2px;font-size:22px}
.sub{color:var(--mute);margin:0 0 12px}
.facts{display:flex;flex-wrap:wrap;gap:10px;margin:0}
.facts div{background:#fff;border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:130px}
.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--mute)}
.facts dd{margin:0;font-size:17px;font-weight:600}
.injected{display:block;color:#9a3412;font-weight:600;font-size:.85em}
.warn{background:#fff4d6;border:1px solid #e8c96a;border-radius:6px;padding:6px 12px;margin:12px 0 0}
nav{padding:8px 28px;border-bottom:1px solid var(--line);font-size:13px}
nav a{margin-right:14px;color:var(--accent);text-decoration:none}
main{padding:0 28px 40px}
section{margin-top:26px}
h2{font-size:17px;margin:0 0 8px;border-bottom:2px solid var(--ink);padding-bottom:3px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
th{background:var(--bg);font-size:12px;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
table.small{width:auto;min-width:40%;margin-bottom:22px}
#events td{font-size:13px}
#events tr.main td:first-child,#events .type,#events .src a{white-space:nowrap}
#events th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:inherit}
#events th[aria-sort=ascending] button::after{content:" \\25B2"}
#events th[aria-sort=descending] button::after{content:" \\25BC"}
#events tbody.ev tr.main td{border-bottom:0}
#events tbody.ev tr.more td{padding-top:0;color:var(--mute)}
.name{font-weight:600}.orig,.role{display:block;color:var(--mute);font-size:12px}
.party{margin-bottom:4px}
.type{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff}
.t-meeting{background:#3b6ea5;fill:#3b6ea5}.t-signing{background:#2e8b57;fill:#2e8b57}
.t-project{background:#c0611b;fill:#c0611b}.t-forum{background:#7b3fb5;fill:#7b3fb5}
.t-trade{background:#9a7400;fill:#9a7400}.t-other{background:#6b7280;fill:#6b7280}
.usd{white-space:nowrap;color:var(--mute)}
.conflict{color:#a33;font-size:12px}
details summary{cursor:pointer;color:var(--accent)}
blockquote{margin:4px 0 6px 0;padding:2px 10px;border-left:3px solid var(--line);color:var(--ink)}
blockquote cite{display:block;color:var(--mute);font-style:normal;font-size:12px}
#controls{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin:6px 0 10px}
#controls label{display:flex;flex-direction:column;font-size:12px;color:var(--mute)}
#controls select,#controls input{font:inherit;padding:3px 6px;min-width:150px}
#count{color:var(--mute);margin-left:auto}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:16px}
.plots figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px}
.plots img{width:100%;height:auto}
.plots figcaption{font-size:12px;color:var(--mute)}
svg.timeline{width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
svg.timeline text{font-size:11px;fill:#5b6573}
svg.timeline line{stroke:#d9dee5}
svg.timeline circle{stroke:#fff;stroke-width:1.5}
footer{color:var(--mute);font-size:12px;padding:10px 28px 30px;border-top:1px solid var(--line)}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var table = document.getElementById("events");
  if (!table) { return; }
  var groups = Array.prototype.slice.call(table.tBodies);
  var controls = document.getElementById("controls");
  var fType = document.getElementById("f-type"), fSector = document.getElementById("f-sector");
  var fText = document.getElementById("f-text"), count = document.getElementById("count");
  var defaults = {type: "", sector: "", q: "", sort: "date", dir: "asc"};
  var state = {type: "", sector: "", q: "", sort: "date", dir: "asc"};
  controls.hidden = false;

  function readHash() {
    var h = window.location.hash.slice(1);
    if (h.indexOf("=") < 0) { return; }
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i < 0) { return; }
      var k = decodeURIComponent(kv.slice(0, i));
      var v = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
      if (Object.prototype.hasOwnProperty.call(state, k)) { state[k] = v; }
    });
  }

  function writeHash() {
    var parts = [];
    Object.keys(state).forEach(function (k) {
      if (state[k] !== defaults[k]) { parts.push(k + "=" + encodeURIComponent(state[k])); }
    });
    var url = window.location.pathname + window.location.search + (parts.length ? "#" + parts.join("&") : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* a file: URL some browsers refuse */ }
  }

  function key(g, k) {
    var v = g.getAttribute("data-" + k) || "";
    if (k === "usd") { return parseFloat(v) || 0; }
    if (k === "date") { return v || "9999"; }
    return v.toLowerCase();
  }

  function apply() {
    var q = state.q.toLowerCase().trim(), shown = 0, dir = state.dir === "desc" ? -1 : 1;
    groups.forEach(function (g) {
      var ok = (!state.type || g.getAttribute("data-type") === state.type) &&
        (!state.sector || (" " + g.getAttribute("data-sectors") + " ").indexOf(" " + state.sector + " ") >= 0) &&
        (!q || g.getAttribute("data-text").indexOf(q) >= 0);
      g.hidden = !ok;
      if (ok) { shown += 1; }
    });
    groups.slice().sort(function (a, b) {
      var x = key(a, state.sort), y = key(b, state.sort);
      return x < y ? -dir : x > y ? dir : 0;
    }).forEach(function (g) { table.appendChild(g); });
    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
      if (th.getAttribute("data-sort") === state.sort) {
        th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      } else { th.removeAttribute("aria-sort"); }
    });
    fType.value = state.type; fSector.value = state.sector; fText.value = state.q;
    count.textContent = shown + " of " + groups.length + " events shown";
  }

  function update() { apply(); writeHash(); }

  fType.addEventListener("change", function () { state.type = fType.value; update(); });
  fSector.addEventListener("change", function () { state.sector = fSector.value; update(); });
  fText.addEventListener("input", function () { state.q = fText.value; update(); });
  document.getElementById("f-clear").addEventListener("click", function () {
    Object.keys(defaults).forEach(function (k) { state[k] = defaults[k]; });
    update();
  });
  Array.prototype.forEach.call(table.querySelectorAll("th[data-sort] button"), function (b) {
    b.addEventListener("click", function () {
      var k = b.parentNode.getAttribute("data-sort");
      state.dir = state.sort === k && state.dir === "asc" ? "desc" : "asc";
      state.sort = k;
      update();
    });
  });
  window.addEventListener("hashchange", function () {
    var h = window.location.hash.slice(1);
    if (h.indexOf("=") < 0) {  // a link to one event: show it even if a filter hid it
      var target = h && document.getElementById(h);
      if (target && target.hidden) { Object.keys(defaults).forEach(function (k) { state[k] = defaults[k]; }); apply(); }
      return;
    }
    readHash(); apply();
  });
  readHash();
  apply();
}());
"""


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _anchor(prefix: str, key: str) -> str:
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def safe_url(url: Any) -> str | None:
    """An address that may be a link: http or https, no spaces or control characters."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if not u.lower().startswith(("http://", "https://")) or any(c.isspace() or ord(c) < 32 for c in u):
        return None
    return u


def _party(p: dict[str, Any], injected: bool = False) -> str:
    name = p.get("name_en") or p.get("name") or "?"
    out = f"<div class='party'><span class='name'>{_e(name)}</span>"
    if injected:
        out += f"<span class='injected'>{_e(INJECTED)}</span>"
    if p.get("name") and p["name"] != name:
        out += f"<span class='orig'>{_e(p['name'])}</span>"
    role = ", ".join(x for x in (p.get("title"), p.get("kind") if p.get("kind") not in ("person",) else None) if x)
    if role:
        out += f"<span class='role'>{_e(role)}</span>"
    return out + "</div>"


def _sources(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for ev in events:
        for s in ev.get("sources", []):
            known = out.setdefault(s["article_id"], {"article_id": s["article_id"], "events": []})
            for k in ("language", "published", "url", "title"):
                if s.get(k) and not known.get(k):
                    known[k] = s[k]
            known["events"].append(ev["event_id"])
    return out


def _source_link(s: dict[str, Any]) -> str:
    url = safe_url(s.get("url"))
    label = _e(s["article_id"])
    if url:
        return (f"<a href='{_e(url)}' rel='noopener noreferrer' target='_blank' "
                f"title='{_e(s.get('title') or url)}'>{label}</a>")
    return f"<a href='#{_anchor('s', s['article_id'])}' title='{_e(s.get('title') or 'source article')}'>{label}</a>"


def _search_text(ev: dict[str, Any]) -> str:
    parts: list[Any] = [ev.get("type"), ev.get("date"), ev.get("summary"), *(ev.get("location") or {}).values(),
                        *ev.get("sectors", [])]
    for side in ("kz_parties", "cn_parties"):
        parts += [x for p in ev.get(side, []) for x in (p.get("name"), p.get("name_en"), p.get("title"))]
    parts += [x for a in ev.get("agreements", []) for x in (a.get("kind"), a.get("subject"))]
    parts += [p.get("description") for p in ev.get("projects", [])]
    parts += [q.get("quote") if isinstance(q, dict) else q for q in ev.get("evidence", [])]
    parts += [s.get("article_id") for s in ev.get("sources", [])]
    return " ".join(" ".join(str(x).split()) for x in parts if x).lower()


def _event_rows(events: list[dict[str, Any]], s: dict[str, Any], sources: dict[str, dict[str, Any]]) -> str:
    rows = []
    for ev in sorted(events, key=lambda e: (e.get("date") or "9999", e["event_id"])):
        loc = ev.get("location") or {}
        usd = event_usd(ev, s["conversions"])
        typ = ev.get("type") or "other"
        projects = []
        for i, p in enumerate(ev.get("projects", [])):
            text = _e(p.get("description"))
            v = p.get("value")
            if v:
                text += f"<br><b>{_e(amount_text(v))}</b>"
                c = usd.get(i)
                text += (f" <span class='usd'>≈ {_e(money(c['usd']))} ({_e(c['rate_year'])} rate)</span>" if c
                         else f" <span class='usd'>(no USD rate for {_e(v['currency'])})</span>")
            if p.get("status"):
                text += f" <span class='role'>{_e(str(p['status']).replace('_', ' '))}</span>"
            if v and injected_value(ev, i, p):
                text += f"<span class='injected'>{_e(INJECTED)}</span>"
            projects.append(f"<div class='party'>{text}</div>")
        agreements = "".join(f"<div class='party'><span class='name'>{_e(str(a.get('kind', '')).replace('_', ' '))}"
                             f"</span><span class='role'>{_e(a.get('subject'))}</span></div>"
                             for a in ev.get("agreements", []))
        quotes = ev.get("evidence", [])
        quote_html = "".join(
            f"<blockquote>{_e(q.get('quote') if isinstance(q, dict) else q)}"
            + (f"<cite>{_source_link(sources[q['article_id']])}</cite>"
               if isinstance(q, dict) and q.get("article_id") in sources else "") + "</blockquote>"
            for q in quotes)
        conflicts = ev.get("conflicts", [])
        conflict_html = (f" <span class='conflict' title='{_e(', '.join(str(c.get('slot')) for c in conflicts))}'>"
                         f"{len(conflicts)} conflict(s) between sources</span>" if conflicts else "")
        whys = [(x, x["why"]) for x in ev.get("sources", []) if x.get("why")]
        why_html = (f"<details><summary>Why these {len(whys) + 1} sources are one occasion</summary><ul>"
                    + "".join(f"<li>{_e(x.get('article_id'))}: {_e(why_text(w))}</li>" for x, w in whys)
                    + "</ul></details>") if whys else ""
        dups = ev.get("possible_duplicates", []) or []
        dup_html = (f" <span class='conflict'>{len(dups)} possible duplicate(s): "
                    + ", ".join(_source_anchor_event(str(d.get("event_id"))) for d in dups) + "</span>") if dups else ""
        total = sum(c["usd"] for c in usd.values())
        src_links = "<br>".join(_source_link(sources[x["article_id"]]) for x in ev.get("sources", []))
        attrs = {
            "id": _anchor("e", ev["event_id"]), "data-type": typ, "data-date": ev.get("date") or "",
            "data-place": loc.get("place") or "", "data-usd": f"{total:.2f}",
            "data-kz": ";".join(p.get("name_en") or "" for p in ev.get("kz_parties", [])),
            "data-cn": ";".join(p.get("name_en") or "" for p in ev.get("cn_parties", [])),
            "data-sectors": " ".join(ev.get("sectors", [])), "data-text": _search_text(ev),
        }
        attr_html = " ".join(f"{k}='{_e(v)}'" for k, v in attrs.items())
        rows.append(
            f"<tbody class='ev' {attr_html}><tr class='main'>"
            f"<td>{_e(ev.get('date') or 'undated')}</td>"
            f"<td><span class='type t-{_e(typ)}'>{_e(TYPE_LABEL.get(typ, typ))}</span></td>"
            f"<td>{_e(loc.get('place') or '-')}<span class='role'>{_e(loc.get('country') or '')}</span>"
            + (f"<span class='injected'>{_e(INJECTED)}</span>"
               if any(f.get("slot") == "location.place" for f in ev.get("injected") or []) else "") + "</td>"
            f"<td>{''.join(_party(p, injected_party(ev, 'kz_parties', p)) for p in ev.get('kz_parties', [])) or '-'}</td>"
            f"<td>{''.join(_party(p, injected_party(ev, 'cn_parties', p)) for p in ev.get('cn_parties', [])) or '-'}</td>"
            f"<td>{agreements or '-'}</td><td>{''.join(projects) or '-'}</td>"
            f"<td class='num'>{_e(money(total)) if usd else '-'}</td>"
            f"<td>{_e(', '.join(x.replace('_', ' ') for x in ev.get('sectors', []))) or '-'}</td>"
            f"<td class='src'>{src_links}</td></tr>"
            f"<tr class='more'><td colspan='10'>{_e(ev.get('summary'))}{conflict_html}{dup_html}{why_html}"
            f"<details><summary>Evidence ({len(quotes)} quote{'s' if len(quotes) != 1 else ''})</summary>"
            f"{quote_html or '<p>No quotes.</p>'}</details></td></tr></tbody>")
    return "".join(rows)


def _parse(d: str | None) -> dt.date | None:
    """A date, a month (its first day) or a year (its first day)."""
    if not d:
        return None
    full = {10: d, 7: d + "-01", 4: d + "-01-01"}.get(len(d))
    try:
        return dt.date.fromisoformat(full) if full else None
    except ValueError:
        return None


def timeline(events: list[dict[str, Any]]) -> str:
    """An SVG timeline: one lane per event type, one dot per dated event, linked to its row."""
    dated = [(d, ev) for ev in events if (d := _parse(ev.get("date"))) is not None]
    undated = len(events) - len(dated)
    if not dated:
        return f"<p>No dated events{f' ({undated} undated)' if undated else ''}.</p>"
    lo, hi = min(d for d, _ in dated), max(d for d, _ in dated)
    pad = dt.timedelta(days=max(15, (hi - lo).days // 30))  # no dot on the frame
    lo, hi = lo - pad, hi + pad
    types = [t for t in TYPE_LABEL if any((ev.get("type") or "other") == t for _, ev in dated)]
    left, right, top, lane = 110, 20, 14, 28
    width = 960
    height = top + lane * len(types) + 34
    span = max(1, (hi - lo).days)

    def x(d: dt.date) -> float:
        return left + (width - left - right) * (d - lo).days / span

    parts = [f"<svg class='timeline' viewBox='0 0 {width} {height}' role='img' "
             f"aria-label='Timeline of {len(dated)} dated events'>"]
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = 1 if months <= 12 else 3 if months <= 36 else 12
    m = dt.date(lo.year, lo.month, 1)
    while m <= hi:
        if m >= lo and ((m.month - 1) % step == 0):
            parts.append(f"<line x1='{x(m):.1f}' y1='{top - 6}' x2='{x(m):.1f}' y2='{height - 24}'/>"
                         f"<text x='{x(m):.1f}' y='{height - 10}' text-anchor='middle'>{m:%Y-%m}</text>")
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    seen: dict[tuple[str, str], int] = {}
    for i, t in enumerate(types):
        y = top + lane * i + lane / 2
        parts.append(f"<text x='{left - 10}' y='{y + 4:.1f}' text-anchor='end'>{_e(TYPE_LABEL[t])}</text>"
                     f"<line x1='{left}' y1='{y:.1f}' x2='{width - right}' y2='{y:.1f}'/>")
        for d, ev in sorted((p for p in dated if (p[1].get("type") or "other") == t), key=lambda p: p[0]):
            k = (t, d.isoformat())
            n = seen[k] = seen.get(k, -1) + 1
            label = f"{ev.get('date')} {TYPE_LABEL[t]}: {ev.get('summary') or ''}"
            parts.append(f"<a href='#{_anchor('e', ev['event_id'])}'><circle class='t-{t}' cx='{x(d):.1f}' "
                         f"cy='{y + (n % 3 - 1) * 6 * (n > 0):.1f}' r='6'><title>{_e(label)}</title></circle></a>")
    parts.append("</svg>")
    if undated:
        parts.append(f"<p class='sub'>{undated} undated event(s) are not on the timeline.</p>")
    return "".join(parts)


def _small_table(header: Iterable[str], rows: list[list[str]], num: Iterable[int] = ()) -> str:
    nums = set(num)
    head = "".join(f"<th{' class=num' if i in nums else ''}>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{' class=num' if i in nums else ''}>{c}</td>" for i, c in enumerate(r))
                   + "</tr>" for r in rows) or f"<tr><td colspan='{len(list(header)) or 1}'>(none)</td></tr>"
    return f"<table class='small'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_page(events: list[dict[str, Any]], s: dict[str, Any], images: dict[str, bytes], source_name: str) -> str:
    sources = _sources(events)
    types = [t for t in TYPE_LABEL if t in s["by_type"]]
    sectors = sorted({x for ev in events for x in ev.get("sectors", [])})
    facts = [("Period", period_text(s)), ("Events", str(s["events"])), ("Source articles", str(s["sources"])),
             ("Total announced value", money(s["total_usd"]) if s["conversions"] else "none stated"),
             ("Amounts in USD", str(len(s["conversions"]))), ("Conflicts noted", str(s["conflicts"])),
             ("Values named only in words to the model (⚠)", str(s.get("injected_values", 0))),
             ("Possible duplicates", str(len(s.get("possible_duplicates", []))))]
    by_type = " · ".join(f"{v} {TYPE_LABEL.get(k, k)}{'s' if v != 1 and k != 'other' else ''}"
                         for k, v in s["by_type"].items())
    warn = ("" if s.get("merged", True) else
            "<p class='warn'>These are per-article records, not merged events: an occasion several articles "
            "report is counted once per article. Run <code>coopex merge</code> first for one row per event.</p>")
    figures = "".join(
        f"<figure><img alt='{_e(PLOTS[name])}' src='data:image/png;base64,{base64.b64encode(data).decode()}'>"
        f"<figcaption>{_e(PLOTS[name])} ({_e(name)})</figcaption></figure>" for name, data in images.items())
    conv_rows = [[_source_anchor_event(c["event_id"]), _e(c["project"]), _e(amount_text(c)),
                  _e(c["rate_year"]) + (f" (estimate: {_e(c.get('estimate_note') or 'see the rate table')})"
                                          if c["estimated_rate"] else ""), _e(c["rate"]),
                  _e(money(c["usd"]))] for c in s["conversions"]]
    conflict_rows = [[_source_anchor_event(ev["event_id"]), _e(c.get("slot")),
                      _e(c.get("project") or ""), _e(_values(c.get("values")))]
                     for ev in events for c in ev.get("conflicts", [])]
    dup_rows = [[_source_anchor_event(d["event_id"]), _source_anchor_event(d["other_event_id"]),
                 _e(f"{d['source']} / {d['other_source']}"), _e(", ".join(d["parties"]) or "-"), _e(d["time"]),
                 _e(d["reason"])] for d in s.get("possible_duplicates", [])]
    source_rows = [[f"<span id='{_anchor('s', sid)}'>{_e(sid)}</span>", _e(x.get("title") or ""),
                    _e(x.get("language") or ""), _e(x.get("published") or ""),
                    (f"<a href='{_e(u)}' rel='noopener noreferrer' target='_blank'>{_e(u)}</a>"
                     if (u := safe_url(x.get("url"))) else _e(x.get("url") or "")),
                    str(len(x["events"]))] for sid, x in sorted(sources.items())]
    csp = (f"default-src 'none'; img-src data:; style-src {_sha(CSS)}; script-src {_sha(SCRIPT)}; "
           "base-uri 'none'; form-action 'none'")
    options = lambda values, label: "".join(  # noqa: E731
        [f"<option value=''>{_e(label)}</option>"] + [f"<option value='{_e(v)}'>{_e(v.replace('_', ' '))}</option>"
                                                    for v in values])
    head_cells = [("date", "Date"), ("type", "Type"), ("place", "Place"), ("kz", "Kazakhstan side"),
                  ("cn", "China side"), (None, "Agreements"), (None, "Projects and amounts"), ("usd", "USD"),
                  (None, "Sectors"), (None, "Sources")]
    head = "".join((f"<th data-sort='{k}'{' class=num' if k == 'usd' else ''}><button type='button'>{_e(h)}"
                    f"</button></th>") if k else f"<th>{_e(h)}</th>" for k, h in head_cells)
    return "".join([
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>coopex report: Kazakhstan–China cooperation, {_e(period_text(s))}</title>",
        f"<style>{CSS}</style></head><body>",
        "<header class='top'><h1>Kazakhstan–China cooperation events</h1>",
        f"<p class='sub'>Extracted by coopex from news articles · {_e(by_type)} · source file {_e(source_name)}</p>",
        "<dl class='facts'>", "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts), "</dl>",
        warn, "</header>",
        "<nav><a href='#events-section'>Events</a><a href='#timeline'>Timeline</a><a href='#plots'>Plots</a>"
        "<a href='#values'>Values</a><a href='#conversions'>Conversions</a><a href='#sources'>Sources</a></nav><main>",
        "<section id='events-section'><h2>Events</h2>",
        "<div id='controls' hidden>",
        f"<label>Type<select id='f-type'>{options(types, 'all types')}</select></label>",
        f"<label>Sector<select id='f-sector'>{options(sectors, 'all sectors')}</select></label>",
        "<label>Search<input id='f-text' type='search' placeholder='name, place, quote…'></label>",
        "<button type='button' id='f-clear'>Show all</button><span id='count'></span></div>",
        f"<table id='events'><thead><tr>{head}</tr></thead>{_event_rows(events, s, sources)}</table></section>",
        f"<section id='timeline'><h2>Timeline</h2>{timeline(events)}</section>",
        f"<section id='plots'><h2>Plots</h2><div class='plots'>{figures or '<p>No data to plot.</p>'}</div></section>",
        "<section id='values'><h2>Announced value by region (USD)</h2>",
        _small_table(["region", "value"], [[_e(k), _e(money(v))] for k, v in s["value_by_region_usd"].items()], [1]),
        "<h2>Announced value by sector and year (USD)</h2>",
        _small_table(["sector and year", "value"],
                     [[_e(k.replace("_", " ")), _e(money(v))] for k, v in s["value_by_sector_year_usd"].items()], [1]),
        "<h2>Top China-side counterparts</h2>",
        _small_table(["counterpart", "events"], [[_e(k), _e(v)] for k, v in s["top_counterparts"].items()], [1]),
        "</section><section id='conversions'><h2>Conversions to USD</h2>",
        "<p class='sub'>Rate used: currency units per USD, the annual average of the event's year "
        f"(table {_e(s['rate_table'])}; amounts in currencies it lacks: {_e(s['unconverted_amounts'])}).</p>",
        _small_table(["event", "project", "amount", "rate year", "rate", "USD"], conv_rows, [2, 4, 5]),
        "<h2>Conflicts between sources</h2>",
        _small_table(["event", "slot", "project", "values"], conflict_rows),
        "<h2 id='possible-duplicates'>Possible duplicates (not merged)</h2>",
        "<p class='sub'>Records that almost qualified as one occasion: a shared party and nothing against it, "
        "but not enough evidence. They are kept apart; check them.</p>",
        _small_table(["event", "other event", "sources compared", "shared parties", "dates", "why not merged"],
                     dup_rows),
        "</section><section id='sources'><h2>Source articles</h2>",
        _small_table(["article", "title", "language", "published", "address", "events"], source_rows, [5]),
        "</section></main>",
        "<footer>Each event is one real-world occasion merged from the articles that report it; its evidence "
        "quotes are the articles' own words. Amounts are as announced, not as spent. Made by coopex; this page "
        "loads nothing from the network.</footer>",
        f"<script>{SCRIPT}</script></body></html>",
    ])


def _source_anchor_event(event_id: str) -> str:
    return f"<a href='#{_anchor('e', event_id)}'>{_e(event_id)}</a>"


def _values(v: Any) -> str:
    if isinstance(v, dict):
        return "; ".join(f"{k}: {x}" for k, x in v.items())
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    return str(v)
