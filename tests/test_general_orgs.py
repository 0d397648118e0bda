"""Finder set 2's reader of generic groups and named bodies (pipeline/analyse/general_orgs.py), on
invented sentences: a group or body found with its span, kind, English name and country; near misses not."""

from __future__ import annotations

import time

import pytest

from pipeline.analyse import analyse
from pipeline.analyse.finders import places
from pipeline.analyse.general_orgs import generic_groups, named_bodies, organisations
from pipeline.ingest.articles import Article


def _groups(text: str, lang: str) -> list[tuple[str, str, str | None]]:
    out = []
    for f in generic_groups(text, lang, places(text)):
        assert text[f.start:f.end] == f.name and f.kind == "group"
        out.append((f.name, f.en, f.country))
    return out


def _bodies(text: str, lang: str) -> list[tuple[str, str, str | None]]:
    out = []
    for f in named_bodies(text, lang, places(text)):
        assert text[f.start:f.end] == f.name and f.kind == "organization"
        out.append((f.name, f.en, f.country))
    return out


@pytest.mark.parametrize(("lang", "text", "found"), [
    ("ru", "Аким встретился с представителями нескольких китайских логистических компаний.",
     ("представителями нескольких китайских логистических компаний", "Representatives of several Chinese logistics companies", "CN")),
    ("ru", "В Таразе прибыла делегация из числа руководителей более 30 предприятий из КНР.",
     ("руководителей более 30 предприятий из КНР", "Heads of over 30 Chinese enterprises", "CN")),
    ("ru", "Стороны провели переговоры с казахстанскими экспортерами.",
     ("казахстанскими экспортерами", "Kazakh exporters", "KZ")),
    ("ru", "На форуме приняли участие руководители предприятий обеих стран.",
     ("руководители предприятий обеих стран", "Heads of enterprises of the two countries", None)),
    ("kk", "Форумда екі елдің 120-дан астам компания басшысы кездесті.",
     ("екі елдің 120-дан астам компания басшысы", "Heads of over 120 companies of the two countries", None)),
    ("kk", "Консул Ақтөбе облысының кәсіпкерлерімен кездесті.",
     ("Ақтөбе облысының кәсіпкерлерімен", "Aktobe entrepreneurs", "KZ")),
    ("kk", "Қазақстандық экспорттаушылар келісімге қол қойды.", ("Қазақстандық экспорттаушылар", "Kazakh exporters", "KZ")),
    ("en", "Zhenlong Tools signed two contracts worth $1.5 million with Kazakh manufacturers.",
     ("Kazakh manufacturers", "Kazakh manufacturers", "KZ")),
    ("en", "The governor met heads of Shandong enterprises.",
     ("heads of Shandong enterprises", "Heads of Shandong enterprises", "CN")),
    ("en", "The minister held talks with leading Chinese energy firms.",
     ("leading Chinese energy firms", "Leading Chinese energy companies", "CN")),
])
def test_a_group_named_where_an_event_is_told(lang: str, text: str, found: tuple[str, str, str | None]) -> None:
    assert _groups(text, lang) == [found]


@pytest.mark.parametrize(("lang", "text"), [
    ("ru", "Китайские компании давно интересуются рынком региона."),  # a general remark: no event
    ("en", "Chinese companies are interested in the region's market."),
    ("kk", "Қытай компаниялары өңір нарығына қызығушылық танытуда."),
    ("ru", "Аким встретился с представителями компании «Жасыл Дала»."),  # one company, named by the quote
    ("ru", "Аким встретился с директором китайской компании."),  # singular: one company, not a group
    ("ru", "Меморандум подписан с Ассоциацией китайских предприятий."),  # the words of a body's name
    ("en", "The memorandum was signed with the Association of Kazakh Exporters."),
    ("ru", "Аким встретился с представителями компаний."),  # whose companies the text does not say
])
def test_no_group(lang: str, text: str) -> None:
    assert _groups(text, lang) == []


@pytest.mark.parametrize(("lang", "text", "found"), [
    ("ru", "Меморандум подписан с Ассоциацией китайских предприятий в Казахстане.",
     ("Ассоциацией китайских предприятий в Казахстане", "Association of Chinese Enterprises in Kazakhstan", "CN")),
    ("ru", "В переговорах участвовал Евразийский национальный университет.",
     ("Евразийский национальный университет", "Eurasian National University", None)),
    ("ru", "Соглашение подписала Торгово-промышленная палата провинции Хэнань.",
     ("Торгово-промышленная палата провинции Хэнань", "Chamber of Commerce and Industry of Province of Henan", "CN")),
    ("kk", "Кездесуге Қазақстан-Қытай іскерлік кеңесі өкілдері қатысты.",
     ("Қазақстан-Қытай іскерлік кеңесі", "Kazakhstan-China Business Council", "KZ")),
    ("kk", "Әл-Фараби атындағы Қазақ ұлттық университеті келісімге қол қойды.",
     ("Әл-Фараби атындағы Қазақ ұлттық университеті", "Kazakh National University named after Al-Farabi", "KZ")),
    ("en", "It was signed by the China Council for the Promotion of International Trade.",
     ("China Council for the Promotion of International Trade", "China Council for the Promotion of International Trade", "CN")),
])
def test_a_named_body(lang: str, text: str, found: tuple[str, str, str | None]) -> None:
    assert _bodies(text, lang) == [found]


@pytest.mark.parametrize(("lang", "text"), [
    ("ru", "Китайские банки выделили кредит."),  # a sentence's capital on a common noun
    ("ru", "Делегация посетила Центральный рынок."),  # not a body's head noun
    ("ru", "Глава Городского центра поддержки Жаксылык Оспанов выступил."),  # the person is no part of the body
    ("kk", "Жиын қорытындысы бойынша келісім жасалды."),  # "қор..." inside another word
    ("kk", "Bright Lamp Ltd Директорлар кеңесінің төрағасы сөйледі."),  # a company's board
    ("en", "He chaired the Council of Eastern (Cooperative) Unions."),  # a bracket inside the name: not cut short
])
def test_no_named_body(lang: str, text: str) -> None:
    found = _bodies(text, lang)
    assert all(not name.endswith(("Eastern", "Оспанов")) for name, _, _ in found)
    if lang != "ru" or "Глава" not in text:
        assert found == []


def test_set_1_unchanged_and_set_2_offers_the_group() -> None:
    text = "Аким встретился с представителями нескольких китайских логистических компаний в Таразе."
    one = analyse(Article(id="t", text=text, language="ru"), finders=1)
    two = analyse(Article(id="t", text=text, language="ru"), finders=2)
    assert not any(c.en == "Representatives of several Chinese logistics companies" for c in one.candidates)
    assert any(c.en == "Representatives of several Chinese logistics companies" and c.country == "CN" for c in two.candidates)
    assert any(c.en.startswith("Taraz") for c in two.candidates)  # the place inside a group is kept


def test_linear_time_on_a_long_text() -> None:
    unit = ("Аким встретился с представителями нескольких китайских логистических компаний и Ассоциацией предприятий "
            "в Казахстане, Фонд развития «Даму» подписал меморандум. ")
    text = (unit * (60_000 // len(unit) + 1))[:60_000]
    t0 = time.perf_counter()
    found = organisations(text, "ru", places(text))
    print(f"general_orgs on 60,000 characters: {time.perf_counter() - t0:.2f} s, {len(found)} spans")
    assert found
