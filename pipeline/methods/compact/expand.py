"""A compact model-facing answer, and its expansion into the spec's events.

Generation is what costs time on a CPU model, and a small model copies badly.
So the model writes less: short keys, evidence as sentence numbers of the
numbered article, amounts as the words it read. The pipeline does the rest,
deterministically, and says what it did in each event's ``checks``:

- evidence: the numbered sentences, copied exactly (offsets known);
- parties: kept only when their name is in the article (allowing for case
  endings); English names from the gazetteer, else transliteration of the base
  form, else the model's; sides repaired by the gazetteer;
- type: ``signing`` when a document was signed; agreements get their parties;
- amounts and dates: read from the text by the normalisers and cross-checked;
- place and country: from the gazetteer;
- events with no party on one side, or in an article that never mentions
  China or Kazakhstan, are dropped.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.analyse.dates import find_dates, year_stated
from pipeline.analyse.groups import generic_groups
from pipeline.analyse.money import find_amounts, parse_amount
from pipeline.analyse.names import _HAN, base_form, chinese_from_cyrillic, gazetteer, latin, similar, written_in_letters
from pipeline.analyse.sectors import sectors_in
from pipeline.core import vocab
from pipeline.core.textnorm import fold
from pipeline.grounding import name_in_text
from pipeline.ingest import sentences as sent
from pipeline.ingest.articles import Article
from pipeline.methods.compact.models import CEvent, CExtraction, CParty

_KIND = {"city": "region", "country": "government"}


# ------------------------------------------------------------------ expansion

_SIGNED = vocab.regex("compact", "signed")
_DOC_WORDS: list[tuple[str, re.Pattern[str]]] = [(k, vocab.compile_entry(p)) for k, p in vocab.entry("compact", "doc_words")]
_FORUM = vocab.regex("compact", "forum")
_GOES_ON = vocab.regex("compact", "goes_on")
_MET = vocab.regex("compact", "met")
_HAN_TITLE = vocab.regex("compact", "han_title")
_CN_WORDS = vocab.regex("compact", "cn_words")
_KZ_ABBREVIATION = vocab.regex("compact", "kz_abbreviation")
_CYR = vocab.regex("compact", "cyrillic")
# what a project is: a thing built, opened or run (the spec's "ferroalloy plant"); a model's
# "investment project" or list of sectors with no amount is a topic of talks, not a project
_PROJECT_OBJECT = vocab.regex("compact", "project_object")


_grounded = name_in_text


# what talks are about, not who holds them: a name ending in one of these is no party
_ABSTRACT = vocab.regex("compact", "abstract")


_TITLE_ONLY = vocab.regex("compact", "title_only")


def _party(p: CParty, article: Article, folded_text: str, side: str) -> tuple[dict[str, Any] | None, str | None]:
    """A spec Party from the model's, or None with the reason it was dropped."""
    text = article.text
    g = gazetteer()
    name_ok = _grounded(p.name, text, folded_text)
    en_ok = _grounded(p.en, text, folded_text)
    if not (name_ok or en_ok) and _CYR.search(text):
        # the model wrote the name in Latin letters: the article's own spelling of it
        spelt = written_in_letters(p.name, text) or written_in_letters(p.en, text)
        if spelt:
            p, name_ok = p.model_copy(update={"name": spelt}), True
    if not (name_ok or en_ok):
        return None, "not in article"
    written = p.name if name_ok else p.en
    person = p.kind == "person"
    if person and _TITLE_ONLY.match(p.name.strip()):
        return None, "a title, not a name"
    if person and _HAN.search(p.name) and len(p.name.replace("·", "")) > 5 and _HAN_TITLE.search(p.name):
        return None, "a title, not a name"  # 阿拉木图州副州长, 集团董事长
    if not person and _HAN.search(p.name) and _HAN_TITLE.search(p.name):
        # a body given as a post (江苏省副省长): the region or city the post is of, if the gazetteer knows it
        inside = [h.place for h in g.find(p.name) if h.place.kind != "country"]
        alias = next((a for q in inside[-1:] for a in q.aliases if _HAN.search(a) and a in p.name), None)
        if alias is None:
            return None, "a title, not a name"
        p, written = p.model_copy(update={"name": alias, "en": inside[-1].en}), alias
    if not person and _ABSTRACT.search(p.en or ""):
        return None, "a topic, not a party"  # "Chinese investments", "trade cooperation"
    base = base_form(written, text, person=person)
    place = g.lookup(base) or g.lookup(written) or (g.lookup(p.en) if en_ok else None)
    kind: str = p.kind
    if place is not None and not person:
        name_en = place.en
        kind = _KIND.get(place.kind, place.kind)
        if kind not in ("person", "government", "region", "company", "organization"):
            kind = "organization"
    elif _CYR.search(base) or _HAN.search(base):
        guess = latin(base, person=person)
        model_en = p.en.strip() if p.en and not (_CYR.search(p.en) or _HAN.search(p.en)) else ""
        pinyin = chinese_from_cyrillic(base) if person and side == "CN" and _CYR.search(base) else None
        if pinyin:  # a Chinese name in Russian spelling: "Чэнь Линь" -> "Chen Lin"
            name_en = pinyin
        elif person and side == "CN":
            # The model's spelling is kept when it is close to the letters
            # (it may know "Liu Bo" where they give "Lyu Bo").
            name_en = model_en if model_en and similar(model_en, guess) >= 0.75 else guess
        elif person:
            name_en = guess  # Kazakh and Russian names: the letters are the English spelling
        else:
            # A body's English name is a translation ("Commerce Bureau"), not letters.
            name_en = model_en if model_en and len(model_en.split()) <= 12 else guess
    else:
        name_en = base
    # the name in its base form where every word of that is in the article ("Сейітовтің" -> "Сейітов")
    if base != written and _grounded(base, text, folded_text) and all(w.casefold() in text.casefold() for w in base.split()):
        written = base
    party = {
        "name": written.strip()[:200], "name_en": name_en.strip()[:200], "kind": kind,
        "title": (p.title or None) if person else None, "affiliation": None,
        "_country": place.country if place is not None else None,
    }
    return party, None


_LATIN_NAME = re.compile(r"(?<![\w«\"])((?:[A-Za-z][\w&.\-]*[ ]){0,4}[A-Za-z][\w&.\-]*)")


def _latin_names(text: str) -> list[str]:
    """Names written in Latin letters inside Cyrillic sentences ("Henan Sunrise Motors",
    "nanoGRID"): every word capitalised or with a capital inside; sentences mostly in Latin
    letters are passages, not names, and are skipped; Kazakh bodies and third countries the
    gazetteer knows are left out."""
    g = gazetteer()
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        cyr = len(_CYR.findall(sentence))
        lat = len(re.findall(r"[A-Za-z]", sentence))
        if cyr <= lat:
            continue
        for m in _LATIN_NAME.finditer(sentence):
            words = m.group(1).strip(" .-").split()
            while words and not any(c.isupper() for c in words[-1]):
                words.pop()
            name = " ".join(words)
            if len(name) < 3 or name.isupper() or not all(any(c.isupper() for c in w) or w in ("of", "and", "&")
                                                          for w in words):
                continue
            hit = g.lookup(name)
            if hit is not None and hit.country != "CN":
                continue
            if name not in out:
                out.append(name)
    return out[:4]


def _dedupe(parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for p in parties:
        k = fold(p["name_en"])
        if k and k not in seen:
            seen.add(k)
            out.append(p)
    return out


def _signatories(kz: list[dict[str, Any]], cn: list[dict[str, Any]]) -> list[str]:
    def pick(side: list[dict[str, Any]]) -> list[str]:
        bodies = [p for p in side if p["kind"] != "person"]
        return [(bodies or side)[0]["name_en"]] if side else []
    return pick(kz) + pick(cn)


def expand_event(ev: CEvent, article: Article, sents: list[sent.Sentence],
                 folded_text: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    checks: dict[str, Any] = {}
    by_n = {s.n: s for s in sents}
    nums = [n for n in dict.fromkeys(ev.sentences) if n in by_n][:4]
    checks["bad_sentence_numbers"] = [n for n in ev.sentences if n not in by_n]

    # parties, with grounding and side repair
    kz: list[dict[str, Any]] = []
    cn: list[dict[str, Any]] = []
    dropped: list[str] = []
    for side, parties in (("KZ", ev.kz), ("CN", ev.cn)):
        for p in parties:
            party, why = _party(p, article, folded_text, side)
            if party is None:
                dropped.append(p.name)
                continue
            home = party.pop("_country") or side
            if home not in ("KZ", "CN"):  # a third country's place or body is neither side
                dropped.append(p.name)
                continue
            (kz if home == "KZ" else cn).append(party)
    # a company or body on one side whose name carries the other country's place or name
    # ("Hubei Sunlight Power" on the Kazakh side) belongs to the other side
    for members, other, home in ((kz, cn, "CN"), (cn, kz, "KZ")):
        for body in [q for q in members if q["kind"] in ("company", "organization")]:
            places = {h.place.country for h in gazetteer().find(body["name"] + " " + body["name_en"])}
            foreign = home in places or (home == "CN" and (_CN_WORDS.search(body["name"] + " " + body["name_en"])
                                                           or _introduced_as_chinese(body["name"], article.text)))
            own = ("KZ" if home == "CN" else "CN") in places
            if foreign and not own:
                members.remove(body)
                other.append(body)
                checks.setdefault("moved_sides", []).append(body["name"])
    # a person on the Kazakh side whose name is Mandarin syllables in Russian spelling
    # ("Лю Бо") is on the China side
    for person in [q for q in kz if q["kind"] == "person"]:
        pinyin = chinese_from_cyrillic(person["name"]) if _CYR.search(person["name"]) else None
        if pinyin and len(person["name"].split()) >= 2:
            kz.remove(person)
            cn.append({**person, "name_en": pinyin})
            checks.setdefault("moved_to_cn", []).append(person["name"])
    # a person whose title places them in a third country ("President of Uzbekistan") is on
    # neither side; the model's titles can be inventions, so only a country the article itself
    # names counts, and only when the title names neither Kazakhstan nor China
    g = gazetteer()
    mentioned = {h.place for h in g.find(article.text)}
    named_countries = {q.country for q in mentioned}
    for members in (kz, cn):
        for person in [q for q in members if q["kind"] == "person" and q["title"]]:
            countries = {h.place.country for h in g.find(person["title"])}
            if countries and countries <= named_countries - {"KZ", "CN"} and not _CN_WORDS.search(person["title"]):
                members.remove(person)
                checks.setdefault("third_country", []).append(person["name"])
    kz, cn = _dedupe(kz), _dedupe(cn)
    checks["dropped_parties"] = dropped

    if not nums:  # no usable numbers: the sentences that name the parties
        names = [p["name"] for p in kz + cn]
        nums = [s.n for s in sents if any(_grounded(n, s.text, fold(s.text)) for n in names)][:2]
        checks["evidence_source"] = "party_mentions"
    else:
        checks["evidence_source"] = "model"
    # and the sentences that name this event's China-side counterparts (not China as
    # a whole): what was signed with them, and for how much, is often said there
    named = [p["name"] for p in cn if p["name_en"] != "China"]
    extra = [s.n for s in sents if s.n not in nums and any(_grounded(n, s.text, fold(s.text)) for n in named)]
    # and a sentence that goes on about the same talks with what came of them: a document
    # signed or an amount ("The two sides signed ...", "По итогам встречи подписан ...",
    # "Тараптар ... қол қойды", "双方签署 ...")
    extra += [s.n for s in sents if s.n - 1 in nums and s.n not in nums and s.n not in extra
              and _GOES_ON.match(s.text) and (_SIGNED.search(s.text) or find_amounts(s.text))]
    extra.sort()
    if extra:
        checks["evidence_added"] = extra[: max(0, 4 - len(nums))]
        nums = sorted(nums + checks["evidence_added"])
    evidence = [by_n[n].text for n in nums]
    ev_text = " ".join(evidence)

    # projects, amounts
    text_amounts = find_amounts(ev_text) or []
    # sectors: those the evidence names, and the model's that the article names somewhere
    in_article = set(sectors_in(article.text))
    sectors = list(dict.fromkeys(sectors_in(ev_text) + [x for x in ev.sectors if x in in_article]))
    if "renewable_energy" in sectors and "energy" in sectors:
        sectors.remove("energy")
    # the model's own sectors only when the article names none the vocabulary knows
    checks["sectors_source"] = "text" if sectors else "model" if not in_article else "none"
    sectors = (sectors or (list(dict.fromkeys(ev.sectors)) if not in_article else []))[:6]
    projects: list[dict[str, Any]] = []
    for pr in ev.projects:
        named_sectors = sectors_in(pr.what)
        if named_sectors and not set(named_sectors) & in_article:
            checks.setdefault("dropped_projects", []).append(pr.what)
            continue
        value = None
        source = None
        parsed = parse_amount(pr.money) if pr.money else None
        # an amount must be stated in this event's own sentences: the same figure elsewhere
        # in the article belongs to whatever those sentences report
        same = [a for a in text_amounts if parsed and a.currency == parsed.currency
                and abs(a.amount - parsed.amount) <= 0.01 * a.amount]
        if parsed and same:
            value, source = same[0].as_money(), "model_checked"  # with the text's own qualifier
        elif text_amounts and len(ev.projects) == 1:
            value, source = text_amounts[0].as_money(), "text"
        if value is None and not _PROJECT_OBJECT.search(pr.what):
            checks.setdefault("dropped_projects", []).append(pr.what)
            continue
        loc = None
        if pr.where:
            hit = g.lookup(pr.where)
            if hit is not None:
                loc = hit.en if hit in mentioned and hit.country == "KZ" else None  # "the place in Kazakhstan"
            elif len(pr.where.split()) <= 3 and _grounded(pr.where, article.text, folded_text):
                loc = pr.where
        projects.append({
            "description": pr.what[:300], "location": loc, "sectors": (sectors_in(pr.what) or sectors[:1])[:3],
            "value": value, "status": pr.status,
        })
        checks.setdefault("money_source", []).append(source)

    # "a total named for several things goes on one project, never split by guess" (spec)
    # the model gave one amount to several projects: one project naming the set carries it
    merged_projects: list[dict[str, Any]] = []
    for proj in projects:
        carrier = next((q for q in merged_projects if proj["value"] is not None and q["value"] == proj["value"]), None)
        if carrier is None:
            merged_projects.append({**proj, "_parts": [proj["description"]]})
            continue
        carrier["_parts"].append(proj["description"])
        carrier["sectors"] = list(dict.fromkeys(carrier["sectors"] + proj["sectors"]))[:3]
        carrier["location"] = carrier["location"] or proj["location"]
        checks["shared_total"] = True
    for proj in merged_projects:
        parts = list(dict.fromkeys(proj.pop("_parts")))
        proj["description"] = (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1])[:300]
    projects = merged_projects

    # type and agreements
    docs = list(ev.docs)
    named_kind = next((k for k, pat in _DOC_WORDS if pat.search(ev_text)), None)
    # the kind the evidence names, where the model's kind is "other" or one the evidence never names
    # (a "framework agreement" where the text says 备忘录)
    doc_pattern = dict(_DOC_WORDS)
    agreements = [{"kind": named_kind if named_kind and (d.kind == "other" or not doc_pattern[d.kind].search(ev_text))
                   else d.kind, "subject": d.about[:300], "parties": []} for d in docs]
    typ = ev.type
    signed = bool(_SIGNED.search(ev_text))
    if agreements:
        typ, checks["type_source"] = "signing", "agreements"
    elif signed and any(p.search(ev_text) for _, p in _DOC_WORDS):
        kind = next(k for k, p in _DOC_WORDS if p.search(ev_text))
        subject = projects[0]["description"] if projects else ev.summary
        agreements = [{"kind": kind, "subject": subject[:300], "parties": []}]
        typ, checks["type_source"] = "signing", "signing_words"
    elif typ == "signing":
        typ, checks["type_source"] = "meeting", "no_document"
    elif typ == "project" and _MET.search(ev_text):
        # a project reported with talks or a meeting described is that meeting (spec: "project"
        # is only for a project without a described occasion with a counterpart)
        typ, checks["type_source"] = "meeting", "meeting_words"
    elif typ == "meeting" and _FORUM.search(ev_text):
        # "otherwise a forum is a forum and talks are a meeting" (spec)
        typ, checks["type_source"] = "forum", "forum_words"
    else:
        checks["type_source"] = "model"

    # date
    date: str | None
    found = [d for d in find_dates(ev_text, article.published) if not d.relative] or \
        find_dates(ev_text, article.published)
    if found:
        date, checks["date_source"] = found[0].value, "text"
    elif ev.date and (year_stated(ev.date[:4], article.text) or ev.date == article.published):
        date, checks["date_source"] = ev.date, "model"
    else:
        date, checks["date_source"] = article.published, "published" if article.published else "none"

    # place and country: the model's place if the article names it (spelling forgiven),
    # else a city the evidence names as where things happen ("Шанхай қаласында")
    place: str | None = None
    country: str | None = ev.country if ev.country in ("KZ", "CN") else None
    hit = None
    if ev.place:
        hit = g.lookup(ev.place)
        if hit is not None and hit not in mentioned:
            checks["place_not_in_article"], hit = ev.place, None
        elif hit is None:
            hit = g.fuzzy(ev.place, mentioned)
        if hit is None and len(ev.place.split()) <= 3 and _grounded(ev.place, article.text, folded_text):
            place = ev.place
            checks["place_source"] = "model"
    if hit is None and place is None:
        found_places = g.locatives(ev_text)
        if found_places:
            hit = found_places[0]
            checks["place_source"] = "evidence"
    if hit is not None:
        country = hit.country
        place = None if hit.kind == "country" else hit.en
        checks.setdefault("place_source", "model_gazetteer")

    # a side the model left empty, or filled with nothing but the city where it happened: the
    # companies, regions, cities and bodies the evidence names for it
    for members, home in ((kz, "KZ"), (cn, "CN")):
        only_where = bool(members) and place is not None and all(q["name_en"] == place for q in members)
        if members and not only_where:
            continue
        if home == "CN" and article.language in ("kk", "ru"):
            # in Kazakh and Russian news a Chinese company is usually written in Latin letters
            companies = _latin_names(ev_text)
            if companies and only_where:
                checks["place_not_a_party"] = members[0]["name_en"]
                members.clear()
            for name in companies:
                members.append({"name": name, "name_en": name, "kind": "company", "title": None, "affiliation": None})
                checks.setdefault("parties_from_text", []).append(name)
            if companies:
                continue
        if only_where:
            continue
        named = [h.place for h in g.find(ev_text) if h.place.country == home and h.place.kind != "country"]
        _add_places(members, [q for q in named if q.en != place] or named, ev_text, checks)
    # people with no body beside them: a region (province, oblast) of their side named in their
    # title or right beside their name is what they represent ("a delegation of X Region led by
    # its deputy akim", "акима Туркестанской области Дархана Сатыбалды"); a region named
    # elsewhere (where a project goes) is not; cities are left out, a dateline names one
    for members, home in ((kz, "KZ"), (cn, "CN")):
        if members and all(q["kind"] == "person" for q in members):
            named = [h.place for h in g.find(ev_text) if h.place.country == home and h.place.kind == "region"
                     and not _only_inside_names(h.place, ev_text)
                     and any(_beside(h.place, members, sentence) for sentence in evidence)]
            _add_places(members, [q for q in named if q.en != place][:2], ev_text, checks)
    # a group named only generically that the meeting was with is one organization (spec)
    if not any(q["kind"] in ("company", "organization") for q in cn):
        for group in generic_groups(ev_text)[:1]:
            cn.append({"name": group.written, "name_en": group.name_en, "kind": "organization", "title": None,
                       "affiliation": None})
            checks["group_from_text"] = group.name_en
    # a whole country as a party only when nothing more precise stands for that side
    for members in (kz, cn):
        precise = [q for q in members if q["name_en"] not in ("Kazakhstan", "China")]
        if precise and len(precise) < len(members):
            members[:] = precise

    # where the article names no Kazakhstan-side actor, the region where the project is sited is it
    if not kz:
        for proj in projects:
            hit = g.lookup(proj["location"] or "")
            if hit is not None and hit.country == "KZ":
                kz.append({"name": proj["location"], "name_en": hit.en, "kind": "region", "title": None, "affiliation": None})
                checks["kz_party_from_project"] = True
                break

    if not cn or not kz:
        checks["dropped_event"] = "no China-side party" if not cn else "no Kazakhstan-side party"
        return None, checks
    for agreement in agreements:
        agreement["parties"] = _signatories(kz, cn)
    for person in kz + cn:
        if person["title"] and _strange_places(person["title"], mentioned):
            checks.setdefault("dropped_titles", []).append(person["title"])
            person["title"] = None
    for members in (kz, cn):
        bodies = [q for q in members if q["kind"] != "person"]
        for person in members:
            if person["kind"] == "person" and len(bodies) == 1:
                person["affiliation"] = bodies[0]["name_en"]
    event = {
        "type": typ, "date": date, "location": {"place": place, "country": country},
        "kz_parties": kz[:10], "cn_parties": cn[:10], "sectors": sectors[:8],
        "agreements": agreements[:8], "projects": projects[:8],
        "summary": _summary(ev.summary, typ, kz, cn, place, date, mentioned, checks),
        "evidence": evidence,
    }
    checks["evidence_sentences"] = nums
    return event, checks


_NAME_GOES_ON = vocab.regex("compact", "name_goes_on")


_HAN_COMPANY_GOES_ON = vocab.regex("compact", "han_company_goes_on")


def _only_inside_names(place: Any, text: str) -> bool:
    """Every mention of the place opens a longer name ("Shaanxi Tianrui Chemical", 新疆丝路物流集团):
    it names a company, not the region."""
    spots = [(m, _NAME_GOES_ON) for a in place.aliases if not _HAN.search(a)
             for m in re.finditer(rf"(?<!\w){re.escape(a)}(?!\w)", text, re.IGNORECASE)]
    spots += [(m, _HAN_COMPANY_GOES_ON) for a in place.aliases if _HAN.search(a)
              for m in re.finditer(re.escape(a), text)]
    return bool(spots) and all(goes_on.match(text, m.end()) for m, goes_on in spots)


_CN_BEFORE = vocab.regex("compact", "cn_before")


def _introduced_as_chinese(name: str, text: str) -> bool:
    """The text introduces the company as Chinese: "Қытайдың East Hope Group компаниясы",
    "китайская компания X", "Chinese firm X", "中国X公司"."""
    for m in re.finditer(re.escape(name), text):
        if _CN_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
            return True
    return False


def _beside(place: Any, people: list[dict[str, Any]], text: str, before: int = 100, after: int = 60) -> bool:
    """The place is in one of the people's titles, or named within a short reach of one of
    their names in the sentence (before it, as in "X Region's deputy akim Y", or just after it,
    as in "Y, deputy akim of X Region")."""
    g = gazetteer()
    if any(place in {h.place for h in g.find(q["title"])} for q in people if q["title"]):
        return True
    for q in people:
        words = q["name"].split()
        if not words:
            continue
        for m in re.finditer(re.escape(words[0]), text):
            window = text[max(0, m.start() - before):m.start() + len(q["name"]) + after]
            if place in {h.place for h in g.find(window)}:
                return True
    return False


def _add_places(members: list[dict[str, Any]], places: list[Any], ev_text: str, checks: dict[str, Any]) -> None:
    """The gazetteer's places and bodies as parties, named as the evidence writes them."""
    folded = fold(ev_text)
    for q in dict.fromkeys(places):
        if any(m["name_en"] == q.en for m in members):
            continue
        members.append({"name": next((a for a in q.aliases if _grounded(a, ev_text, folded)), q.en),
                        "name_en": q.en, "kind": _KIND.get(q.kind, q.kind), "title": None, "affiliation": None})
        checks.setdefault("parties_from_gazetteer", []).append(q.en)


def expand(data: dict[str, Any], article: Article,
           splitter: int = 1) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Spec events and per-event checks from the model's compact answer (sentence numbers
    as the prompt's ``splitter`` numbered them)."""
    answer = CExtraction.model_validate(data)  # the named variant's answers are valid here too
    sents = sent.split(article.text, splitter)
    folded_text = fold(article.text)
    g = gazetteer()
    mentions = {h.place.country for h in g.find(article.text)}
    events: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    for ev in answer.events:
        event, chk = expand_event(ev, article, sents, folded_text)
        if event is not None and "CN" not in mentions:
            chk["dropped_event"], event = "article never mentions China", None
        elif event is not None and "KZ" not in mentions and article.language != "kk" \
                and not _KZ_ABBREVIATION.search(article.text):
            # China and a third country (an Uzbek or Russian story): no Kazakhstan side to speak of
            chk["dropped_event"], event = "article never mentions Kazakhstan", None
        if event is not None:
            same = next((e for e in events if _same_occasion(e, event)), None)
            if same is not None:
                _merge(same, event)
                chk["merged_into"] = events.index(same)
                event = None
        if event is not None:
            events.append(event)
            checks.append(chk)
    return events, checks


def _strange_places(text: str, mentioned: set[Any]) -> bool:
    """The text names a place or body the article never mentions (a small model's invention)."""
    return any(h.place not in mentioned for h in gazetteer().find(text))


def _summary(model: str, typ: str, kz: list[dict[str, Any]], cn: list[dict[str, Any]], place: str | None,
             date: str | None, mentioned: set[Any], checks: dict[str, Any]) -> str:
    """The model's sentence, unless it names places the article does not; then one built from the slots."""
    if model.strip() and not _strange_places(model, mentioned):
        return model.strip()[:400]
    checks["summary_source"] = "slots"
    names = lambda side: ", ".join(p["name_en"] for p in side[:3])  # noqa: E731
    words = {"meeting": "Meeting", "signing": "Signing", "project": "Project", "forum": "Forum",
             "trade": "Trade deal", "other": "Cooperation"}
    out = f"{words.get(typ, 'Cooperation')} between {names(kz)} and {names(cn)}"
    out += f" in {place}" if place else ""
    out += f" on {date}" if date else ""
    return (out + ".")[:400]


def _same_occasion(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The model said one occasion twice: compatible types and the same counterparts."""
    types = {a["type"], b["type"]}
    if len(types) > 1 and types != {"meeting", "signing"}:
        return False
    ca = {fold(p["name_en"]) for p in a["cn_parties"]}
    cb = {fold(p["name_en"]) for p in b["cn_parties"]}
    return len(ca & cb) / max(1, min(len(ca), len(cb))) >= 0.5


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    if other["type"] == "signing":
        into["type"] = "signing"
    for side in ("kz_parties", "cn_parties"):
        into[side] = _dedupe(into[side] + other[side])[:10]
    # one occasion said twice signed one document of each kind, and built each project once
    kinds = {a["kind"] for a in into["agreements"]}
    into["agreements"] = (into["agreements"] + [a for a in other["agreements"] if a["kind"] not in kinds])[:8]
    same = {fold(p["description"]) for p in into["projects"]} | {repr(p["value"]) for p in into["projects"] if p["value"]}
    into["projects"] = (into["projects"] + [p for p in other["projects"] if fold(p["description"]) not in same
                                            and (not p["value"] or repr(p["value"]) not in same)])[:8]
    into["sectors"] = list(dict.fromkeys(into["sectors"] + other["sectors"]))[:8]
    into["evidence"] = list(dict.fromkeys(into["evidence"] + other["evidence"]))[:6]
