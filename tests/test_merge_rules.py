"""The merge rule, one rule at a time, on invented records (fictional people and companies)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pipeline.schema import load_schema
from pipeline.views.merge import cluster, merge_records, refs_from_records
from pipeline.views.merge_evidence import Party, evidence, is_specific, names_match, time_evidence


def person(name: str, title: str = "Chairman") -> dict[str, Any]:
    return {"name": name, "name_en": name, "kind": "person", "title": title, "affiliation": None}


def body(name: str, kind: str = "company") -> dict[str, Any]:
    return {"name": name, "name_en": name, "kind": kind, "title": None, "affiliation": None}


KZ_MINISTER = person("Aidar Temirkhanov", "Minister of Industry")
CN_CHAIR = person("Liu Wenbo", "Chairman")
CN_FIRM = body("Qiantang Orbital Machinery")


def ev(kz: list[dict[str, Any]] | None = None, cn: list[dict[str, Any]] | None = None, *, typ: str = "meeting",
       date: str | None = "2031-04-10", place: str | None = None, country: str | None = None,
       projects: list[dict[str, Any]] | None = None, agreements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": typ, "date": date, "location": {"place": place, "country": country},
            "kz_parties": kz if kz is not None else [KZ_MINISTER], "cn_parties": cn if cn is not None else [CN_CHAIR, CN_FIRM],
            "sectors": ["machine_building"], "agreements": agreements or [], "projects": projects or [],
            "summary": "An invented event.", "evidence": []}


def project(desc: str, amount: float | None = None, currency: str = "USD") -> dict[str, Any]:
    return {"description": desc, "location": None, "sectors": ["machine_building"],
            "value": {"amount": amount, "currency": currency, "qualifier": "about"} if amount else None,
            "status": "agreed"}


def rec(aid: str, *events: dict[str, Any], published: str | None = None, lang: str = "en") -> dict[str, Any]:
    return {"article_id": aid, "language": lang, "published": published, "events": list(events)}


def groups(*records: dict[str, Any]) -> list[list[str]]:
    return sorted(sorted(r.article_id for r in g) for g in cluster(refs_from_records(records)))


def joined(*records: dict[str, Any]) -> bool:
    return len(groups(*records)) == 1


# ------------------------------------------------------------------ time


def test_event_dates_that_agree_merge_and_dates_days_apart_do_not() -> None:
    assert joined(rec("a", ev(date="2031-04-10")), rec("b", ev(date="2031-04-11")))
    assert not joined(rec("a", ev(date="2031-04-10")), rec("b", ev(date="2031-04-20")))


def test_an_undated_event_stands_at_its_publication_date_within_the_window() -> None:
    # published two days after the other report's event date: the same occasion
    assert joined(rec("a", ev(date="2031-04-10")), rec("b", ev(date=None), published="2031-04-12"))
    # published two months later (a follow-up, or a repost): not merged on that date
    assert not joined(rec("a", ev(date="2031-04-10")), rec("b", ev(date=None), published="2031-06-12"))
    state, words = time_evidence("2031-04-10", None, None, "2031-06-12")
    assert state == "contradict" and "published 2031-06-12" in words


def test_with_no_date_known_only_overwhelming_evidence_merges() -> None:
    # one side's parties only (the minister; the China side unnamed), no date on either: not enough
    generic_cn = [body("Chinese investors", "organization")]
    a = rec("a", ev(cn=generic_cn, date=None, projects=[project("gas processing plant", 2e9)]))
    b = rec("b", ev(date=None, projects=[project("gas processing plant", 2e9)]))
    assert not joined(a, b)
    merged = merge_records([a, b])
    assert all("possible_duplicates" in m for m in merged)  # listed, not folded in
    # a person shared on each side and the same project: overwhelming
    a2 = rec("a", ev(date=None, projects=[project("gas processing plant", 2e9)]))
    assert joined(a2, b)


def test_a_month_alone_contradicts_when_it_differs_and_proves_nothing_when_it_agrees() -> None:
    assert time_evidence("2031-04", None, "2031-05-20", None)[0] == "contradict"
    assert time_evidence("2031-04", None, "2031-04-20", None)[0] == "unknown"


# ------------------------------------------------------------------ parties


def test_generic_groups_countries_cities_and_governments_are_not_specific() -> None:
    for name, kind in (("Chinese investors", "organization"), ("China", "government"), ("Kazakhstan", "government"),
                       ("Government of Kazakhstan", "government"), ("Astana", "region"), ("Shanghai", "organization"),
                       ("Heads of leading Chinese industrial companies", "organization"),
                       ("Akimat of Aktobe Region", "government"), ("Western Kazakhstan", "person"),
                       ("Foreign Affairs", "person"), ("QOMC", "person"), ("Almaty", "person")):
        assert not is_specific(name, kind), name
    for name, kind in (("Qiantang Orbital Machinery", "company"), ("Aidar Temirkhanov", "person"),
                       ("Ministry of Industry", "government")):
        assert is_specific(name, kind), name


def test_sharing_only_generic_parties_never_merges() -> None:
    generic = ev(kz=[body("Government of Kazakhstan", "government"), body("Astana", "region")],
                 cn=[body("Chinese companies", "organization"), body("China", "government")])
    assert not joined(rec("a", generic), rec("b", copy.deepcopy(generic)))
    assert all("possible_duplicates" not in m for m in merge_records([rec("a", generic), rec("b", generic)]))


def test_a_body_alone_needs_a_second_shared_fact() -> None:
    only_firm = ev(kz=[], cn=[CN_FIRM])
    assert not joined(rec("a", only_firm), rec("b", copy.deepcopy(only_firm)))
    with_amount = ev(kz=[], cn=[CN_FIRM], projects=[project("tractor assembly", 4.5e7)])
    assert joined(rec("a", with_amount), rec("b", copy.deepcopy(with_amount)))


def test_names_compare_by_english_name_fuzzily() -> None:
    def p(name: str, is_person: bool, acr: frozenset[str] = frozenset()) -> Party:
        from pipeline.views.merge_evidence import _acronyms, body_key
        return Party("cn", name, body_key(name), is_person, _acronyms(name))

    assert names_match(p("Aidar Temirkhanov", True), p("Aidar Temirkhanov", True))
    assert names_match(p("Aidar Temirkhanov", True), p("Aydar Temirkhanov", True))  # transliteration
    assert names_match(p("Liu Wenbo", True), p("Wenbo Liu", True))  # word order
    assert names_match(p("Temirkhanov", True), p("Aidar Temirkhanov", True))  # a surname alone
    assert names_match(p("Qiantang Orbital Machinery Co., Ltd.", False), p("Qiantang Orbital Machinery", False))
    assert names_match(p("QOMC", False), p("Qiantang Orbital Machinery Corporation", False))  # acronym
    assert names_match(p("Orbital Machinery Group", False), p("Qiantang Orbital Machinery Group", False))
    assert names_match(p("Nurlybek Kasym-Zhanbolat", True), p("Nurlibek Kassym-Janbolat", True))  # word by word
    assert names_match(p("Qiantang Orbital Electromechanical Works", False),
                       p("Qiantang Orbital Mechanical & Electrical Works", False))  # same leading name
    assert not names_match(p("Qiantang Group Corporation", False), p("Qiantang Construction Corporation", False))
    assert not names_match(p("Liu Wenbo", True), p("Liu Jianguo", True))
    assert not names_match(p("Liu Wen", True), p("Liu Wenbo", True))
    assert not names_match(p("Qiantang Group", False), p("Qiantang Construction", False))
    assert not names_match(p("Qiantang", False), p("Qiantang Construction", False))  # parent is not subsidiary


def test_a_person_and_a_body_with_a_persons_name_compare_as_people() -> None:
    from pipeline.views.merge_evidence import parties

    who = parties(ev(kz=[KZ_MINISTER]))[0]
    mislabelled = parties(ev(kz=[body("Republic of Kazakhstan Aydar Temirkhanov", "organization")]))[0]
    assert not mislabelled.person and names_match(who, mislabelled)


def test_a_party_the_other_reports_quotes_name_is_shared() -> None:
    # no date on either side: only a shared party on each side merges. The Russian report lists
    # only the chairman; its quote names the minister (with case endings)
    a = rec("a", ev(date=None))
    b_ev = ev(kz=[], cn=[CN_CHAIR], date=None)
    b_ev["evidence"] = ["Министр Айдар Темирханов провёл встречу с председателем компании."]
    b = rec("b", b_ev, lang="ru")
    assert joined(a, b)
    why = merge_records([a, b])[0]["sources"][1]["why"]
    assert "Aidar Temirkhanov (named in the other report's quotes)" in why["parties"]
    b_ev["evidence"] = ["Министр провёл встречу с председателем компании."]
    assert not joined(a, rec("b", b_ev, lang="ru"))


def test_a_party_seen_on_dates_far_apart_counts_for_less() -> None:
    # two undated reports share the minister and the firm: one occasion ...
    a = rec("a", ev(cn=[CN_FIRM], date=None))
    b = rec("b", ev(cn=[CN_FIRM], date=None))
    assert joined(a, b)
    # ... unless the input shows the firm on two dates months apart: a firm with many occasions
    jan = rec("jan", ev(kz=[person("Serik Zhanuzakov")], cn=[CN_FIRM], date="2031-01-05"))
    sep = rec("sep", ev(kz=[person("Marat Ospanov")], cn=[CN_FIRM], date="2031-09-01"))
    gs = groups(a, b, jan, sep)
    assert ["a", "b"] not in gs and len(gs) == 4
    assert any("possible_duplicates" in m for m in merge_records([a, b, jan, sep]))


def test_cross_language_reports_merge_on_english_names() -> None:
    ru = ev(kz=[{**KZ_MINISTER, "name": "Айдар Темирханов"}], cn=[{**CN_CHAIR, "name": "Лю Вэньбо"}])
    zh = ev(kz=[{**KZ_MINISTER, "name": "艾达尔·铁木尔哈诺夫"}], cn=[{**CN_CHAIR, "name": "刘文博"}])
    assert joined(rec("ru", ru, lang="ru"), rec("zh", zh, lang="zh"))


def test_the_same_figures_on_agreeing_dates_stand_in_for_a_shared_party() -> None:
    # rule "the same figures": one press release retold; the second report's firm is a sound-for-sound
    # rendering the names cannot match, and neither report names a person
    firm = [body("Qiantang Orbital Machinery")]
    rendered = [body("Qian Tang Gui Dao Ji Xie You Xian Gong Si")]
    one = ["The plant, worth about $120 million, will make 1.4 million tonnes a year and employ 640 people."]
    other = ["Some USD 120 mln will go into a plant of 1,400,000 tonnes a year; 640 jobs, from 2031."]
    a_ev, b_ev = ev(kz=[], cn=firm, typ="project"), ev(kz=[], cn=rendered, typ="project")
    a_ev["evidence"], b_ev["evidence"] = one, other
    assert joined(rec("a", a_ev), rec("b", b_ev))
    why = merge_records([rec("a", a_ev), rec("b", b_ev)])[0]["sources"][1]["why"]
    assert why["parties"] == [] and any(f.startswith("figures both quote: 640") for f in why["facts"])
    # two figures alike are not a report retold; a year and small counts are no figures
    b_two = {**b_ev, "evidence": ["Some USD 120 mln will go into a plant of 1,400,000 tonnes a year; 12 jobs."]}
    assert not joined(rec("a", a_ev), rec("b", b_two))
    # with no date to compare, the same figures alone are a possible duplicate, never merged
    a_undated, b_undated = {**a_ev, "date": None}, {**b_ev, "date": None}
    assert not joined(rec("a", a_undated), rec("b", b_undated))
    assert all("possible_duplicates" in m for m in merge_records([rec("a", a_undated), rec("b", b_undated)]))


def test_figures_in_quotes_leave_out_years_days_and_small_counts() -> None:
    from pipeline.views.merge_evidence import figures

    assert figures(["On 12 May 2031, 3 firms pledged $2.5 billion for 1,200 jobs."]) == frozenset({2.5e9, 1200.0})


def test_with_no_date_a_visitor_not_seen_on_other_dates_in_the_same_place_merges() -> None:
    # rule "a visitor in the same place": the dated report has the Chinese chairman in a Kazakh
    # region; the undated one (no publication date either) has the chairman and, in a quote, the place
    dated = ev(kz=[body("Kostanay Region", "region")], cn=[CN_CHAIR], country="KZ")
    undated = ev(kz=[], cn=[CN_CHAIR], date=None)
    undated["evidence"] = ["The chairman opened the new office.", "Our correspondent, Kostanay"]
    assert joined(rec("a", dated), rec("b", undated))
    why = merge_records([rec("a", dated), rec("b", undated)])[0]["sources"][1]["why"]
    assert why["parties"] == ["Liu Wenbo"] and any(f.startswith("place: Kostanay") for f in why["facts"])
    # no place in common: a possible duplicate only
    nowhere = {**undated, "evidence": ["The chairman opened the new office."]}
    assert not joined(rec("a", dated), rec("b", nowhere))
    assert all("possible_duplicates" in m for m in merge_records([rec("a", dated), rec("b", nowhere)]))
    # a Kazakh official in a Kazakh region is no visitor: always there
    local_dated = ev(kz=[KZ_MINISTER, body("Kostanay Region", "region")], cn=[], country="KZ")
    local_undated = {**ev(kz=[KZ_MINISTER], cn=[], date=None), "evidence": ["In Kostanay, the minister spoke."]}
    assert not joined(rec("a", local_dated), rec("b", local_undated))
    # an event the report places in China is not in a Kazakh region its quotes name
    in_china = {**undated, "location": {"place": None, "country": "CN"}}
    assert not joined(rec("a", {**dated, "location": {"place": None, "country": None}}), rec("b", in_china))
    # the chairman seen on dates months apart: a person with many occasions, not enough
    jan = rec("jan", ev(kz=[person("Serik Zhanuzakov")], cn=[CN_CHAIR], date="2031-01-05"))
    assert ["a", "b"] not in groups(rec("a", dated), rec("b", undated), jan)


# ------------------------------------------------------------------ contradictions


def test_incompatible_types_places_and_amounts_contradict() -> None:
    assert not joined(rec("a", ev(typ="trade")), rec("b", ev(typ="forum")))
    assert joined(rec("a", ev(typ="meeting")), rec("b", ev(typ="signing")))
    assert joined(rec("a", ev(typ="meeting")), rec("b", ev(typ="project")))
    assert not joined(rec("a", ev(place="Karaganda")), rec("b", ev(place="Urumqi")))
    assert joined(rec("a", ev(place="Karaganda")), rec("b", ev(place="Karaganda Region")))
    assert not joined(rec("a", ev(projects=[project("tractor assembly", 4.5e7)])),
                      rec("b", ev(projects=[project("tractor assembly", 4.5e8)])))


def test_other_people_on_one_side_contradict_the_same_company() -> None:
    # the same Chinese company and the same minister, but another chairman: another occasion
    other_chair = ev(cn=[person("Zhou Mingyuan"), CN_FIRM])
    assert not joined(rec("a", ev(date=None)), rec("b", other_chair, published=None))
    assert not joined(rec("a", ev()), rec("b", other_chair))
    e = evidence(ev(), None, other_chair, None)
    assert any("different people on the CN side" in a for a in e.against)


def test_people_count_as_different_only_when_their_names_compare() -> None:
    # the same Kazakh minister written in Chinese characters in one report: its pinyin is no
    # spelling of the name, so it neither matches nor contradicts the Latin one
    zh = ev(kz=[{**KZ_MINISTER, "name": "艾达尔", "name_en": "Ai Da Er"}])
    e = evidence(ev(), None, zh, None)
    assert not any("different people" in a for a in e.against)
    # a Chinese name in a Russian spelling the pipeline left as it was: a surname alike is no contradiction
    ru = ev(cn=[{**CN_CHAIR, "name": "Лю Вэньбом", "name_en": "Liu Venbom"}, CN_FIRM])
    assert not any("different people" in a for a in evidence(ev(), None, ru, None).against)
    other = ev(cn=[person("Zhou Mingyuan"), CN_FIRM])
    assert any("different people" in a for a in evidence(ev(), None, other, None).against)


# ------------------------------------------------------------------ clusters


def test_every_pair_of_a_cluster_qualifies_not_a_chain() -> None:
    # a~b (the minister and the chairman, same day), b~c (the chairman, a day later), but a and c
    # are four days apart: a chain would join all three
    a = rec("a", ev(date="2031-04-08"))
    b = rec("b", ev(date="2031-04-10"))
    c = rec("c", ev(date="2031-04-12"))
    gs = groups(a, b, c)
    assert ["a", "b", "c"] not in gs and len(gs) == 2


def test_two_events_of_one_article_never_merge() -> None:
    a = rec("a", ev(), ev(typ="signing"))
    b = rec("b", ev())
    gs = groups(a, b)
    assert ["a", "a", "b"] not in gs and ["a", "b"] in gs


# ------------------------------------------------------------------ explanations


def test_every_merge_says_why_and_almost_merges_are_listed() -> None:
    doc = {"kind": "memorandum", "subject": "tractor assembly plant in Kostanay", "parties": []}
    a = rec("a", ev(agreements=[doc], place="Kostanay", projects=[project("tractor assembly plant", 4.5e7)]))
    b = rec("b", ev(agreements=[doc], place="Kostanay", projects=[project("tractor assembly plant", 4.5e7)]),
            published="2031-04-10")
    c = rec("c", ev(kz=[], cn=[CN_FIRM], date="2031-04-09"))  # the firm alone: almost
    merged = merge_records([a, b, c])
    schema = load_schema("merged.v1")
    for m in merged:
        schema.validate(m)
    both = next(m for m in merged if len(m["sources"]) == 2)
    why = both["sources"][1]["why"]
    assert why["with"] == "a#0"
    assert "Aidar Temirkhanov" in why["parties"] and "Liu Wenbo" in why["parties"]
    assert "2031-04-10" in why["time"]
    assert any(f.startswith("document:") for f in why["facts"])
    assert any(f.startswith("amount:") for f in why["facts"])
    assert any(f.startswith("place:") for f in why["facts"])
    assert "why" not in both["sources"][0]
    alone = next(m for m in merged if len(m["sources"]) == 1)
    dups = alone["possible_duplicates"]
    assert {d["event_id"] for d in dups} == {both["event_id"]}
    assert "body" in dups[0]["reason"] and dups[0]["parties"] == ["Qiantang Orbital Machinery"]
    assert {d["event_id"] for d in both["possible_duplicates"]} == {alone["event_id"]}


def test_the_report_shows_why_sources_were_joined_and_the_possible_duplicates(tmp_path: Path) -> None:
    from pipeline.views.report_folder import write_report

    doc = {"kind": "memorandum", "subject": "tractor assembly plant in Kostanay", "parties": []}
    a = rec("a", ev(agreements=[doc]))
    b = rec("b", ev(agreements=[doc]), published="2031-04-10")
    c = rec("c", ev(kz=[], cn=[CN_FIRM], date="2031-04-09"))
    merged = merge_records([a, b, c])
    src = tmp_path / "merged.jsonl"
    src.write_text("".join(json.dumps(m) + "\n" for m in merged), "utf-8")
    s = write_report(src, tmp_path / "r")
    assert len(s["possible_duplicates"]) == 1  # one pair, listed once
    md = (tmp_path / "r" / "report.md").read_text("utf-8")
    assert "- Possible duplicates (almost one occasion, kept apart; check them): 1" in md
    why_section = md.split("## Why sources were joined")[1].split("##")[0]
    assert "b#0" in why_section and "shared parties: Aidar Temirkhanov, Liu Wenbo" in why_section
    dup_section = md.split("## Possible duplicates (not merged)")[1].split("##")[0]
    assert "a second shared fact beside one body" in dup_section and "c#0" in dup_section
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    both = next(m for m in merged if len(m["sources"]) == 2)
    alone = next(m for m in merged if len(m["sources"]) == 1)
    table = page.split("id='possible-duplicates'")[1].split("</table>")[0]
    assert both["event_id"] in table and alone["event_id"] in table
    assert "Why these 2 sources are one occasion" in page and "1 possible duplicate(s)" in page
