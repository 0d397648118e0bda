"""China-side groups named only generically: found where a meeting was with them, and named in English."""

from __future__ import annotations

import pytest

from pipeline.analyse.groups import generic_groups


@pytest.mark.parametrize(("text", "written", "name_en"), [
    ("Вице-министр провёл переговоры с представителями крупных китайских энергетических компаний.",
     "представителями крупных китайских энергетических компаний", "Representatives of major Chinese energy companies"),
    ("Аким встретился с инвесторами из КНР.", "инвесторами из КНР", "Investors of the People's Republic of China"),
    ("Министр встретился с китайскими производителями удобрений.", "китайскими производителями",
     "Chinese manufacturers"),
    ("Облыс әкімі Қытайдың ірі инвесторларымен кездесті.", "Қытайдың ірі инвесторларымен", "Major Chinese investors"),
    ("Делегация қытайлық кәсіпорындардың өкілдерімен келіссөз жүргізді.", "қытайлық кәсіпорындардың өкілдерімен",
     "Representatives of Chinese enterprises"),
    ("The governor met representatives of Chinese manufacturers in Urumqi.",
     "representatives of Chinese manufacturers", "Representatives of Chinese manufacturers"),
    ("Talks were held with leading Chinese energy firms.", "leading Chinese energy firms",
     "Leading Chinese energy companies"),
    ("副州长会见了中国企业家代表。", "中国企业家代表", "Representatives of Chinese entrepreneurs"),
])
def test_a_group_a_meeting_was_with(text: str, written: str, name_en: str) -> None:
    (group,) = generic_groups(text)
    assert group.written == written and group.name_en == name_en
    assert group.written in text


@pytest.mark.parametrize("text", [
    "Эксперты отметили опыт китайских компаний в строительстве дорог.",
    "Китайские компании давно работают в регионе.",
    "Қытай компанияларының тәжірибесі жоғары бағаланды.",
    "Chinese companies have built three plants in the region.",
    "中国企业在该地区建设了三座工厂。",
    "Министр встретился с инвесторами из Турции.",
])
def test_chinese_companies_in_general_are_no_counterpart(text: str) -> None:
    assert generic_groups(text) == []
