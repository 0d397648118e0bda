"""Finder set 6 (extract-v20): each reader and tidying step it adds to set 5, on invented sentences,
with set 5's reading of the same text beside it where the two differ."""

from __future__ import annotations

from pipeline.analyse import Candidate, analyse
from pipeline.ingest.articles import Article

_ZH_LEAD = "据报道，双方当天举行了会谈并交换了意见。"  # the Chinese reader reads a text with some Han in it


def _cands(text: str, language: str, finders: int = 6) -> list[Candidate]:
    return list(analyse(Article(id="t", text=text, language=language), 2, finders).candidates)


def _named(text: str, language: str, finders: int = 6) -> dict[str, Candidate]:
    return {c.name: c for c in _cands(text, language, finders)}


# ------------------------------------------------------------------ groups that act in a project


def test_a_group_that_builds_is_a_group_in_each_language() -> None:
    cases = [
        ("en", "Chinese investors will build a glass factory worth $150 million in the Kyzylorda region.", "Chinese investors"),
        ("ru", "Китайские компании построят в Жамбылской области три завода.", "Chinese companies"),
        ("kk", "Қытай инвесторлары Түркістан облысында зауыт салады.", "Chinese investors"),
        ("zh", _ZH_LEAD + "一批中国投资者近日考察了突厥斯坦州的工业园区。", "Chinese investors"),
    ]
    for language, text, en in cases:
        six = [c for c in _cands(text, language) if c.kind == "group"]
        assert [(c.en, c.country) for c in six] == [(en, "CN")], (language, six)
        assert not [c for c in _cands(text, language, 5) if c.kind == "group"], language


def test_a_group_talked_about_with_no_event_or_project_is_not_read() -> None:
    assert not [c for c in _cands("The experience of Chinese companies is worth studying, economists say.", "en")
                if c.kind == "group"]


# ------------------------------------------------------------------ two names joined by "and"


def test_two_firms_joined_by_and_before_a_country_are_two_candidates() -> None:
    text = "Kazakh Invest and China's Moonlake Power Corporation signed a memorandum on a wind farm."
    five = [c.name for c in _cands(text, "en", 5)]
    assert any(" and China" in n for n in five)  # set 5 reads one name across "and"
    six = _named(text, "en")
    assert "Moonlake Power Corporation" in six and six["Moonlake Power Corporation"].country == "CN"
    assert "Kazakh Invest" in six and six["Kazakh Invest"].country == "KZ"
    assert not any(" and " in n for n in six)


def test_a_body_whose_own_name_holds_and_stays_whole() -> None:
    text = "The Ministry of Industry and Infrastructure Development signed a deal with Moonlake Group."
    assert "Ministry of Industry and Infrastructure Development" in _named(text, "en")


def test_a_russian_body_run_into_the_next_name_by_i_is_dropped() -> None:
    text = ("Министерство промышленности и строительства РК и Китайская национальная инженерная "
            "корпорация подписали соглашение.")
    names = _named(text, "ru")
    assert "Министерство промышленности и строительства РК" in names
    assert not any(n.endswith("и Китайская") for n in names)


# ------------------------------------------------------------------ firms that only open like a country


def test_a_firm_whose_name_opens_like_kazakhstan_is_a_firm() -> None:
    text = "On Monday, Kazatomprom signed a supply contract with Moonlake Nuclear in Astana."
    assert "Kazatomprom" not in _named(text, "en", 5)  # set 5 read it as the country's name
    assert _named(text, "en")["Kazatomprom"].kind in ("company", "organization")


# ------------------------------------------------------------------ the gazetteer's further places


def test_further_spellings_of_places_are_read() -> None:
    text = _ZH_LEAD + "代表团访问了图尔克斯坦州，并考察了无锡的企业。"
    five = {c.en for c in _cands(text, "zh", 5)}
    six = {c.en for c in _cands(text, "zh")}
    assert {"Turkestan Region", "Wuxi"} <= six
    assert not {"Turkestan Region", "Wuxi"} & five


def test_a_place_that_is_also_a_surname_is_left_to_the_person_finders() -> None:
    text = "Аким области Ерлан Сатпаев встретился с делегацией компании Moonlake."
    people = [c for c in _cands(text, "ru") if c.kind == "person"]
    assert [c.en for c in people] == ["Yerlan Satpayev"] or [c.name for c in people] == ["Ерлан Сатпаев"]
    assert not [c for c in _cands(text, "ru") if c.kind == "city"]


# ------------------------------------------------------------------ Chinese firms and foreign names


def test_a_chinese_firm_is_one_candidate_with_and_without_its_country_and_english_by_its_words() -> None:
    text = _ZH_LEAD + "中国日升农业集团与阿克莫拉州签署了投资协议。日升农业集团将投资建设一座工厂。"
    firms = [c for c in _cands(text, "zh") if c.kind == "company"]
    assert len(firms) == 1
    assert firms[0].en == "China Risheng Agriculture Group"
    assert len(firms[0].spans) == 2
    assert len([c for c in _cands(text, "zh", 5) if c.kind == "company"]) == 2


def test_a_foreign_name_in_chinese_characters_ends_before_the_verb() -> None:
    text = _ZH_LEAD + "日升集团总经理李明与哈萨克斯坦国家石油公司总裁阿斯卡尔·马梅金进行了会谈。"
    people = {c.name for c in _cands(text, "zh") if c.kind == "person"}
    assert "阿斯卡尔·马梅金" in people
    assert not any(n.endswith("进行") for n in people)


def test_a_given_name_joined_by_a_dash_is_part_of_the_name() -> None:
    text = _ZH_LEAD + "哈萨克斯坦副总理叶尔兰-阿斯哈尔·努尔别科夫出席了签约仪式。"
    people = [c for c in _cands(text, "zh") if c.kind == "person"]
    assert [c.name for c in people] == ["叶尔兰-阿斯哈尔·努尔别科夫"]
    assert people[0].en == "Yeerlan-Asihaer Nuerbiekefu"


# ------------------------------------------------------------------ bodies read whole with their place


def test_kazakh_bodies_with_words_between_the_place_and_the_head() -> None:
    text = ("Келіссөздер нәтижесінде Қарағанды облысының өнеркәсіп және индустриялық-инновациялық даму "
            "басқармасы мен Шэньчжэнь қаласының Сауда басқармасы арасында меморандумға қол қойылды.")
    bodies = {c.name: c for c in _cands(text, "kk") if c.kind == "government"}
    kz = bodies["Қарағанды облысының өнеркәсіп және индустриялық-инновациялық даму басқармасы"]
    assert (kz.en, kz.country) == ("Department of Industry and Industrial-Innovative Development of Karaganda Region", "KZ")
    cn = bodies["Шэньчжэнь қаласының Сауда басқармасы"]
    assert (cn.en, cn.country) == ("Department of Commerce of Shenzhen", "CN")
    # the places inside stay candidates of their own
    assert {"Karaganda Region", "Shenzhen"} <= {c.en for c in _cands(text, "kk")}


def test_a_kazakh_head_word_never_takes_a_place_after_it() -> None:
    text = "Облыстың кәсіпкерлік басқармасының басшысы Ерлан Қасымов Қытайдың делегациясымен кездесті."
    assert any("басшысы" in c.name for c in _cands(text, "kk", 5) if c.kind == "government")
    assert not any("басшысы" in c.name for c in _cands(text, "kk") if c.kind == "government")


def test_a_kazakh_body_named_after_its_country() -> None:
    text = "Қытай мемлекеттік электр желісі корпорациясы Павлодар облысында қосалқы станция салады."
    c = _named(text, "kk")["Қытай мемлекеттік электр желісі корпорациясы"]
    assert (c.kind, c.en, c.country) == ("company", "China State Electric Grid Corporation", "CN")


def test_a_russian_body_with_its_words_before_its_place() -> None:
    text = ("Управление предпринимательства и индустриально-инновационного развития Карагандинской "
            "области подписало меморандум с Бюро коммерции города Шэньчжэнь.")
    names = _named(text, "ru")
    kz = names["Управление предпринимательства и индустриально-инновационного развития Карагандинской области"]
    assert (kz.kind, kz.en, kz.country) == ("government", "Department of Karaganda Region", "KZ")
    cn = names["Бюро коммерции города Шэньчжэнь"]
    assert (cn.kind, cn.en, cn.country) == ("government", "Bureau of Shenzhen", "CN")
    # the same body without its place is not a second candidate
    assert "Управление предпринимательства и индустриально-инновационного развития" not in names
