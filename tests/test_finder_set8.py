"""Finder set 8 (extract-v22): each tidying step it adds to set 5, on invented sentences, with set 5's
reading of the same text beside it."""

from __future__ import annotations

from pipeline.analyse import Candidate, analyse
from pipeline.analyse.finders import Found
from pipeline.analyse.tidy import han_firms_without_reporting, kazakh_names_without_place
from pipeline.ingest.articles import Article


def _cands(text: str, language: str, finders: int = 8) -> list[Candidate]:
    return list(analyse(Article(id="t", text=text, language=language), 2, finders).candidates)


def _names(text: str, language: str, finders: int = 8) -> set[str]:
    return {c.name for c in _cands(text, language, finders)}


ZH_FIRM = ("哈萨克斯坦阿拉木图州光伏电站日前并网发电。记者从中国远大能源集团获悉，该项目总投资约5000万美元。"
           "阿拉木图州副州长出席仪式并致辞。")

KK_AKORDA = ("Мемлекет басшысы Асқар Бекенов Ақордада Sunrise Solar компаниясының басқарма төрағасы "
             "Чжан Вэй мен China Wind корпорациясының президентін қабылдады. Кездесуде жел электр станциясын салу "
             "жобасы талқыланды.")


def test_reporting_words_before_a_chinese_firm_are_cut() -> None:
    assert "中国远大能源集团" in _names(ZH_FIRM, "zh")
    assert "记者从中国远大能源集团" not in _names(ZH_FIRM, "zh")
    assert "记者从中国远大能源集团" in _names(ZH_FIRM, "zh", 5)  # set 5 read the reporter in


def test_reporting_cut_leaves_short_names_and_other_kinds() -> None:
    a = Article(id="t", text="据中建集团", language="zh")
    short = Found(0, 5, "company", "据中建集团", "Ju Zhongjian Group", "CN", "han-company")
    person = Found(0, 3, "person", "据王明", "Ju Wangming", "CN", "han-person")
    assert han_firms_without_reporting([short], a)[0].name == "中建集团"  # four characters are left: cut
    three = Found(0, 4, "company", "据建集团", "Ju Jian Group", "CN", "han-company")
    assert han_firms_without_reporting([three], a)[0].name == "据建集团"  # three would be left: kept whole
    assert han_firms_without_reporting([person], a) == [person]


def test_kazakh_name_ends_before_a_place_in_the_locative() -> None:
    people = {c.name for c in _cands(KK_AKORDA, "kk") if c.kind == "person"}
    assert "Асқар Бекенов" in people and not any("Ақордада" in n for n in people)
    before = {c.name for c in _cands(KK_AKORDA, "kk", 5) if c.kind == "person"}
    assert any("Ақордада" in n for n in before)  # set 5 read the place into the name


def test_kazakh_head_word_with_a_place_after_it_is_no_body() -> None:
    assert not any(n.casefold().startswith("басқарма") for n in _names(KK_AKORDA, "kk"))
    assert any(n.casefold().startswith("басқарма") for n in _names(KK_AKORDA, "kk", 5))


def test_kazakh_steps_read_only_kazakh_and_keep_two_word_names() -> None:
    f = Found(0, 20, "person", "Асқар Бекенов Астанада", "Askar Bekenov Astanada", "KZ", "person")
    ru = Article(id="t", text="x", language="ru")
    kk = Article(id="t", text="x", language="kk")
    assert kazakh_names_without_place([f], ru) == [f]
    assert kazakh_names_without_place([f], kk)[0].name == "Асқар Бекенов"
    two = Found(0, 14, "person", "Асқар Астанада", "Askar Astanada", "KZ", "person")
    assert kazakh_names_without_place([two], kk) == [two]  # two words: the second may be a surname
