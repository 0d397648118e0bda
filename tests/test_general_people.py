"""The general people reader (finder set 2): Russian NER persons and organisations, and English
names glued to a title's phrase. Every name here is invented."""

from __future__ import annotations

import time

from pipeline.analyse import analyse
from pipeline.analyse.general_people import _nominative_phrase, english_people, people
from pipeline.ingest.articles import Article


def _ru(text: str) -> Article:
    return Article("t-ru", text, language="ru")


def test_russian_surname_alone_is_found_in_base_form() -> None:
    text = "Меморандум о строительстве завода подписал министр Пелевинцев. Стороны обсудили сроки."
    found = [f for f in people(_ru(text)) if f.kind == "person"]
    assert [(text[f.start:f.end], f.name) for f in found] == [("Пелевинцев", "Пелевинцев")]
    assert found[0].en == "Pelevintsev"


def test_russian_full_name_in_a_case_form() -> None:
    text = "Делегацию возглавил заместитель министра Аркадий Пелевинцев. Встреча прошла в Павлодаре."
    found = [f for f in people(_ru(text)) if f.kind == "person"]
    assert [text[f.start:f.end] for f in found] == ["Аркадий Пелевинцев"]


def test_russian_organisation_in_the_nominative() -> None:
    text = "Соглашение заключено с представителями Северного горнорудного комбината и банка."
    orgs = [f for f in people(_ru(text)) if f.kind == "organization"]
    assert [f.name for f in orgs] == ["Северный горнорудный комбинат"]
    assert text[orgs[0].start:orgs[0].end] == "Северного горнорудного комбината"
    assert _nominative_phrase("Министерством водных путей") == "Министерство водных путей"


def test_near_misses_not_found() -> None:
    # common capitalised words, a title's word alone, a place read alone are no person
    text = "Сегодня Правительство обсудило вопросы экспорта. Аким Павлодар не посетил."
    assert [f for f in people(_ru(text)) if f.kind == "person"] == []
    # Kazakh text is left to set 1 (the model reads Kazakh titles and case forms as names)
    kk = Article("t-kk", "Республикасының Президенті Нұрлыбек Самалов кездесті.", language="kk")
    assert people(kk) == []


def test_english_name_glued_to_a_title_phrase() -> None:
    text = "Chinese Ambassador to Kazakhstan Zhou Minghai met Minister of Trade and Integration Ivor Kelland in Astana."
    got = {(text[f.start:f.end], f.name, f.country) for f in english_people(text)}
    assert ("to Kazakhstan Zhou Minghai", "Zhou Minghai", "CN") in got
    assert ("and Integration Ivor Kelland", "Ivor Kelland", None) in got
    cands = analyse(Article("t-en", text, language="en"), finders=2).candidates
    names = {c.en for c in cands if c.kind == "person"}
    assert {"Zhou Minghai", "Ivor Kelland"} <= names
    assert not any("Kazakhstan Zhou" in c.en for c in cands)


def test_english_near_misses() -> None:
    # a body's name after a connector, a three-word name after a bare title: left as set 1 reads them
    text = ("Director Ivor Kelland spoke at the Kazakhstan Institute for Strategic Studies. "
            "President Lana Mirova Kessel arrived.")
    assert english_people(text) == []


def test_long_text_runs_in_linear_time() -> None:
    unit = "Министр Пелевинцев посетил Северный горнорудный комбинат. Chairman of Acme Ivor Kelland. "
    text = (unit * (60_000 // len(unit) + 1))[:60_000]
    t = time.perf_counter()
    people(_ru(text))
    english_people(text)
    print(f"60,000 characters: {time.perf_counter() - t:.2f}s")
