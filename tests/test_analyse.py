"""The analysis: candidates found by general patterns in invented texts of each language."""

from __future__ import annotations

from pipeline.analyse import Analysis, analyse
from pipeline.ingest.articles import make_article


def _an(text: str, published: str | None = "2026-04-01") -> Analysis:
    art = make_article("t", text)
    return analyse(art.__class__(**{**art.__dict__, "published": published}))


def _by_name(a: Analysis) -> dict[str, object]:
    return {c.name: c for c in a.candidates}


def test_russian_people_in_base_form_with_titles_and_sides() -> None:
    a = _an("Аким Туркестанской области Ерлан Сеитов встретился с председателем компании Henan Sunrise Motors "
            "Чэнь Лином. Стороны обсудили строительство завода.")
    names = _by_name(a)
    assert "Ерлан Сеитов" in names and names["Ерлан Сеитов"].country == "KZ"  # type: ignore[attr-defined]
    chen = next(c for c in a.candidates if c.en == "Chen Ling")
    assert chen.name == "Чэнь Лин" and chen.country == "CN" and chen.kind == "person"
    company = next(c for c in a.candidates if c.kind == "company")
    assert company.en == "Henan Sunrise Motors" and company.country == "CN"  # named after a Chinese province
    region = next(c for c in a.candidates if c.kind == "region")
    assert region.en == "Turkestan Region" and region.country == "KZ"
    assert region.written(a.article.text) == "Туркестанской области"


def test_a_capitalised_common_word_opening_a_sentence_is_no_name() -> None:
    a = _an("Делегация Жамбылской области прибыла в Сиань.")
    assert not any(c.kind == "person" for c in a.candidates)
    assert any(c.en == "Jambyl Region" for c in a.candidates)


def test_kazakh_case_endings_on_a_chinese_name_are_dropped() -> None:
    a = _an("Облыс әкімі Дархан Сейітов Шэньси провинциясының хатшысы Лю Хаймен кездесті.")
    liu = next(c for c in a.candidates if c.en == "Liu Hai")
    assert liu.name == "Лю Хай" and liu.country == "CN"
    assert any(c.name == "Дархан Сейітов" for c in a.candidates)
    assert any(c.en == "Shaanxi Province" and c.country == "CN" for c in a.candidates)


def test_english_names_split_at_titles_and_and() -> None:
    a = _an("The agreement was signed by Governor Aidos Kenzhebek and Li Wenhua, Chairman of Fujian Bright "
            "Steel Co., Ltd. Kenzhebek thanked the company.")
    names = {c.name for c in a.candidates}
    assert {"Aidos Kenzhebek", "Li Wenhua"} <= names
    steel = next(c for c in a.candidates if c.kind == "company")
    assert steel.en == "Fujian Bright Steel"
    aidos = next(c for c in a.candidates if c.name == "Aidos Kenzhebek")
    assert len(aidos.spans) == 2  # the surname alone later is the same person


def test_chinese_titles_foreign_names_and_companies() -> None:
    a = _an("4月1日，省委书记王建国在西安会见哈萨克斯坦阿拜州州长阿斯卡尔·别克一行。双方与中国华星能源集团签署合作备忘录。")
    names = _by_name(a)
    assert "王建国" in names and names["王建国"].country == "CN"  # type: ignore[attr-defined]
    assert "阿斯卡尔·别克" in names
    assert any(c.kind == "company" and c.name.endswith("集团") and "中国" in c.name for c in a.candidates)
    assert any(c.en == "Abai Region" for c in a.candidates)


def test_amounts_dates_and_source_credits() -> None:
    a = _an("Компания вложит 150 млн долларов США в завод, передает Astana Daily. Соглашение подписано 3 марта.")
    amount = next(c for c in a.candidates if c.kind == "amount")
    assert amount.amount is not None and amount.amount.amount == 150_000_000 and amount.amount.currency == "USD"
    assert amount.written(a.article.text) == "150 млн долларов США"
    assert not any("Astana Daily" in c.name for c in a.candidates)  # a news outlet credited is no party
    assert [d.value for d in a.dates] == ["2026-03-03"]


def test_which_countries_the_article_names() -> None:
    a = _an("Узбекистан и Китай подписали соглашение в Ташкенте.")
    assert a.cn_named and not a.kz_named
    b = _an("Аким Павлодарской области принял посла Японии.")
    assert b.kz_named and not b.cn_named


def test_every_mention_knows_its_sentence() -> None:
    a = _an("Первое предложение о Китае. Во втором аким Алматинской области Марат Ахметов подписал меморандум.")
    marat = next(c for c in a.candidates if c.name == "Марат Ахметов")
    assert marat.sentences == (2,)
    assert a.sentence_text([2]).startswith("Во втором")


def test_english_titles_places_and_possessives_stay_out_of_names() -> None:
    a = _an("The Acting Mayor of Hefei Li Hua met the Consul General of Kazakhstan in Hefei Arman Bekov. "
            "Both praised Sunrise Motors’s plans, the Chairman of the Supervisory Board said… Given the plans, "
            "Sunrise Motors will build a plant.")
    names = {c.name for c in a.candidates}
    assert "Li Hua" in names and "Arman Bekov" in names
    assert not names & {"Acting", "Hefei Li Hua", "Hefei Arman Bekov", "Supervisory Board", "Board", "Given",
                        "Sunrise Motors’s"}
    assert "Sunrise Motors" in names


def test_the_title_before_two_people_is_the_first_ones() -> None:
    a = _an("The talks were held by the akim of Taraz city Arman Bekov and Li Hua, chairman of Sunrise Motors.")
    li = next(c for c in a.candidates if c.name == "Li Hua")
    assert li.title is None and li.country == "CN"
    bekov = next(c for c in a.candidates if c.name == "Arman Bekov")
    assert bekov.title == "Akim" and bekov.country == "KZ"


def test_titles_are_not_names_in_cyrillic_and_chinese() -> None:
    a = _an("Президент принял Чрезвычайного и Полномочного Посла Китайской Народной Республики Ли Хуа.")
    assert not any("Посла" in c.name or "Полномочного" in c.name for c in a.candidates)
    b = _an("今年,国家主席成功访问哈萨克斯坦,双方签署了多项合作文件。省长陈明会见了代表团,双方讨论了工业园建设。")
    people = {c.name for c in b.candidates if c.kind == "person"}
    assert "成功" not in people and "陈明" in people


def test_names_after_a_genitive_title_in_their_base_form() -> None:
    a = _an("Переговоры прошли с участием акима области Нурбола Жаксыбая и вице-президента компании "
            "Sunrise Motors Ван Бина. Стороны обсудили строительство завода.")
    people = {c.name: c.en for c in a.candidates if c.kind == "person"}
    assert people.get("Нурбол Жаксыбай") == "Nurbol Zhaksybay"
    assert people.get("Ван Бин") == "Wang Bing"
