"""Finder set 3's tidying of people spans (pipeline.analyse.tidy_people). Every name and sentence here
is invented."""

from __future__ import annotations

import time

from pipeline.analyse import analyse
from pipeline.analyse.finders import Found
from pipeline.analyse.tidy_people import tidy_people
from pipeline.ingest.articles import Article


def _person(text: str, written: str, name: str, en: str, country: str | None = None, at: int = 0) -> Found:
    start = text.index(written, at)
    return Found(start, start + len(written), "person", name, en, country, "cyrillic")


def _one(text: str, lang: str, f: Found, *more: Found) -> Found:
    out = tidy_people([f, *more], Article("t", text, language=lang))
    return next(g for g in out if g.start <= f.start < g.end or f.start <= g.start < f.end)


# ------------------------------------------------------------------ 1. case endings


def test_chinese_name_read_with_a_russian_ending_gets_its_base_form() -> None:
    text = "Руководитель департамента госпожа Линь Фей отметила рост торговли."
    f = _one(text, "ru", _person(text, "Линь Фей", "Линь Фея", "Lin Feya"))
    assert (f.name, f.en, f.country) == ("Линь Фей", "Lin Fei", "CN")


def test_chinese_name_in_the_instrumental() -> None:
    text = "Губернатор встретился с председателем компании Гао Миньвэйем в Астане."
    f = _one(text, "ru", _person(text, "Гао Миньвэйем", "Гао Миньвэйь", "Gao Minvey"))
    assert (f.name, f.en, f.country) == ("Гао Миньвэй", "Gao Minwei", "CN")


def test_given_name_agrees_with_its_surname() -> None:
    text = "Делегацию принял председатель правления Тимура Бекболатова."
    f = _one(text, "ru", _person(text, "Тимура Бекболатова", "Тимура Бекболатов", "Timura Bekbolatov"))
    assert (f.name, f.en) == ("Тимур Бекболатов", "Timur Bekbolatov")
    text = "Он поблагодарил директора завода Арсланом Жумабековым."
    f = _one(text, "ru", _person(text, "Арсланом Жумабековым", "Арсланом Жумабеков", "Arslanom Zhumabekov"))
    assert f.name == "Арслан Жумабеков"
    # a woman's name as written stays, whatever a finder made of her surname
    text = "Документ подписала Анна Бекова."
    assert _one(text, "ru", _person(text, "Анна Бекова", "Анна Беков", "Anna Bekov")).name == "Анна Беков"


def test_a_name_in_the_nominative_is_left_alone() -> None:
    text = "Соглашение подписали Тимур Бекболатов и Гао Минь."
    a = _person(text, "Тимур Бекболатов", "Тимур Бекболатов", "Timur Bekbolatov")
    b = _person(text, "Гао Минь", "Гао Минь", "Gao Min")
    out = tidy_people([a, b], Article("t", text, language="ru"))
    assert [(f.name, f.en) for f in out] == [("Тимур Бекболатов", "Timur Bekbolatov"), ("Гао Минь", "Gao Min")]


# ------------------------------------------------------------------ 2. a surname cut off


def test_three_word_chinese_name_keeps_its_surname() -> None:
    text = "Қытай тарапынан вице-президент Ван Ли Мин қатысты. Кейін Ли Мин сөз сөйледі."
    cut = _person(text, "Ли Мин", "Ли Мин", "Li Min")
    f = _one(text, "kk", cut)
    assert (f.name, f.en, f.country) == ("Ван Ли Мин", "Wang Li Ming", "CN")
    later = _person(text, "Ли Мин", "Ли Мин", "Li Min", at=text.index("Кейін"))
    out = tidy_people([f, later], Article("t", text, language="kk"))
    assert [g.name for g in out] == ["Ван Ли Мин", "Ван Ли Мин"]


# ------------------------------------------------------------------ 3. office words


def test_office_words_are_no_person() -> None:
    text = ("The Minister of Foreign Affairs of the Republic of Kazakhstan, Daulet Serikbayev, met "
            "Chinese Foreign Minister Zhou Ming. Some Kazakh firms came.")
    junk = [Found(text.index(w), text.index(w) + len(w), "person", w, w, None, "latin")
            for w in ("Foreign Affairs", "Chinese Foreign", "Some Kazakh")]
    real = [Found(text.index(w), text.index(w) + len(w), "person", w, w, None, "latin")
            for w in ("Daulet Serikbayev", "Zhou Ming")]
    out = tidy_people([*junk, *real], Article("t", text, language="en"))
    assert [f.name for f in out] == ["Daulet Serikbayev", "Zhou Ming"]
    text = "The Head of State Daulet Serikbayev met guests."
    w = "of State Daulet Serikbayev"
    f = _one(text, "en", Found(text.index(w), text.index(w) + len(w), "person", w, w, None, "latin"))
    assert (text[f.start:f.end], f.name, f.en) == ("Daulet Serikbayev", "Daulet Serikbayev", "Daulet Serikbayev")


# ------------------------------------------------------------------ 4. sides from the title phrase


def _side(text: str, lang: str, written: str) -> str | None:
    f = Found(text.index(written), text.index(written) + len(written), "person", written, written, None, "latin")
    return _one(text, lang, f).country


def test_side_from_the_title_phrase_in_english() -> None:
    text = "The Minister of Foreign Affairs of the Republic of Kazakhstan, Daulet Serikbayev, met guests."
    assert _side(text, "en", "Daulet Serikbayev") == "KZ"
    assert _side("Talks were held with Kazakhstan's Ambassador to China Arman Toleubek.", "en",
                 "Arman Toleubek") == "KZ"
    assert _side("China's ambassador to Kazakhstan Peter Ostrow spoke.", "en", "Peter Ostrow") == "CN"
    assert _side("The Chinese vice premier Hanna Belk arrived.", "en", "Hanna Belk") == "CN"
    assert _side("Said the Director of the Kazakhstan Institute of Studies (KIS), Arman Toleubek, today.", "en",
                 "Arman Toleubek") == "KZ"
    # no title: no side; a person after another person's title: not that title's
    assert _side("Kazakh businessman Arman Toleubek spoke.", "en", "Arman Toleubek") is None
    assert _side("The Kazakh ambassador and Peter Ostrow spoke.", "en", "Peter Ostrow") is None


def test_side_from_the_title_phrase_in_russian_and_kazakh() -> None:
    assert _side("Выступил посол Казахстана в Китае Арман Толеубек.", "ru", "Арман Толеубек") == "KZ"
    assert _side("Выступил посол Китая в Казахстане Пётр Остров.", "ru", "Пётр Остров") == "CN"
    assert _side("На встрече аким области Арман Толеубек рассказал о планах.", "ru", "Арман Толеубек") == "KZ"
    text = "Встреча акима Армана Толеубека с директором компании Петром Островым прошла в Астане."
    assert _side(text, "ru", "Петром Островым") is None
    assert _side("Құжатқа ҚР Энергетика вице-министрі Арман Толеубек қол қойды.", "kk", "Арман Толеубек") == "KZ"


def test_side_from_the_title_phrase_in_chinese() -> None:
    assert _side("今天哈萨克斯坦驻华大使阿尔曼·托列别克出席会议。", "zh", "阿尔曼·托列别克") == "KZ"
    assert _side("会议由中华人民共和国驻哈萨克斯坦大使彼得·奥斯特罗夫主持。", "zh", "彼得·奥斯特罗夫") == "CN"


def test_a_side_a_finder_gave_is_kept() -> None:
    text = "Kazakhstan's Ambassador Arman Toleubek spoke."
    f = Found(text.index("Arman"), len(text) - 7, "person", "Arman Toleubek", "Arman Toleubek", "CN", "latin")
    assert _one(text, "en", f).country == "CN"


# ------------------------------------------------------------------ the whole analysis


def test_finder_set_three_reads_sides_and_names() -> None:
    text = ("Министр иностранных дел Казахстана Арман Толеубек встретился в Пекине с руководителем "
            "департамента торговли госпожой Линь Фей. Стороны подписали меморандум.")
    a = analyse(Article("t", text, language="ru"), 2, 3)
    people = {c.name: c.country for c in a.candidates if c.kind == "person"}
    assert people.get("Арман Толеубек") == "KZ"
    assert people.get("Линь Фей") == "CN"


def test_long_page_is_linear() -> None:
    para = ("The Minister of Foreign Affairs of the Republic of Kazakhstan, Daulet Serikbayev, met "
            "Chinese Foreign Minister Zhou Ming in Astana. ")
    text = para * (60000 // len(para))
    found = []
    for w in ("Daulet Serikbayev", "Zhou Ming", "Foreign Affairs", "Chinese Foreign"):
        at = 0
        while (i := text.find(w, at)) >= 0:
            found.append(Found(i, i + len(w), "person", w, w, None, "latin"))
            at = i + 1
    article = Article("t", text, language="en")
    t = time.perf_counter()
    out = tidy_people(found, article)
    assert time.perf_counter() - t < 5.0
    assert len(out) == len(found) // 2
    assert {f.country for f in out if f.name == "Daulet Serikbayev"} == {"KZ"}


def test_a_name_in_quotes_is_no_person() -> None:
    text = "Аким области Ерлан Сеитов встретился с руководством «Алмаз Прогресс» и Ли Вэем."
    art = Article(id="q", text=text, language="ru")
    spans = [Found(text.index("Алмаз"), text.index("Алмаз") + len("Алмаз Прогресс"), "person", "Алмаз Прогресс",
                   "Almaz Progress")]
    assert tidy_people(spans, art) == []
