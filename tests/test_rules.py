"""Each rule of the choose method, on invented articles: what it does, and that without it the
record is different (the ablation the eval runs on the dev set, in miniature)."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.analyse import Analysis, analyse
from pipeline.analyse.features import read_candidate
from pipeline.analyse.model import Candidate
from pipeline.ingest.articles import Article
from pipeline.methods.choose.assemble import assemble
from pipeline.methods.choose.rules import RULE_NAMES

TEXT = ("Аким Жамбылской области Ерлан Сеитов встретился в городе Сиань с председателем компании Shaanxi Tianrui "
        "Chemical Чэнь Лином. По итогам встречи подписан меморандум о строительстве завода удобрений стоимостью "
        "80 млн долларов США. В переговорах участвовал аналитик Марат Оспанов.")


def _analysis(text: str = TEXT, published: str | None = "2026-03-12") -> Analysis:
    return analyse(Article(id="t", text=text, published=published, language="ru"))


def _id(a: Analysis, en: str) -> int:
    return next(c.id for c in a.candidates if c.en == en or c.name == en)


def _event(a: Analysis, **kw: Any) -> dict[str, Any]:
    ev = {"sentences": [1, 2], "type": "meeting", "kz": [], "cn": [], "amounts": [], "document": "none",
          "status": "none"}
    ev.update(kw)
    return ev


def _run(a: Analysis, events: list[dict[str, Any]], without: tuple[str, ...] = ()) -> tuple[list[dict[str, Any]],
                                                                                               list[dict[str, str]]]:
    return assemble({"events": events}, a, without)


def _names(ev: dict[str, Any], side: str) -> set[str]:
    return {p["name_en"] for p in ev[side]}


def test_every_rule_is_named_once_and_has_a_test_here() -> None:
    assert len(set(RULE_NAMES)) == len(RULE_NAMES)
    source = open(__file__, encoding="utf-8").read()
    untested = [r for r in RULE_NAMES if f'"{r}"' not in source]
    assert not untested, f"rules without a test: {untested}"


def test_quoted_parties() -> None:
    a = _analysis("Аким Жамбылской области Ерлан Сеитов провёл переговоры с группой инвесторов из Китая. "
                  "Обсуждено строительство завода.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[], cn_words=["группой инвесторов из Китая"])
    events, checks = _run(a, [ev])
    assert _names(events[0], "cn_parties") == {"Chinese investors"}
    assert any(c["rule"] == "quoted_parties" and c["party"] for c in checks)
    assert _run(a, [ev], ("quoted_parties",))[0] == []  # then it has no China side


def test_kinds_in_slots() -> None:
    a = _analysis()
    amount = _id(a, "80,000,000 USD")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical"), amount])
    events, checks = _run(a, [ev])
    assert "80 млн долларов США" not in {p["name"] for p in events[0]["cn_parties"]}
    assert any(c["rule"] == "kinds_in_slots" for c in checks)
    events, _ = _run(a, [ev], ("kinds_in_slots",))
    assert "80 млн долларов США" in {p["name"] for p in events[0]["cn_parties"]}


def test_outlets_not_parties() -> None:
    a = _analysis(TEXT + " Об этом сообщает портал Stepnews.kz.")
    outlet = _id(a, "Stepnews.kz")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical"), outlet])
    assert "Stepnews.kz" not in _names(_run(a, [ev])[0][0], "cn_parties")
    assert "Stepnews.kz" in _names(_run(a, [ev], ("outlets_not_parties",))[0][0], "cn_parties")


def test_country_decides_side() -> None:
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region"), _id(a, "Chen Ling")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, _ = _run(a, [ev])
    assert "Chen Ling" in _names(events[0], "cn_parties") and "Chen Ling" not in _names(events[0], "kz_parties")
    events, _ = _run(a, [ev], ("country_decides_side",))
    assert "Chen Ling" in _names(events[0], "kz_parties")


def test_china_side_people_have_chinese_names() -> None:
    a = _analysis()
    ev = _event(a, sentences=[1, 3], kz=[_id(a, "Jambyl Region")],
                cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Марат Оспанов")])
    events, _ = _run(a, [ev])
    assert "Marat Ospanov" not in _names(events[0], "cn_parties")
    events, _ = _run(a, [ev], ("china_side_people_have_chinese_names",))
    assert "Marat Ospanov" in _names(events[0], "cn_parties")


def test_needs_kazakhstan_and_china() -> None:
    a = _analysis("Губернатор провинции Хэнань Ли Мин встретился в Ташкенте с хокимом Ферганской области. "
                  "Стороны подписали меморандум.")
    ev = _event(a, kz=[_id(a, "Li Ming")], cn=[_id(a, "Henan Province")])
    assert _run(a, [ev])[0] == []
    assert _run(a, [ev], ("needs_kazakhstan_and_china", "needs_both_sides", "country_decides_side"))[0] != []


def test_empty_side_from_places() -> None:
    a = _analysis()
    ev = _event(a, cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, _ = _run(a, [ev])
    assert "Jambyl Region" in _names(events[0], "kz_parties")
    assert _run(a, [ev], ("empty_side_from_places",))[0] == []  # then it has no Kazakhstan side


def test_empty_side_from_places_china_side_takes_a_province_not_a_city() -> None:
    # a Chinese city the sentences name is where a route ends, not the China side's party
    a = _analysis("Акимат Павлодарской области объявил о запуске контейнерного поезда до города Ляньюньган. "
                  "Первый состав отправится в мае.")
    ev = _event(a, type="project", kz=[_id(a, "Pavlodar Region")], cn=[])
    assert _run(a, [ev])[0] == []
    # a province stands for the China side, as a Kazakhstan region does for its own
    a = _analysis("Акимат Павлодарской области и провинция Хэнань объявили о запуске завода. "
                  "Первый цех откроется в мае.")
    ev = _event(a, type="project", kz=[_id(a, "Pavlodar Region")], cn=[])
    events, _ = _run(a, [ev])
    assert _names(events[0], "cn_parties") == {"Henan Province"}


def test_signing_next_to_its_event() -> None:
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с делегацией провинции Хэнань. "
                  "Стороны обсудили поставки зерна. "
                  "В ходе встречи стороны подписали три меморандума о сотрудничестве.")
    ev = _event(a, sentences=[1, 2], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Henan Province")])
    events, checks = _run(a, [ev])
    assert events[0]["type"] == "signing" and events[0]["agreements"][0]["kind"] == "memorandum"
    assert any(c["rule"] == "signing_next_to_its_event" for c in checks)
    assert _run(a, [ev], ("signing_next_to_its_event",))[0][0]["type"] == "meeting"
    # a signing sentence with no meeting word, or one told as background, stays out
    for last in ("Ранее стороны подписали три меморандума о сотрудничестве.",
                 "Компания подписала три меморандума с банком."):
        a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с делегацией провинции Хэнань. "
                      "Стороны обсудили поставки зерна. " + last)
        ev = _event(a, sentences=[1, 2], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Henan Province")])
        assert _run(a, [ev])[0][0]["type"] == "meeting"


def test_region_bodies_one_party() -> None:
    a = _analysis("Акимат Павлодарской области и народное правительство провинции Хэнань подписали меморандум. "
                  "Аким Павлодарской области Асхат Ахметов встретился с делегацией провинции Хэнань.")
    ev = _event(a, type="signing", document="memorandum",
                kz=[_id(a, "Pavlodar Region Akimat"), _id(a, "Pavlodar Region"), _id(a, "Askhat Akhmetov")],
                cn=[_id(a, "Government of Henan Province"), _id(a, "Henan Province")])
    events, checks = _run(a, [ev])
    assert _names(events[0], "kz_parties") == {"Pavlodar Region", "Askhat Akhmetov"}
    assert _names(events[0], "cn_parties") == {"Henan Province"}
    assert any(c["rule"] == "region_bodies_one_party" for c in checks)
    events, _ = _run(a, [ev], ("region_bodies_one_party",))
    assert "Pavlodar Region Akimat" in _names(events[0], "kz_parties")
    # the body alone stands for its side
    ev = _event(a, type="signing", document="memorandum", kz=[_id(a, "Pavlodar Region Akimat")],
                cn=[_id(a, "Government of Henan Province")])
    events, _ = _run(a, [ev])
    assert _names(events[0], "cn_parties") == {"Government of Henan Province"}


def test_region_bodies_one_party_a_delegation_is_its_region() -> None:
    text = "河南省代表团访问巴甫洛达尔州，与州长阿斯哈特·艾哈迈托夫举行会谈。双方表示，河南省愿与巴甫洛达尔州加强合作。"
    a = analyse(Article(id="t", text=text, published="2026-03-12", language="zh"), finders=5)
    ev = _event(a, sentences=[1, 2], kz=[_id(a, "Pavlodar Region")], cn=[_id(a, "Delegation of Henan Province")])
    events, _ = _run(a, [ev])
    assert _names(events[0], "cn_parties") == {"Henan Province"}
    events, _ = _run(a, [ev], ("region_bodies_one_party",))
    assert _names(events[0], "cn_parties") == {"Delegation of Henan Province"}


def test_place_of_the_visit() -> None:
    a = _analysis("Делегация Павлодарской области прибыла с рабочим визитом в Китай. "
                  "В городе Урумчи прошёл бизнес-форум с участием делегации. "
                  "Аким области Асхат Ахметов провёл переговоры с председателем компании Sunrise Motors Ли Мином. "
                  "Стороны обсудили поставки техники.")
    ev = _event(a, sentences=[3, 4], kz=[_id(a, "Pavlodar Region")], cn=[_id(a, "Sunrise Motors")])
    events, checks = _run(a, [ev])
    assert events[0]["location"] == {"place": "Urumqi", "country": "CN"}
    assert any(c["rule"] == "place_of_the_visit" for c in checks)
    assert _run(a, [ev], ("place_of_the_visit",))[0][0]["location"]["place"] is None
    # an event its own sentences place elsewhere keeps its place
    b = _analysis("В городе Урумчи прошёл бизнес-форум с участием делегации Павлодарской области. "
                  "Делегация провела переговоры. "
                  "В Павлодаре аким области Асхат Ахметов встретился с председателем компании Sunrise Motors Ли Мином.")
    ev = _event(b, sentences=[3], kz=[_id(b, "Pavlodar Region")], cn=[_id(b, "Sunrise Motors")])
    assert _run(b, [ev])[0][0]["location"]["place"] == "Pavlodar"


def test_date_of_the_visit() -> None:
    text = ("5 марта делегация Павлодарской области прибыла в Урумчи. "
            "В городе Урумчи прошёл бизнес-форум с участием делегации. "
            "Аким области Асхат Ахметов провёл переговоры с председателем компании Sunrise Motors Ли Мином. "
            "Стороны обсудили поставки техники.")
    a = _analysis(text)
    ev = _event(a, sentences=[3, 4], kz=[_id(a, "Pavlodar Region")], cn=[_id(a, "Sunrise Motors")])
    events, checks = _run(a, [ev])
    assert events[0]["date"] == "2026-03-05"
    assert any(c["rule"] == "date_of_the_visit" for c in checks)
    assert _run(a, [ev], ("date_of_the_visit",))[0][0]["date"] == "2026-03-12"  # the publication date
    # a year the lead names as background is no date of the visit
    b = _analysis(text.replace("5 марта делегация", "С 2018 года делегация"))
    ev = _event(b, sentences=[3, 4], kz=[_id(b, "Pavlodar Region")], cn=[_id(b, "Sunrise Motors")])
    assert _run(b, [ev])[0][0]["date"] == "2026-03-12"


def test_needs_both_sides() -> None:
    a = _analysis("Китайская компания Sunrise Motors откроет завод. Об этом сообщили в компании.")
    ev = _event(a, sentences=[1], cn=[_id(a, "Sunrise Motors")])
    assert _run(a, [ev])[0] == []
    assert len(_run(a, [ev], ("needs_both_sides", "needs_kazakhstan_and_china"))[0]) == 1


def test_people_in_event_sentences() -> None:
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, _ = _run(a, [ev])
    assert "Chen Ling" in _names(events[0], "cn_parties") and "Yerlan Seitov" in _names(events[0], "kz_parties")
    events, _ = _run(a, [ev], ("people_in_event_sentences",))
    assert "Chen Ling" not in _names(events[0], "cn_parties")


def test_described_meeting_not_project() -> None:
    a = _analysis("Аким Жамбылской области провёл встречу с китайской компанией Sunrise Motors о строительстве завода.")
    ev = _event(a, sentences=[1], type="project", kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Sunrise Motors")])
    assert _run(a, [ev])[0][0]["type"] == "meeting"
    assert _run(a, [ev], ("described_meeting_not_project", "project_needs_news"))[0][0]["type"] == "project"


def test_the_past_is_background_for_the_type_rules() -> None:
    a = _analysis("В Жамбылской области заложили завод китайской компании Sunrise Motors. Строительство началось "
                  "по меморандуму, подписанному ранее на встрече акима с инвестором.")
    ev = _event(a, sentences=[1, 2], type="project", kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Sunrise Motors")])
    assert _run(a, [ev])[0][0]["type"] == "project"
    a = _analysis("В Жамбылской области заложили завод китайской компании Sunrise Motors. Строительство началось "
                  "по меморандуму, подписанному на встрече акима с инвестором.")
    ev = _event(a, sentences=[1, 2], type="project", kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Sunrise Motors")])
    assert _run(a, [ev])[0][0]["type"] == "signing"


def test_same_occasion_merged() -> None:
    a = _analysis()
    sides = {"kz": [_id(a, "Jambyl Region")], "cn": [_id(a, "Shaanxi Tianrui Chemical")]}
    evs = [_event(a, sentences=[1], **sides), _event(a, sentences=[2], type="signing", document="memorandum", **sides)]
    events, _ = _run(a, evs)
    assert len(events) == 1 and events[0]["type"] == "signing"
    assert len(_run(a, evs, ("same_occasion_merged",))[0]) == 2
    # the same kind of event with a party of each side in common, told in different sentences
    evs = [_event(a, sentences=[1], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")]),
           _event(a, sentences=[3], kz=[_id(a, "Jambyl Region"), _id(a, "Marat Ospanov")],
                  cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Chen Ling")])]
    assert len(_run(a, evs)[0]) == 1
    assert len(_run(a, [evs[0], {**evs[1], "type": "signing"}])[0]) == 2
    # two events with no party on either side have no parties in common (two items of a long page)
    empty = [_event(a, sentences=[1], type="project"), _event(a, sentences=[3], type="project")]
    keep = ("needs_both_sides", "empty_side_from_places", "people_in_event_sentences", "project_needs_news",
            "country_decides_side", "china_side_settled")
    assert len(_run(a, empty, keep)[0]) == 2


def test_trade_figures_not_projects() -> None:
    a = _analysis(TEXT + " Товарооборот региона с Китаем достиг 300 млн долларов США.")
    ev = _event(a, sentences=[1, 2, 4], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")],
                amounts=[_id(a, "80,000,000 USD"), _id(a, "300,000,000 USD")])
    values = {p["value"]["amount"] for p in _run(a, [ev])[0][0]["projects"]}
    assert values == {80_000_000}
    values = {p["value"]["amount"] for p in _run(a, [ev], ("trade_figures_not_projects",))[0][0]["projects"]}
    assert values == {80_000_000, 300_000_000}


def test_signed_document_makes_signing() -> None:
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, _ = _run(a, [ev])
    assert events[0]["type"] == "signing" and events[0]["agreements"][0]["kind"] == "memorandum"
    events, _ = _run(a, [ev], ("signed_document_makes_signing",))
    assert events[0]["type"] == "meeting" and events[0]["agreements"] == []
    # sentences with no signing keep the model's type (the signing next to them left out)
    ev = _event(a, sentences=[1], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev], ("signing_next_to_its_event",))[0][0]["type"] == "meeting"
    # a signing still to come is no signing
    for to_come in ("Стороны приступили к подготовке документов для подписания меморандума",
                    "Меморандум о строительстве завода будет подписан в мае"):
        b = _analysis(TEXT.replace("По итогам встречи подписан меморандум о строительстве завода", to_come))
        ev = _event(b, kz=[_id(b, "Jambyl Region")], cn=[_id(b, "Shaanxi Tianrui Chemical")])
        assert _run(b, [ev])[0][0]["type"] == "meeting", to_come


def test_date_of_event() -> None:
    a = _analysis(TEXT.replace("По итогам встречи", "12 марта по итогам встречи"), published="2026-03-14")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev])[0][0]["date"] == "2026-03-12"
    assert _run(a, [ev], ("date_of_event",))[0][0]["date"] is None


def test_place_of_event() -> None:
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev])[0][0]["location"] == {"place": "Xi'an", "country": "CN"}
    assert _run(a, [ev], ("place_of_event", "place_of_the_visit"))[0][0]["location"] == {"place": None, "country": None}


def test_place_of_event_leaves_a_planned_visit_out() -> None:
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с председателем компании Shaanxi Tianrui "
                  "Chemical Чэнь Лином. Стороны обсудили предстоящий визит в Китай.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev])[0][0]["location"] == {"place": None, "country": None}
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился в Китае с председателем компании Shaanxi "
                  "Tianrui Chemical Чэнь Лином. Стороны обсудили поставки.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev])[0][0]["location"] == {"place": None, "country": "CN"}


VISIT = ("Делегация компании Shaanxi Tianrui Chemical прибыла в Жамбылскую область. Аким области Ерлан Сеитов "
         "провел переговоры с председателем компании Чэнь Лином.")


def test_visited_place() -> None:
    a = _analysis(VISIT)
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, checks = _run(a, [ev])
    assert events[0]["location"] == {"place": "Jambyl Region", "country": "KZ"}
    assert any(c["rule"] == "visited_place" for c in checks)
    assert _run(a, [ev], ("visited_place",))[0][0]["location"] == {"place": None, "country": None}


def test_visited_place_in_kazakh() -> None:
    a = _analysis("Жамбыл облысына Шэньси провинциясынан делегация келді. Тараптар ынтымақтастықты талқылады.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Province")])
    assert _run(a, [ev])[0][0]["location"] == {"place": "Jambyl Region", "country": "KZ"}
    assert _run(a, [ev], ("visited_place",))[0][0]["location"]["place"] is None


@pytest.mark.parametrize("text, rule", [
    ("В Жамбылской области состоялась встреча акима Ерлана Сеитова с председателем компании "
     "Shaanxi Tianrui Chemical Чэнь Лином. Стороны обсудили поставки.", "region_of_event"),
    ("Аким Жамбылской области Ерлан Сеитов принял председателя компании Shaanxi Tianrui Chemical "
     "Чэнь Лина. Стороны обсудили поставки.", "host_region"),
])
def test_the_region_named_or_hosting_is_where_the_event_was(text: str, rule: str) -> None:
    a = _analysis(text)
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev])[0][0]["location"] == {"place": "Jambyl Region", "country": "KZ"}
    assert _run(a, [ev], (rule,))[0][0]["location"] == {"place": None, "country": None}


def test_host_region_a_city_hosting() -> None:
    a = _analysis("Аким Тараза Ерлан Сеитов принял председателя компании Shaanxi Tianrui Chemical Чэнь Лина. "
                  "Стороны обсудили поставки.")
    city = next(c for c in a.candidates if c.kind == "city")
    ev = _event(a, kz=[city.id, _id(a, "Erlan Seitov")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev])[0][0]["location"] == {"place": "Taraz", "country": "KZ"}
    assert _run(a, [ev], ("host_region",))[0][0]["location"]["place"] is None

def test_a_plant_to_be_built_in_the_region_is_not_where_the_talks_were() -> None:
    a = _analysis("В Жамбылской области построят завод. Аким Ерлан Сеитов встретился с председателем компании "
                  "Shaanxi Tianrui Chemical Чэнь Лином.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert _run(a, [ev])[0][0]["location"]["place"] is None


def test_sectors_of_event() -> None:
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert "chemicals" in _run(a, [ev])[0][0]["sectors"]
    assert _run(a, [ev], ("sectors_of_event",))[0][0]["sectors"] == []


def test_projects_of_event() -> None:
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")],
                amounts=[_id(a, "80,000,000 USD")], status="agreed")
    project = _run(a, [ev])[0][0]["projects"][0]
    assert project["description"] == "plant" and project["value"]["amount"] == 80_000_000
    assert project["location"] == "Jambyl Region" and project["status"] == "agreed"
    assert _run(a, [ev], ("projects_of_event",))[0][0]["projects"] == []


def test_person_names_in_english() -> None:
    a = _analysis("Аким Жамбылской области Ерболат Исабаев провёл переговоры с председателем компании Shaanxi "
                  "Tianrui Chemical Чэнь Лином. Встреча прошла у Марата ЖУМАБАЕВА.")
    ev = _event(a, sentences=[1], kz=[_id(a, "Erbolat Isabaev")],
                cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Chen Ling")])
    events, checks = _run(a, [ev])
    assert "Yerbolat Isabayev" in _names(events[0], "kz_parties")
    assert "Chen Ling" in _names(events[0], "cn_parties")  # a Chinese name keeps its pinyin
    ev = _event(a, kz=[_id(a, "Marat ZhUMABAEVA")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    assert "Marat Zhumabayev" in _names(_run(a, [ev])[0][0], "kz_parties")
    assert "Erbolat Isabaev" in _names(_run(a, [ev], ("person_names_in_english",))[0][0], "kz_parties")


def test_a_mans_surname_agrees_with_his_given_name() -> None:
    from pipeline.analyse.finders import masculine_agreed

    assert masculine_agreed("Марат Султанова", "Марата Султанова") == "Марат Султанов"
    assert masculine_agreed("Гульмира Султанова", "Гульмира Султанова") == "Гульмира Султанова"
    assert masculine_agreed("Нурымбетом Сактаганов", "Нурымбетом Сактагановым") == "Нурымбет Сактаганов"


def test_company_names_canonical() -> None:
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с председателем компании Shaanxi Tianrui "
                  "Chemical Company Чэнь Лином. Подписан меморандум.")
    firm = next(c for c in a.candidates if c.kind == "company")
    assert firm.en.endswith("Company"), firm
    ev = _event(a, sentences=[1, 2], type="signing", document="memorandum", kz=[_id(a, "Jambyl Region")],
                cn=[firm.id])
    events, checks = _run(a, [ev])
    assert "Shaanxi Tianrui Chemical" in _names(events[0], "cn_parties")
    assert any(c["rule"] == "company_names_canonical" for c in checks)
    assert firm.en in _names(_run(a, [ev], ("company_names_canonical",))[0][0], "cn_parties")


def test_person_names_in_english_the_usual_kazakh_spelling() -> None:
    a = _analysis("Аким Жамбылской области Кайрат Айтмухамбетов провёл переговоры с председателем компании "
                  "Shaanxi Tianrui Chemical Чэнь Лином.")
    ev = _event(a, sentences=[1], kz=[_id(a, "Kayrat Aytmukhambetov")],
                cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Chen Ling")])
    assert "Kairat Aitmukhambetov" in _names(_run(a, [ev])[0][0], "kz_parties")
    assert "Kayrat Aytmukhambetov" in _names(_run(a, [ev], ("person_names_in_english",))[0][0], "kz_parties")


def test_one_group_per_side() -> None:
    a = analyse(Article(id="t", text="Аким Жамбылской области Ерлан Сеитов встретился с китайскими "
                        "предпринимателями. На встрече были представители китайских компаний.",
                        published="2026-03-12", language="ru"), finders=5)
    groups = [c for c in a.candidates if c.kind == "group"]
    assert len(groups) == 2, groups
    ev = _event(a, sentences=[1, 2], kz=[_id(a, "Jambyl Region")], cn=[g.id for g in groups])
    events, checks = _run(a, [ev])
    assert _names(events[0], "cn_parties") == {"Representatives of Chinese companies"}
    assert any(c["rule"] == "one_group_per_side" for c in checks)
    assert len(_run(a, [ev], ("one_group_per_side",))[0][0]["cn_parties"]) == 2


def test_parties_per_side() -> None:
    from pipeline.methods.choose.rules import PARTIES_PER_SIDE
    a = _analysis("Аким Жамбылской области Ерлан Сеитов, аким Павлодарской области Асхат Ахметов, аким Костанайской "
                  "области Марат Жунусов и аким Туркестанской области Дархан Сатыбалды встретились с председателем "
                  "компании Shaanxi Tianrui Chemical Чэнь Лином.")
    kz = [c.id for c in a.candidates if c.country == "KZ" and c.kind in ("region", "person")]
    assert len(kz) > PARTIES_PER_SIDE, kz
    ev = _event(a, sentences=[1], kz=kz, cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Chen Ling")])
    events, checks = _run(a, [ev])
    assert len(events[0]["kz_parties"]) == PARTIES_PER_SIDE
    assert any(c["rule"] == "parties_per_side" for c in checks)
    assert len(_run(a, [ev], ("parties_per_side",))[0][0]["kz_parties"]) > PARTIES_PER_SIDE


def test_agreement_of_event() -> None:
    a = _analysis()
    ev = _event(a, type="signing", kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")],
                document="memorandum")
    agreement = _run(a, [ev])[0][0]["agreements"][0]
    assert agreement["kind"] == "memorandum"
    assert set(agreement["parties"]) == {"Jambyl Region", "Shaanxi Tianrui Chemical"}
    assert _run(a, [ev], ("agreement_of_event",))[0][0]["agreements"] == []


def test_numbers_that_name_nothing_are_left_out_and_said() -> None:
    a = _analysis()
    ev = _event(a, sentences=[1, 99], kz=[_id(a, "Jambyl Region"), 77], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, checks = _run(a, [ev], ("signing_next_to_its_event",))
    assert len(events) == 1 and events[0]["evidence"] == [a.sentences[0].text]
    assert checks[0]["rule"] == "unknown_numbers" and "99" in checks[0]["reason"] and "77" in checks[0]["reason"]


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_every_change_is_recorded_with_rule_target_and_reason(rule: str) -> None:
    a = _analysis()
    ev = _event(a, type="project", kz=[_id(a, "Chen Ling")], cn=[_id(a, "Shaanxi Tianrui Chemical")],
                amounts=[_id(a, "80,000,000 USD")], document="memorandum", status="agreed")
    _, checks = _run(a, [ev])
    assert all(set(c) == {"rule", "target", "reason"} and c["reason"] for c in checks)


def test_a_long_answer_is_cut_to_the_schema_limits() -> None:
    from pipeline.methods.choose.assemble import MAX_EVIDENCE
    from pipeline.schema import load_schema

    text = " ".join(f"Аким Жамбылской области встретился с китайской компанией Sunrise Motors {i}." for i in range(12))
    a = _analysis(text)
    ev = _event(a, sentences=list(range(1, 13)), kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Sunrise Motors")])
    events, checks = _run(a, [ev])
    assert len(events[0]["evidence"]) == MAX_EVIDENCE
    assert any(c["rule"] == "schema_limits" for c in checks)
    record = {"article_id": "t", "language": "ru", "published": None, "events": events}
    assert load_schema("record.v1").errors(record) == []


def test_venue_city_not_party_once_the_sides_are_settled() -> None:
    # the model put the venue alone on the China side and the Chinese company on the other: the company
    # moves over (country_decides_side), and then the venue leaves its side
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region"), _id(a, "Shaanxi Tianrui Chemical")], cn=[_id(a, "Xi'an")])
    events = _run(a, [ev])[0]
    assert "Xi'an" not in _names(events[0], "cn_parties") and "Shaanxi Tianrui Chemical" in _names(events[0], "cn_parties")
    assert "Xi'an" in _names(_run(a, [ev], ("venue_city_not_party",))[0][0], "cn_parties")


def test_venue_city_not_party() -> None:
    a = _analysis()
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Xi'an")])
    events, checks = _run(a, [ev])
    assert "Xi'an" not in _names(events[0], "cn_parties")
    assert any(c["rule"] == "venue_city_not_party" for c in checks)
    assert "Xi'an" in _names(_run(a, [ev], ("venue_city_not_party",))[0][0], "cn_parties")
    # the city alone stands for its side; a city named as a body ("мэр города X") is a party
    alone = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Xi'an")])
    assert "Xi'an" in _names(_run(a, [alone])[0][0], "cn_parties")
    b = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с мэром города Сиань Чэнь Лином и "
                  "председателем компании Shaanxi Tianrui Chemical.")
    ev = _event(b, sentences=[1], kz=[_id(b, "Jambyl Region")], cn=[_id(b, "Shaanxi Tianrui Chemical"), _id(b, "Xi'an")])
    assert "Xi'an" in _names(_run(b, [ev])[0][0], "cn_parties")


def test_background_events_dropped() -> None:
    a = _analysis(TEXT + " Напомним, ранее аким области встречался с делегацией компании Shaanxi Tianrui Chemical.")
    now = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    past = _event(a, sentences=[4], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical"),
                                                                     _id(a, "Chen Ling")])
    events, checks = _run(a, [now, past], ("same_occasion_merged",))
    assert len(events) == 1 and events[0]["evidence"][0].startswith("Аким Жамбылской")
    assert any(c["rule"] == "background_events_dropped" for c in checks)
    assert len(_run(a, [now, past], ("same_occasion_merged", "background_events_dropped"))[0]) == 2


PLANT = ("Завод компании Shaanxi Tianrui Chemical в Жамбылской области выпускает удобрения. Директор завода "
         "Чэнь Лин рассказал о работе предприятия, где трудятся 300 человек.")


def test_project_needs_news() -> None:
    a = _analysis(PLANT)
    ev = _event(a, type="project", kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, checks = _run(a, [ev])
    assert events == [] and any(c["rule"] == "project_needs_news" for c in checks)
    assert len(_run(a, [ev], ("project_needs_news",))[0]) == 1
    # a plant that will be built, or whose first stone was laid, is news
    for news in ("Компания Shaanxi Tianrui Chemical построит завод удобрений в Жамбылской области.",
                 "В Жамбылской области заложили капсулу завода компании Shaanxi Tianrui Chemical."):
        b = _analysis(news)
        ev = _event(b, type="project", sentences=[1], kz=[_id(b, "Jambyl Region")],
                    cn=[_id(b, "Shaanxi Tianrui Chemical")])
        assert len(_run(b, [ev])[0]) == 1


def test_outlets_not_parties_by_a_news_name() -> None:
    # invented outlets: a name ending as news outlets' names do ("...inform", "... Daily")
    a = _analysis(TEXT + " На встрече присутствовали журналисты Stepinform и Steppe Daily.")
    ev = _event(a, kz=[_id(a, "Jambyl Region"), _id(a, "Stepinform")],
                cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Steppe Daily")])
    events = _run(a, [ev])[0]
    assert "Stepinform" not in _names(events[0], "kz_parties")
    assert "Steppe Daily" not in _names(events[0], "cn_parties")
    assert a.about(a.candidate(_id(a, "Steppe Daily"))).outlet
    assert "Stepinform" in _names(_run(a, [ev], ("outlets_not_parties",))[0][0], "kz_parties")


def test_many_countries_on_neither_side() -> None:
    # a body of many countries, its abbreviation, and one a finder took for a person's name
    text = ("The akim of Jambyl Region Yerlan Seitov met Chen Ling, chairman of Shaanxi Tianrui Chemical, in Xi'an "
            "and signed a memorandum on a fertiliser plant. The sides also praised the Shanghai Cooperation "
            "Organisation and the Organization of Turkic States (OTS).")
    a = analyse(Article(id="t", text=text, published="2026-03-12", language="en"))
    bodies = ["Shanghai Cooperation Organisation", "Organization of Turkic States", "OTS"]
    ev = _event(a, kz=[_id(a, "Chen Ling"), _id(a, "OTS")],
                cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, bodies[0]), _id(a, bodies[1])])
    events = _run(a, [ev])[0]
    assert not set(bodies) & (_names(events[0], "kz_parties") | _names(events[0], "cn_parties"))
    assert "Shaanxi Tianrui Chemical" in _names(events[0], "cn_parties")
    assert not a.about(a.candidate(_id(a, "Shaanxi Tianrui Chemical"))).many_countries
    kept = _run(a, [ev], ("many_countries_on_neither_side",))[0][0]
    assert set(bodies) <= _names(kept, "kz_parties") | _names(kept, "cn_parties")


def test_many_countries_read_in_each_language() -> None:
    for name in ("Шанхайской организации сотрудничества", "Түркі мемлекеттері ұйымы", "上海合作组织", "Бір белдеу, бір жол"):
        c = Candidate(1, "organization", name, "", None, ())
        assert read_candidate(c, name, ()).many_countries, name
    for name in ("Silk Road Fund", "Kazakh Invest", "China-Central Asia Cooperation Forum"):
        assert not read_candidate(Candidate(1, "organization", name, name, None, ()), name, ()).many_countries, name


def test_outlets_not_parties_press_service() -> None:
    a = _analysis(TEXT + " Об этом сообщила Tianrui Holding пресс-служба.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Tianrui Holding")])
    assert "Tianrui Holding" not in _names(_run(a, [ev])[0][0], "cn_parties")
    assert "Tianrui Holding" in _names(_run(a, [ev], ("outlets_not_parties",))[0][0], "cn_parties")


TWO_TALKS = ("Делегация Жамбылской области провела переговоры с компанией Shaanxi Tianrui Chemical. По итогам "
             "переговоров подписан меморандум о строительстве завода удобрений стоимостью 80 млн долларов США. "
             "Также делегация встретилась с представителями компаний Sunrise Motors и Henan Blue Sky Logistics.")


def test_amounts_bring_their_sentences() -> None:
    a = _analysis(TWO_TALKS)
    ev = _event(a, sentences=[1], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")],
                amounts=[_id(a, "80,000,000 USD")])
    events, checks = _run(a, [ev])
    assert events[0]["type"] == "signing" and len(events[0]["evidence"]) == 2
    assert any(c["rule"] == "amounts_bring_their_sentences" for c in checks)
    events, _ = _run(a, [ev], ("amounts_bring_their_sentences", "signing_next_to_its_event"))
    assert events[0]["type"] == "meeting" and len(events[0]["evidence"]) == 1


def test_sides_bring_their_sentences() -> None:
    a = _analysis("Аким Жамбылской области Ерлан Сеитов провёл переговоры в Пекине. Обсуждены поставки зерна. "
                  "В ходе визита Ерлан Сеитов и председатель компании Shaanxi Tianrui Chemical Чэнь Лин подписали "
                  "меморандум. Ранее Ерлан Сеитов и Чэнь Лин уже встречались.")
    ev = _event(a, sentences=[1, 2], kz=[_id(a, "Erlan Seitov")], cn=[_id(a, "Chen Ling")])
    events, checks = _run(a, [ev])
    assert events[0]["type"] == "signing" and len(events[0]["evidence"]) == 3  # the background sentence stays out
    assert any(c["rule"] == "sides_bring_their_sentences" for c in checks)
    events, _ = _run(a, [ev], ("sides_bring_their_sentences",))
    assert events[0]["type"] == "meeting" and len(events[0]["evidence"]) == 2


def test_people_take_their_body_side() -> None:
    # a Chinese company's representative whose name the analysis does not read as Chinese
    a = _analysis("Аким Жамбылской области Ерлан Сеитов принял представителей китайской компании Blue Harbor "
                  "Trading. Представитель компании Blue Harbor Trading Марк Стоун рассказал о проекте.")
    stone = _id(a, "Mark Stoun")  # no country of its own
    ev = _event(a, kz=[_id(a, "Jambyl Region"), stone], cn=[_id(a, "Blue Harbor Trading")])
    events, checks = _run(a, [ev])
    assert any(c["rule"] == "people_take_their_body_side" for c in checks)
    assert _names(events[0], "cn_parties") == {"Blue Harbor Trading", "Mark Stoun"}
    assert "Mark Stoun" not in _names(events[0], "kz_parties")
    events, _ = _run(a, [ev], ("people_take_their_body_side",))
    assert _names(events[0], "cn_parties") == {"Blue Harbor Trading"}
    assert "Mark Stoun" in _names(events[0], "kz_parties")


def test_signing_apart_from_other_talks() -> None:
    a = _analysis(TWO_TALKS)
    ev = _event(a, sentences=[1, 2, 3], kz=[_id(a, "Jambyl Region")],
                cn=[_id(a, "Shaanxi Tianrui Chemical"), _id(a, "Sunrise Motors"), _id(a, "Henan Blue Sky Logistics")])
    events, checks = _run(a, [ev])
    assert [e["type"] for e in events] == ["signing", "meeting"]
    assert "Xi'an" not in _names(events[0], "cn_parties") and "Shaanxi Tianrui Chemical" in _names(events[0], "cn_parties")
    assert _names(events[1], "cn_parties") == {"Sunrise Motors", "Henan Blue Sky Logistics"}
    assert _names(events[1], "kz_parties") == {"Jambyl Region"}
    assert any(c["rule"] == "signing_apart_from_other_talks" for c in checks)
    assert len(_run(a, [ev], ("signing_apart_from_other_talks",))[0]) == 1
    # every counterpart named where the signing is told: one occasion
    b = _analysis("Делегация Жамбылской области провела переговоры с компаниями Shaanxi Tianrui Chemical и "
                  "Sunrise Motors. По итогам переговоров подписаны меморандумы.")
    ev = _event(b, sentences=[1, 2], kz=[_id(b, "Jambyl Region")],
                cn=[_id(b, "Shaanxi Tianrui Chemical"), _id(b, "Sunrise Motors")])
    assert len(_run(b, [ev])[0]) == 1


def test_kazakh_host_apart_from_signing() -> None:
    # a city's akim signs with a Chinese mayor; later the same day the guest meets the region's akim
    a = _analysis("Меморандум о сотрудничестве подписали 3 марта аким Тараза Ерлан Сеитов и мэр города Сиань "
                  "Чэнь Лин. В тот же день гость встретился с акимом области Маратом Оспановым. "
                  "Стороны обсудили торговлю.")
    ev = _event(a, sentences=[1, 2, 3], kz=[_id(a, "Erlan Seitov"), _id(a, "Marat Ospanov")],
                cn=[_id(a, "Chen Ling")])
    events, checks = _run(a, [ev])
    assert [e["type"] for e in events] == ["signing", "meeting"]
    assert _names(events[0], "kz_parties") == {"Yerlan Seitov"}
    assert _names(events[1], "kz_parties") == {"Marat Ospanov"}
    assert _names(events[1], "cn_parties") == {"Chen Ling"}
    assert any(c["rule"] == "kazakh_host_apart_from_signing" for c in checks)
    assert len(_run(a, [ev], ("kazakh_host_apart_from_signing",))[0]) == 1
    # talks told before the signing led to it: one occasion
    b = _analysis("Аким области Марат Оспанов встретился с мэром города Сиань Чэнь Лином. Стороны обсудили торговлю. "
                  "Меморандум о сотрудничестве подписали аким Тараза Ерлан Сеитов и Чэнь Лин.")
    ev = _event(b, sentences=[1, 2, 3], kz=[_id(b, "Erlan Seitov"), _id(b, "Marat Ospanov")],
                cn=[_id(b, "Chen Ling")])
    assert len(_run(b, [ev])[0]) == 1


def test_china_side_settled() -> None:
    # a company the text never calls Chinese, with a Kazakh region: no China side yet
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с руководством компании Blue Harbor Trading. "
                  "Стороны подписали меморандум о поставках зерна. Товарооборот области с Китаем растёт.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Blue Harbor Trading")])
    events, checks = _run(a, [ev])
    assert events == [] and any(c["rule"] == "china_side_settled" for c in checks)
    assert len(_run(a, [ev], ("china_side_settled",))[0]) == 1
    # the same company called Chinese is the China side
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с руководством китайской компании Blue Harbor "
                  "Trading. Стороны подписали меморандум о поставках зерна.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Blue Harbor Trading")])
    assert len(_run(a, [ev])[0]) == 1
    # so is a person with a Chinese name
    ev = _event(a := _analysis(), kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Chen Ling")])
    assert len(_run(a, [ev])[0]) == 1
    # and a company met in China, called Chinese or not
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился в Шанхае с руководством компании Blue Harbor "
                  "Trading. Стороны подписали меморандум о поставках зерна.")
    ev = _event(a, kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Blue Harbor Trading")])
    assert len(_run(a, [ev])[0]) == 1


FIRM_TWICE = ("2026年3月12日，江布尔州州长会见了中国天瑞化工集团董事长陈林。双方就化肥生产合作交换了意见。"
              "会见后，江布尔州政府与天瑞化工集团签署了建设化肥厂的合作备忘录。")


def test_firm_with_its_country_one_party() -> None:
    # the firm is named with its country at the talks and without it at the signing: one counterpart,
    # so the talks are not split off the signing as a meeting with another firm
    a = analyse(Article(id="t", text=FIRM_TWICE, published="2026-03-12", language="zh"), 2, 5)
    full, bare = _id(a, "中国天瑞化工集团"), _id(a, "天瑞化工集团")
    assert a.about(a.candidate(full)).bare_name == "天瑞化工集团" and a.about(a.candidate(bare)).bare_name is None
    ev = _event(a, sentences=[1, 2, 3], type="signing", document="memorandum",
                kz=[_id(a, "江布尔州")], cn=[full, bare, _id(a, "陈林")])
    events, checks = _run(a, [ev])
    assert len(events) == 1 and events[0]["type"] == "signing"
    assert [p["name"] for p in events[0]["cn_parties"]].count("中国天瑞化工集团") == 1
    assert "天瑞化工集团" not in [p["name"] for p in events[0]["cn_parties"]]
    assert any(c["rule"] == "firm_with_its_country_one_party" for c in checks)
    split = _run(a, [ev], ("firm_with_its_country_one_party",))[0]
    assert len(split) == 2 and {e["type"] for e in split} == {"signing", "meeting"}


EXPO = ("12 марта в Сиане открылась выставка. Министр торговли Казахстана Ерлан Сеитов встретился с "
        "председателем компании Shaanxi Tianrui Chemical Чэнь Лином. Вице-министр Марат Оспанов также "
        "обсудил с Чэнь Лином поставки удобрений.")


def test_one_counterpart_one_occasion() -> None:
    # the model told one occasion once per Kazakhstan-side party, the city alone on the China side: one event
    a = _analysis(EXPO)
    xian = [_id(a, "Xi'an")]
    first = _event(a, sentences=[1, 2], kz=[_id(a, "Erlan Seitov")], cn=xian)
    second = _event(a, sentences=[3], kz=[_id(a, "Marat Ospanov")], cn=xian)
    events, checks = _run(a, [first, second])
    assert len(events) == 1 and {"Yerlan Seitov", "Marat Ospanov"} <= _names(events[0], "kz_parties")
    assert any(c["rule"] == "one_counterpart_one_occasion" for c in checks)
    assert len(_run(a, [first, second], ("one_counterpart_one_occasion",))[0]) == 2
    # a person or body on the China side is a counterpart: others meeting it may be other occasions
    chen = [_id(a, "Chen Ling")]
    met = [_event(a, sentences=[2], kz=[_id(a, "Erlan Seitov")], cn=chen),
           _event(a, sentences=[3], kz=[_id(a, "Marat Ospanov")], cn=chen)]
    assert len(_run(a, met)[0]) == 2
    # the same place on two stated days: two occasions
    b = _analysis(EXPO.replace("Министр", "12 марта министр").replace("Вице-министр", "13 марта вице-министр"),
                  published="2026-03-14")
    days = [_event(b, sentences=[2], kz=[_id(b, "Erlan Seitov")], cn=[_id(b, "Xi'an")]),
            _event(b, sentences=[3], kz=[_id(b, "Marat Ospanov")], cn=[_id(b, "Xi'an")])]
    assert len(_run(b, days)[0]) == 2


PIPELINE = ("On March 12 the akim of Jambyl Region, Yerlan Seitov, and Chen Ling, chairman of Shaanxi Tianrui "
            "Chemical, agreed to build a plant beside the Taraz-Shymkent highway.")


def test_routes_not_parties() -> None:
    # a route named by its ends is no party; a name with a country in it is a format, not a route
    a = analyse(Article(id="t", text=PIPELINE, published="2026-03-12", language="en"))
    route = _id(a, "Taraz-Shymkent")  # the finders read it as an organization
    assert a.about(a.candidate(route)).route and not a.about(a.candidate(_id(a, "Shaanxi Tianrui Chemical"))).route
    for name in ("Sino-Kazakh", "China-Central Asia", "Coca-Cola", "Khorgos-Eastern Gate"):
        assert not read_candidate(Candidate(1, "organization", name, name, None, ()), name, ()).route, name
    for name in ("Алматы — Үрімші", "Almaty-Urumqi"):
        assert read_candidate(Candidate(1, "organization", name, name, None, ()), name, ()).route, name
    ev = _event(a, sentences=[1], kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical"), route])
    events, checks = _run(a, [ev])
    assert "Taraz-Shymkent" not in _names(events[0], "cn_parties")
    assert any(c["rule"] == "routes_not_parties" for c in checks)
    assert "Taraz-Shymkent" in _names(_run(a, [ev], ("routes_not_parties",))[0][0], "cn_parties")


def test_routes_not_parties_route_ends() -> None:
    # two cities read apart with only a dash between them are a route's ends, not parties; a city
    # also named elsewhere, and two countries joined so ("Kazakhstan - China"), are not
    text = ("С 1 июня авиакомпания «Жетысу Авиа» откроет рейсы по направлению Алматы – Урумчи. Рейсы "
            "будут выполняться три раза в неделю. Компания также изучает возможность открытия рейса "
            "Шымкент — Пекин. Аким Алматы Ерлан Досаев посетил Урумчи в мае. Форум Казахстан – Китай пройдет осенью.")
    a = analyse(Article(id="t", text=text, published="2026-03-12", language="ru"), 2, 5)
    assert a.route_ends == {_id(a, "Shymkent"), _id(a, "Beijing")}
    ev = _event(a, sentences=[3], kz=[_id(a, "Shymkent")], cn=[_id(a, "Beijing")])
    events, checks = _run(a, [ev])
    assert events == []  # nor does an emptied side take the route's end back from the places
    assert any(c["rule"] == "routes_not_parties" and "route's end" in c["reason"] for c in checks)
    kept = _run(a, [ev], ("routes_not_parties",))[0]
    assert _names(kept[0], "kz_parties") == {"Shymkent"} and _names(kept[0], "cn_parties") == {"Beijing"}


HALVES = ("В Шымкенте прошел казахстанско-китайский бизнес-форум. Форум открыл аким Шымкента Габит "
          "Сыздыкбеков. С китайской стороны делегацию возглавил заместитель губернатора провинции Хэнань "
          "Чжан Лэй. Погода была солнечной. Участники посетили выставку. Вечером состоялся концерт. Компания "
          "Henan Feida Textile представила проекты.")


def test_halves_of_one_occasion() -> None:
    # one occasion told as a Kazakhstan-side half and a China-side half is one event
    a = _analysis(HALVES)
    kz = _event(a, type="forum", sentences=[1, 2], kz=[_id(a, "Gabit Syzdykbekov")])
    cn = _event(a, type="meeting", sentences=[3], cn=[_id(a, "Zhang Lei")])
    events, checks = _run(a, [kz, cn])
    assert len(events) == 1 and events[0]["type"] == "forum"
    assert _names(events[0], "kz_parties") >= {"Gabit Syzdykbekov"} and "Zhang Lei" in _names(events[0], "cn_parties")
    assert any(c["rule"] == "halves_of_one_occasion" for c in checks)
    assert _run(a, [kz, cn], ("halves_of_one_occasion",))[0] == []  # each half alone is no event
    # halves told far apart (more than HALVES_GAP sentences between) stay apart, and are dropped
    far = _event(a, type="meeting", sentences=[7], cn=[_id(a, "Henan Feida Textile")])
    assert _run(a, [kz, far])[0] == []


def test_references_not_parties() -> None:
    # "由该集团" ("by the group") refers back to the group named before it: no party of its own
    text = ("哈萨克斯坦阿拉木图州光伏电站日前正式并网发电。该项目由中国远大能源集团承建，由该集团与哈萨克斯坦能源公司"
            "共同投资，总投资约5000万美元。阿拉木图州副州长出席仪式。")
    a = analyse(Article(id="t", text=text, published="2026-03-12", language="zh"), 2, 5)
    ref, firm = _id(a, "由该集团"), _id(a, "中国远大能源集团")
    assert a.about(a.candidate(ref)).reference and not a.about(a.candidate(firm)).reference
    for name in ("данная компания", "Бұл компания", "the company"):
        assert read_candidate(Candidate(1, "company", name, name, None, ()), name, ()).reference, name
    for name in ("本田集团", "The Company of Builders", "Эталон Групп"):
        assert not read_candidate(Candidate(1, "company", name, name, None, ()), name, ()).reference, name
    ev = _event(a, type="project", sentences=[1, 2], kz=[_id(a, "哈萨克斯坦能源公司")], cn=[ref, firm])
    events, checks = _run(a, [ev])
    assert {p["name"] for p in events[0]["cn_parties"]} == {"中国远大能源集团"}
    assert any(c["rule"] == "references_not_parties" for c in checks)
    assert "由该集团" in {p["name"] for p in _run(a, [ev], ("references_not_parties",))[0][0]["cn_parties"]}


def test_signing_needs_a_signature() -> None:
    # talks the model called a signing, with no document and no word of signing, are a meeting
    a = _analysis("Аким Жамбылской области Ерлан Сеитов встретился с председателем компании Shaanxi Tianrui "
                  "Chemical Чэнь Лином. Стороны обсудили строительство завода удобрений.")
    ev = _event(a, type="signing", kz=[_id(a, "Jambyl Region")], cn=[_id(a, "Shaanxi Tianrui Chemical")])
    events, checks = _run(a, [ev])
    assert events[0]["type"] == "meeting" and not events[0]["agreements"]
    assert any(c["rule"] == "signing_needs_a_signature" for c in checks)
    assert _run(a, [ev], ("signing_needs_a_signature",))[0][0]["type"] == "signing"
    # a signing its sentences tell stays one
    b = _analysis()
    signed = _event(b, type="signing", kz=[_id(b, "Jambyl Region")], cn=[_id(b, "Shaanxi Tianrui Chemical")])
    assert _run(b, [signed])[0][0]["type"] == "signing"
