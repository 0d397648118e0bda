"""The review page: one HTML document, its style and its script inline, allowed by hash.

It shares the report's look (``report_page.CSS``) and its Content-Security-Policy, with one
addition: the script may talk to the server that served it (``connect-src 'self'``). Nothing
else is loaded. Every value from a record, an article or the reviewer is put into the page
with ``textContent``, never parsed as HTML.
"""

from __future__ import annotations

import html
import json

from pipeline.core.enums import EVENT_TYPES, PARTY_KINDS, QUALIFIERS
from pipeline.views.report_page import CSS as REPORT_CSS
from pipeline.views.report_page import _sha

REVIEW_CSS = """
body{display:flex;flex-direction:column;min-height:100vh}
header.top{display:flex;flex-wrap:wrap;gap:6px 24px;align-items:baseline}
header.top h1{font-size:19px}
#progress{font-weight:600}
#status{color:var(--mute)}#status.bad,#lease.bad{color:#a33;font-weight:600}
#where{color:var(--mute)}
.layout{display:grid;grid-template-columns:minmax(0,1.15fr) minmax(0,1fr) 290px;gap:18px;padding:14px 22px;flex:1}
#article h2,#side h2,#panel h2{font-size:15px}
#text{white-space:pre-wrap;font-size:14.5px;line-height:1.6;border:1px solid var(--line);border-radius:6px;padding:10px 14px;max-height:78vh;overflow:auto}
#problem{background:#fff4d6;border:1px solid #e8c96a;border-radius:6px;padding:8px 12px}
.seg.ev{background:#fff1b8}.seg.evf{background:#ffd966}
.seg.nm{border-bottom:2px solid var(--accent);cursor:pointer}.seg.nm.amt{border-bottom-color:#9a7400}
.seg.cur{outline:2px solid #c0611b;outline-offset:1px}
.event{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin-bottom:10px}
.event.focus{border-color:var(--accent);box-shadow:0 0 0 2px #2b5d9244}
.event.rejected{opacity:.55}
.event dl{display:grid;grid-template-columns:110px 1fr;gap:2px 8px;margin:4px 0}
.event dt{color:var(--mute);font-size:12px}.event dd{margin:0}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-left:6px;border:1px solid var(--line)}
.b-accepted{background:#e3f4ea}.b-rejected{background:#f7e1e1}.b-pending{background:#eef1f5}.b-added{background:#e8e0f5}
.b-corrected{background:#fff1cc}
.party.pfocus{outline:2px solid #c0611b;outline-offset:1px}
.quote{display:block;color:var(--mute);font-size:12px}
#editor{border:2px solid var(--accent);border-radius:6px;padding:8px 10px;margin-bottom:10px;background:var(--bg)}
#editor label{display:flex;flex-direction:column;font-size:12px;color:var(--mute);margin-bottom:6px}
#editor input,#editor select{font:inherit;padding:3px 6px}
#editor .err{color:#a33}
#keys table{font-size:12px}#keys td:first-child{white-space:nowrap;font-weight:600}
kbd{border:1px solid var(--line);border-radius:3px;padding:0 4px;background:#fff;font:12px monospace}
#events{max-height:74vh;overflow:auto}
#saved{font-size:12px;color:var(--mute);max-height:150px;overflow:auto;padding-left:18px}
.verdict{font-weight:600;margin:6px 0}
"""

STYLE = REPORT_CSS + REVIEW_CSS

SCRIPT = r"""
(function () {
  "use strict";
  var token = document.querySelector("meta[name=coopex-token]").getAttribute("content");
  var TYPES = @EVENT_TYPES@;
  var KINDS = @PARTY_KINDS@;
  var QUALIFIERS = @QUALIFIERS@;
  // a reload keeps the page's id (and its claim to save); a new page or a duplicated tab gets its own
  var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var pageId = nav && nav.type === "reload" ? sessionStorage.getItem("coopex-review-page") : null;
  if (!pageId) {
    pageId = Math.random().toString(36).slice(2) + Date.now().toString(36);
    sessionStorage.setItem("coopex-review-page", pageId);
  }
  var S = {queue: [], progress: null, art: null, ev: 0, party: 0, name: -1, writable: false, editing: false,
           chain: Promise.resolve()};
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } return e; }

  function api(method, path, body) {
    var opts = {method: method, headers: {"X-Coopex-Token": token}, cache: "no-store"};
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) { var err = new Error(j.error || ("HTTP " + r.status)); err.status = r.status; throw err; }
        return j;
      });
    });
  }

  function status(text, bad) { var s = $("status"); s.textContent = text; s.className = bad ? "bad" : ""; }

  function setProgress(p) {
    S.progress = p;
    $("progress").textContent = p.reviewed + " of " + p.total + " reviewed";
  }

  // ------------------------------------------------------------ who may save
  function claim(force) {
    return api("POST", "/api/claim", {page: pageId, force: !!force}).then(function () {
      S.writable = true; $("lease").textContent = ""; $("lease").className = "";
    }, function (e) {
      S.writable = false; $("lease").className = "bad";
      $("lease").textContent = e.status === 409 ?
        "This review is open in another page: this page cannot save. Close the other page, or press T to take over." :
        "Cannot reach the review server: " + e.message;
    });
  }

  // ------------------------------------------------------------ decisions
  function decide(d) {
    if (!S.writable) { status("not saved: this page cannot save (see above)", true); return Promise.resolve(null); }
    d.page = pageId; d.article_id = S.art.article_id;
    status("saving…");
    S.chain = S.chain.then(function () {
      return api("POST", "/api/decide", d).then(function (r) {
        var li = el("li", null, "#" + r.seq + " " + r.article_id + ": " + r.action + (r.event ? " " + r.event : ""));
        li.setAttribute("data-seq", r.seq);
        $("saved").appendChild(li); $("saved").scrollTop = 1e9;
        status("saved (decision #" + r.seq + ")");
        setProgress(r.progress);
        if (S.art && S.art.article_id === r.article_id) { S.art.state = r.state; S.art.spans = r.spans; render(); }
        markQueue(r.article_id, r.state);
        return r;
      }, function (e) {
        if (e.status === 409) { S.writable = false; claim(false); }
        status("not saved: " + e.message, true);
        return null;
      });
    });
    return S.chain;
  }

  function markQueue(aid, st) {
    S.queue.forEach(function (q) { if (q.article_id === aid) { q.done = st.done; q.negative = st.negative; } });
  }

  // ------------------------------------------------------------ loading
  function load(aid) {
    closeEditor();
    return api("GET", "/api/article?id=" + encodeURIComponent(aid)).then(function (a) {
      S.art = a; S.ev = 0; S.party = 0; S.name = -1;
      try { history.replaceState(null, "", location.pathname + location.search + "#a=" + encodeURIComponent(aid)); }
      catch (e) { /* ignore */ }
      render();
    }, function (e) { status("cannot load the article: " + e.message, true); });
  }

  function position() {
    for (var i = 0; i < S.queue.length; i++) { if (S.queue[i].article_id === S.art.article_id) { return i; } }
    return 0;
  }
  function go(step) {
    if (!S.queue.length) { return; }
    var i = Math.min(Math.max(position() + step, 0), S.queue.length - 1);
    load(S.queue[i].article_id);
  }
  function nextUnreviewed() {
    var i = position();
    for (var k = 1; k <= S.queue.length; k++) {
      var q = S.queue[(i + k) % S.queue.length];
      if (!q.done) { return load(q.article_id); }
    }
    status("every article is reviewed: run `coopex review export` for the gold records");
  }

  // ------------------------------------------------------------ rendering
  function events() { return S.art ? S.art.state.events : []; }
  function focused() { return events()[S.ev] || null; }
  function parties(ev) {
    var out = [];
    ["kz_parties", "cn_parties"].forEach(function (side) {
      (ev.event[side] || []).forEach(function (p, i) { out.push({side: side, index: i, p: p}); });
    });
    return out;
  }

  function renderText() {
    var a = S.art, box = clear($("text"));
    $("problem").hidden = !a.text_problem;
    $("problem").textContent = a.text_problem || "";
    if (a.text === null) { return; }
    var text = a.text, cuts = {0: 1}, i;
    cuts[text.length] = 1;
    a.marks.forEach(function (m) { cuts[m.start] = 1; cuts[m.end] = 1; });
    var evs = events(), spans = [];
    evs.forEach(function (ev, k) {
      if (ev.status === "rejected") { return; }
      (a.spans[ev.id] || []).forEach(function (s) {
        if (s.start !== null && s.end !== null) { spans.push([s.start, s.end, k]); cuts[s.start] = 1; cuts[s.end] = 1; }
      });
    });
    var points = Object.keys(cuts).map(Number).sort(function (x, y) { return x - y; });
    var mi = 0, marks = a.marks;
    for (i = 0; i + 1 < points.length; i++) {
      var s = points[i], e = points[i + 1];
      if (e <= s) { continue; }
      var seg = el("span", "seg", text.slice(s, e));
      seg.setAttribute("data-start", s);
      while (mi < marks.length && marks[mi].end <= s) { mi++; }
      var m = marks[mi];
      if (m && m.start <= s && e <= m.end) {
        seg.classList.add("nm");
        if (m.kind === "amount") { seg.classList.add("amt"); }
        seg.setAttribute("data-mark", m.id);
        seg.title = (m.name_en || "") + " · " + (m.kind || "") + (m.country ? " · " + m.country : "");
        if (m.id === S.name) { seg.classList.add("cur"); }
      }
      spans.forEach(function (sp) {
        if (sp[0] <= s && e <= sp[1]) { seg.classList.add(sp[2] === S.ev ? "evf" : "ev"); }
      });
      box.appendChild(seg);
    }
  }

  function partyEl(p, focusedParty) {
    var d = el("div", "party" + (focusedParty ? " pfocus" : ""));
    d.appendChild(el("span", "name", p.name_en || p.name));
    if (p.name && p.name !== p.name_en) { d.appendChild(el("span", "orig", p.name)); }
    var role = [p.title, p.kind].filter(function (x) { return x; }).join(", ");
    if (role) { d.appendChild(el("span", "role", role)); }
    return d;
  }

  function money(v) {
    if (!v) { return "no amount"; }
    return (v.qualifier && v.qualifier !== "exact" ? v.qualifier.replace("_", " ") + " " : "") +
      Number(v.amount).toLocaleString("en-US") + " " + v.currency;
  }

  function renderEvents() {
    var box = clear($("events")), evs = events();
    var st = S.art.state;
    $("verdict").textContent = st.negative ? "Marked: no event in this article." :
      st.done ? "Reviewed." : (st.pending ? st.pending + " event(s) to accept or reject." : "Ready: press Enter when done.");
    if (!evs.length) { box.appendChild(el("p", "sub", "No event. Press + to add a missed one, 0 to confirm none.")); }
    evs.forEach(function (ev, k) {
      var e = ev.event, card = el("div", "event " + ev.status + (k === S.ev ? " focus" : ""));
      card.setAttribute("data-event", ev.id);
      var h = el("div");
      h.appendChild(el("span", "type t-" + e.type, e.type));
      h.appendChild(el("span", "badge b-" + ev.status, ev.status));
      if (ev.origin === "added") { h.appendChild(el("span", "badge b-added", "added")); }
      else if (ev.changed.length) { h.appendChild(el("span", "badge b-corrected", "corrected: " + ev.changed.join(", "))); }
      card.appendChild(h);
      var dl = el("dl"), pi = 0;
      function row(label, content) {
        dl.appendChild(el("dt", null, label));
        var dd = el("dd");
        if (typeof content === "string") { dd.textContent = content; } else { dd.appendChild(content); }
        dl.appendChild(dd);
      }
      row("Date", e.date || "—");
      row("Place", [e.location.place, e.location.country].filter(function (x) { return x; }).join(", ") || "—");
      [["kz_parties", "Kazakhstan side"], ["cn_parties", "China side"]].forEach(function (x) {
        var f = document.createDocumentFragment();
        (e[x[0]] || []).forEach(function (p) { f.appendChild(partyEl(p, k === S.ev && pi === S.party)); pi++; });
        if (!(e[x[0]] || []).length) { f.appendChild(document.createTextNode("—")); }
        row(x[1], f);
      });
      var ag = document.createDocumentFragment();
      e.agreements.forEach(function (g) { ag.appendChild(el("div", null, g.kind.replace("_", " ") + ": " + g.subject)); });
      row("Agreements", e.agreements.length ? ag : "—");
      var pr = document.createDocumentFragment();
      e.projects.forEach(function (p) {
        pr.appendChild(el("div", null, p.description + " · " + money(p.value) + (p.status ? " · " + p.status : "")));
      });
      row("Projects", e.projects.length ? pr : "—");
      row("Sectors", e.sectors.join(", ") || "—");
      row("Summary", e.summary || "—");
      var evd = document.createDocumentFragment();
      (e.evidence || []).forEach(function (q, j) {
        var s = (S.art.spans[ev.id] || [])[j] || {};
        evd.appendChild(el("span", "quote", "“" + q + "”" + (s.status && s.status !== "exact" ? " (" + s.status + ")" : "")));
      });
      row("Evidence", (e.evidence || []).length ? evd : "—");
      card.appendChild(dl);
      box.appendChild(card);
    });
  }

  function render() {
    if (!S.art) { return; }
    $("where").textContent = "article " + (position() + 1) + " of " + S.queue.length + " in review order · " +
      S.art.article_id + (S.art.title ? " · " + S.art.title : "") + " · uncertainty " + S.art.score;
    renderText();
    renderEvents();
    var f = document.querySelector(".event.focus");
    if (f && f.scrollIntoView) { f.scrollIntoView({block: "nearest"}); }
  }

  // ------------------------------------------------------------ the text: selection and names
  function offsetOf(node, off) {
    if (node.nodeType === 3) {
      var seg = node.parentElement.closest(".seg");
      return seg ? Number(seg.getAttribute("data-start")) + off : null;
    }
    var kids = node.childNodes;
    if (off < kids.length) {
      var k = kids[off];
      var s = k.nodeType === 1 ? (k.classList.contains("seg") ? k : k.querySelector(".seg")) : k.parentElement.closest(".seg");
      return s ? Number(s.getAttribute("data-start")) : null;
    }
    var segs = $("text").querySelectorAll(".seg");
    return segs.length ? S.art.text.length : null;
  }

  function selected() {
    var sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) { return null; }
    var r = sel.getRangeAt(0);
    if (!$("text").contains(r.commonAncestorContainer)) { return null; }
    var s = offsetOf(r.startContainer, r.startOffset), e = offsetOf(r.endContainer, r.endOffset);
    if (s === null || e === null || e <= s) { return null; }
    var t = S.art.text;
    while (s < e && /\s/.test(t[s])) { s++; }
    while (e > s && /\s/.test(t[e - 1])) { e--; }
    return e > s ? {start: s, end: e} : null;
  }

  function pickedWords() {
    var sel = selected();
    if (sel) { return sel; }
    var m = S.art.marks[S.name];
    return m ? {start: m.start, end: m.end} : null;
  }

  function moveName(step) {
    var n = S.art.marks.length;
    if (!n) { return; }
    S.name = S.name < 0 ? (step > 0 ? 0 : n - 1) : (S.name + step + n) % n;
    renderText();
    var c = document.querySelector(".seg.cur");
    if (c && c.scrollIntoView) { c.scrollIntoView({block: "nearest"}); }
  }

  // ------------------------------------------------------------ the editor (one small form)
  function closeEditor() { var ed = $("editor"); ed.hidden = true; clear(ed); S.editing = false; }

  function openEditor(title, fields, onSave) {
    var ed = clear($("editor"));
    ed.hidden = false; S.editing = true;
    ed.appendChild(el("div", "verdict", title));
    var inputs = {};
    fields.forEach(function (f) {
      var lab = el("label", null, f.label), input;
      if (f.options) {
        input = el("select");
        f.options.forEach(function (o) { var op = el("option", null, o === null ? "(none)" : o); op.value = o === null ? "" : o; input.appendChild(op); });
      } else { input = el("input"); input.type = "text"; }
      input.value = f.value === null || f.value === undefined ? "" : String(f.value);
      input.name = f.name;
      lab.appendChild(input); ed.appendChild(lab); inputs[f.name] = input;
    });
    var err = el("div", "err");
    ed.appendChild(err);
    ed.appendChild(el("div", "sub", "Enter saves · Esc cancels"));
    ed.onkeydown = function (ev) {
      if (ev.key === "Escape") { ev.preventDefault(); closeEditor(); }
      else if (ev.key === "Enter") {
        ev.preventDefault();
        var vals = {};
        Object.keys(inputs).forEach(function (k) { vals[k] = inputs[k].value; });
        var d;
        try { d = onSave(vals); } catch (e) { err.textContent = e.message; return; }
        closeEditor();
        if (d) { decide(d); }
      }
      ev.stopPropagation();
    };
    var first = ed.querySelector("input,select");
    if (first) { first.focus(); if (first.select) { first.select(); } }
  }

  function nz(v) { v = (v || "").trim(); return v === "" ? null : v; }

  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  function partyEditor(title, start, side, replaceIndex) {
    var ev = focused();
    if (!ev) { return; }
    var blank = {name: "", name_en: "", kind: "organization", title: null};
    var suggested = start ? api("POST", "/api/suggest", {article_id: S.art.article_id, start: start.start, end: start.end})
      : Promise.resolve(blank);  // nothing picked: the reviewer types the name
    suggested.then(function (p) {
      openEditor(title, [
        {name: "name", label: "Name as written", value: p.name},
        {name: "name_en", label: "English name", value: p.name_en},
        {name: "kind", label: "Kind", value: p.kind, options: KINDS},
        {name: "title", label: "Title (a person's position)", value: p.title}
      ], function (v) {
        var party = {name: v.name.trim(), name_en: v.name_en.trim() || v.name.trim(), kind: v.kind,
                     title: nz(v.title), affiliation: null};
        if (!party.name) { throw new Error("a name is needed"); }
        var list = clone(ev.event[side]), values = {};
        if (replaceIndex === undefined) { list.push(party); } else { list[replaceIndex] = party; }
        values[side] = list;
        return {action: "set", event: ev.id, values: values};
      });
    }, function (e) { status(e.message, true); });
  }

  // ------------------------------------------------------------ actions
  var A = {};
  A.accept = function () { var e = focused(); if (e) { decide({action: "accept", event: e.id}); } };
  A.reject = function () { var e = focused(); if (e) { decide({action: "reject", event: e.id}); } };
  A.type = function () {
    var e = focused(); if (!e) { return; }
    openEditor("Event type", [{name: "type", label: "Type", value: e.event.type, options: TYPES}],
      function (v) { return {action: "set", event: e.id, values: {type: v.type}}; });
  };
  A.date = function () {
    var e = focused(); if (!e) { return; }
    openEditor("Date (YYYY-MM-DD, YYYY-MM or YYYY; empty for none)", [{name: "date", label: "Date", value: e.event.date}],
      function (v) { return {action: "set", event: e.id, values: {date: nz(v.date)}}; });
  };
  A.place = function () {
    var e = focused(); if (!e) { return; }
    openEditor("Place", [{name: "place", label: "Place, in English", value: e.event.location.place},
                         {name: "country", label: "Country (two letters, e.g. KZ, CN)", value: e.event.location.country}],
      function (v) { return {action: "set", event: e.id, values: {location: {place: nz(v.place),
        country: nz(v.country) && nz(v.country).toUpperCase()}}}; });
  };
  A.amount = function () {
    var e = focused(); if (!e) { return; }
    var projects = e.event.projects;
    var p0 = projects[0] || {value: null};
    var fields = [];
    if (projects.length > 1) {
      fields.push({name: "project", label: "Project", value: "1",
                   options: projects.map(function (p, i) { return String(i + 1); })});
    }
    fields.push({name: "amount", label: "Amount, in units (150 million: 150000000); empty for none",
                 value: p0.value ? p0.value.amount : ""});
    fields.push({name: "currency", label: "Currency (USD, KZT, CNY...)", value: p0.value ? p0.value.currency : "USD"});
    fields.push({name: "qualifier", label: "Qualifier", value: p0.value ? p0.value.qualifier : "exact", options: QUALIFIERS});
    if (!projects.length) {
      fields.unshift({name: "description", label: "Project (none yet): what it is, in English", value: ""});
    }
    openEditor("Amount", fields, function (v) {
      var list = clone(projects), i = v.project ? Number(v.project) - 1 : 0;
      if (!list.length) {
        list.push({description: (v.description || "").trim() || "project", location: null, sectors: [], value: null, status: null});
      }
      var amount = (v.amount || "").replace(/[\s,]/g, "");
      if (amount === "") { list[i].value = null; }
      else {
        var n = Number(amount);
        if (!isFinite(n) || n < 0) { throw new Error("the amount must be a number"); }
        list[i].value = {amount: n, currency: v.currency.trim().toUpperCase(), qualifier: v.qualifier};
      }
      return {action: "set", event: e.id, values: {projects: list}};
    });
  };
  A.sectors = function () {
    var e = focused(); if (!e) { return; }
    openEditor("Sectors (comma-separated)", [{name: "sectors", label: "Sectors", value: e.event.sectors.join(", ")}],
      function (v) { return {action: "set", event: e.id, values: {sectors: v.sectors.split(",").map(function (x) {
        return x.trim().replace(/\s+/g, "_"); }).filter(function (x) { return x; })}}; });
  };
  A.summary = function () {
    var e = focused(); if (!e) { return; }
    openEditor("Summary (one English sentence)", [{name: "summary", label: "Summary", value: e.event.summary}],
      function (v) { return {action: "set", event: e.id, values: {summary: v.summary.trim()}}; });
  };
  function addParty(side) {
    var w = pickedWords();
    if (!focused()) { status("no event: press + to add one first", true); return; }
    partyEditor(side === "kz_parties" ? "Add a Kazakhstan-side party" : "Add a China-side party", w, side);
  }
  A.kz = function () { addParty("kz_parties"); };
  A.cn = function () { addParty("cn_parties"); };
  A.correctParty = function () {
    var e = focused(), ps = e ? parties(e) : [], p = ps[S.party], w = pickedWords();
    if (!p) { status("no party to correct in this event", true); return; }
    partyEditor("Correct the party " + (p.p.name_en || p.p.name), w, p.side, p.index);
  };
  A.moveParty = function () {
    var e = focused(), ps = e ? parties(e) : [], p = ps[S.party];
    if (!p) { return; }
    var other = p.side === "kz_parties" ? "cn_parties" : "kz_parties", values = {};
    var from = clone(e.event[p.side]), to = clone(e.event[other]);
    to.push(from.splice(p.index, 1)[0]);
    values[p.side] = from; values[other] = to;
    decide({action: "set", event: e.id, values: values});
  };
  A.removeParty = function () {
    var e = focused(), ps = e ? parties(e) : [], p = ps[S.party];
    if (!p) { return; }
    var list = clone(e.event[p.side]), values = {};
    list.splice(p.index, 1); values[p.side] = list;
    decide({action: "set", event: e.id, values: values});
    S.party = Math.max(0, S.party - 1);
  };
  A.evidence = function () {
    var e = focused(), w = selected();
    if (!e || !w) { status("select the words of the evidence in the text first", true); return; }
    var list = clone(e.event.evidence || []);
    list.push(S.art.text.slice(w.start, w.end));
    decide({action: "set", event: e.id, values: {evidence: list}});
  };
  A.addEvent = function () {
    var w = selected();
    openEditor("Add a missed event", [
      {name: "type", label: "Type", value: "meeting", options: TYPES},
      {name: "date", label: "Date (YYYY-MM-DD, YYYY-MM or YYYY; empty for none)", value: ""},
      {name: "summary", label: "Summary (one English sentence)", value: ""},
      {name: "evidence", label: "Evidence (the selected words)", value: w ? S.art.text.slice(w.start, w.end) : ""}
    ], function (v) {
      return {action: "add", value: {type: v.type, date: nz(v.date), location: {place: null, country: null},
        kz_parties: [], cn_parties: [], sectors: [], agreements: [], projects: [], summary: v.summary.trim(),
        evidence: nz(v.evidence) ? [v.evidence.trim()] : []}};
    });
  };
  A.noEvent = function () { decide({action: "no_event"}).then(function (r) { if (r) { nextUnreviewed(); } }); };
  A.done = function () {
    var st = S.art.state;
    if (st.pending) { status(st.pending + " event(s) still to accept or reject", true); return; }
    decide({action: "done"}).then(function (r) { if (r) { nextUnreviewed(); } });
  };
  A.nextEvent = function () { S.ev = Math.min(S.ev + 1, Math.max(events().length - 1, 0)); S.party = 0; render(); };
  A.prevEvent = function () { S.ev = Math.max(S.ev - 1, 0); S.party = 0; render(); };
  A.nextParty = function () { var e = focused(); if (e) { S.party = Math.min(S.party + 1, Math.max(parties(e).length - 1, 0)); renderEvents(); } };
  A.prevParty = function () { S.party = Math.max(S.party - 1, 0); renderEvents(); };
  A.nextName = function () { moveName(1); };
  A.prevName = function () { moveName(-1); };
  A.nextArticle = function () { go(1); };
  A.prevArticle = function () { go(-1); };
  A.takeOver = function () { claim(true); };

  var KEYS = {
    "j": "nextEvent", "k": "prevEvent", "a": "accept", "r": "reject", "t": "type", "d": "date", "l": "place",
    "m": "amount", "s": "sectors", "u": "summary", "1": "kz", "2": "cn", "c": "correctParty", "o": "moveParty",
    "x": "removeParty", ".": "nextParty", ",": "prevParty", "n": "nextName", "N": "prevName", "e": "evidence",
    "+": "addEvent", "0": "noEvent", "Enter": "done", "]": "nextArticle", "[": "prevArticle",
    "ArrowRight": "nextArticle", "ArrowLeft": "prevArticle", "T": "takeOver"
  };

  document.addEventListener("keydown", function (ev) {
    if (S.editing || ev.ctrlKey || ev.metaKey || ev.altKey || !S.art) { return; }
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) { return; }
    var name = KEYS[ev.key];
    if (!name) { return; }
    ev.preventDefault();
    A[name]();
  });

  $("text").addEventListener("click", function (ev) {
    var seg = ev.target.closest ? ev.target.closest(".seg.nm") : null;
    if (seg && window.getSelection().isCollapsed) { S.name = Number(seg.getAttribute("data-mark")); renderText(); }
  });
  $("events").addEventListener("click", function (ev) {
    var card = ev.target.closest ? ev.target.closest(".event") : null;
    if (!card) { return; }
    events().forEach(function (e, k) { if (e.id === card.getAttribute("data-event")) { S.ev = k; } });
    render();
  });

  window.addEventListener("pagehide", function () {
    if (!S.writable) { return; }
    try {
      fetch("/api/release", {method: "POST", keepalive: true, body: JSON.stringify({page: pageId}),
                             headers: {"X-Coopex-Token": token, "Content-Type": "application/json"}});
    } catch (e) { /* the claim lapses by itself */ }
  });

  // ------------------------------------------------------------ start
  claim(false).then(function () {
    setInterval(function () { if (S.writable) { claim(false); } }, 5000);
    return api("GET", "/api/queue");
  }).then(function (q) {
    S.queue = q.items; setProgress(q.progress);
    if (!S.queue.length) { status("nothing to review", true); return; }
    var m = /#a=([^&]+)/.exec(location.hash), want = m ? decodeURIComponent(m[1]) : null;
    var start = S.queue.filter(function (x) { return x.article_id === want; })[0] ||
      S.queue.filter(function (x) { return !x.done; })[0] || S.queue[0];
    return load(start.article_id);
  }).then(function () { document.body.setAttribute("data-ready", "1"); },
          function (e) { status("cannot start: " + e.message, true); });
})();
"""
# the record's enums, from pipeline/core/enums.py
SCRIPT = (SCRIPT.replace("@EVENT_TYPES@", json.dumps(list(EVENT_TYPES)))
          .replace("@PARTY_KINDS@", json.dumps(list(PARTY_KINDS)))
          .replace("@QUALIFIERS@", json.dumps(list(QUALIFIERS))))

KEY_HELP = [
    ("j / k", "next / previous event"),
    ("a", "accept the event"),
    ("r", "reject the event"),
    ("t", "change the type"),
    ("d", "fix the date"),
    ("l", "fix the place"),
    ("m", "fix an amount"),
    ("s", "fix the sectors"),
    ("u", "fix the summary"),
    ("n / N", "next / previous name marked in the text"),
    (". / ,", "next / previous party of the event"),
    ("1 / 2", "add the selected words (or the marked name) as a Kazakhstan / China party"),
    ("c", "correct the party: replace it with the selected words, the marked name, or what you type"),
    ("o", "move the party to the other side"),
    ("x", "remove the party"),
    ("e", "add the selected words as evidence"),
    ("+", "add a missed event"),
    ("0", "the article has no event: reviewed, go to the next"),
    ("Enter", "the article is reviewed: go to the next"),
    ("] / [  (→ / ←)", "next / previous article"),
    ("T", "take over saving from another page"),
    ("Esc", "close the form without saving"),
]


def csp() -> str:
    """The report's policy, with the page's own server allowed for its requests."""
    return (f"default-src 'none'; style-src {_sha(STYLE)}; script-src {_sha(SCRIPT)}; connect-src 'self'; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def render_page(token: str, source_name: str) -> str:
    keys = "".join(f"<tr><td><kbd>{html.escape(k)}</kbd></td><td>{html.escape(v)}</td></tr>" for k, v in KEY_HELP)
    return "".join([
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp()}\">",
        f"<meta name='coopex-token' content='{html.escape(token, quote=True)}'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>coopex review: {html.escape(source_name)}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header class='top'><h1>coopex review</h1><span id='progress'>loading…</span>",
        "<span id='where'></span><span id='status' role='status'></span><span id='lease' role='alert'></span></header>",
        "<div class='layout'>",
        "<section id='article'><h2>Article</h2><p id='problem' hidden></p><div id='text' tabindex='-1'></div></section>",
        "<section id='panel'><h2>Events</h2><div id='editor' hidden></div><p id='verdict' class='verdict'></p>",
        "<div id='events'></div></section>",
        "<aside id='side'><h2>Keys</h2><div id='keys'><table class='small'><tbody>", keys, "</tbody></table></div>",
        "<h2>Saved decisions</h2><ol id='saved'></ol></aside>",
        "</div>",
        "<footer>Each decision is saved to decisions.jsonl on disk before the page says “saved”. "
        "This page loads nothing from the network.</footer>",
        f"<script>{SCRIPT}</script></body></html>",
    ])
