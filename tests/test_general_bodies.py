"""The government-body reader of finder set 2 (pipeline/analyse/general_bodies.py), on invented sentences."""

from __future__ import annotations

import time

import pytest

from pipeline.analyse.finders import places
from pipeline.analyse.general_bodies import government_bodies


def _found(text: str, lang: str) -> dict[str, tuple[str, str | None, str]]:
    out = {}
    for f in government_bodies(text, lang, places(text)):
        assert text[f.start:f.end] == f.name  # exact offsets
        out[f.name] = (f.en, f.country, f.kind)
    return out


@pytest.mark.parametrize("lang,text,name,en,country", [
    ("en", "Staff of the Embassy of Kazakhstan in China welcomed Zorbek Trading.", "Embassy of Kazakhstan in China",
     "Embassy of Kazakhstan in China", "KZ"),
    ("en", "The Chinese government approved the plan of Velmar Steel.", "Chinese government", "Government of China", "CN"),
    ("en", "A deal with the Kazakh Ministry of Energy was signed by Orlin Power.", "Kazakh Ministry of Energy",
     "Ministry of Energy of Kazakhstan", "KZ"),
    ("en", "Kazakhstan's Consulate General in Urumqi hosted a fair.", "Kazakhstan's Consulate General in Urumqi",
     "Consulate General of Kazakhstan in Urumqi", "KZ"),
    ("en", "Officials of the Jiangsu provincial government visited.", "Jiangsu provincial government",
     "Government of Jiangsu Province", "CN"),
    ("ru", "Посольство Казахстана в Китае поддержало компанию «Белтаг».", "Посольство Казахстана в Китае",
     "Embassy of Kazakhstan in China", "KZ"),
    ("ru", "Договор подписали с Министерством энергетики РК и фирмой «Тамрис».", "Министерством энергетики РК",
     "Ministry of Energy of Kazakhstan", "KZ"),
    ("ru", "Его приветствовал МИД КНР.", "МИД КНР", "Ministry of Foreign Affairs of China", "CN"),
    ("ru", "Визит поддержало китайское министерство коммерции.", "китайское министерство коммерции",
     "Ministry of Commerce of China", "CN"),
    ("ru", "Генеральное консульство Казахстана в Урумчи провело встречу.", "Генеральное консульство Казахстана в Урумчи",
     "Consulate General of Kazakhstan in Urumqi", "KZ"),
    ("kk", "Қазақстанның Қытайдағы елшілігі қолдау көрсетті.", "Қазақстанның Қытайдағы елшілігі",
     "Embassy of Kazakhstan in China", "KZ"),
    ("kk", "Келісімге ҚР Энергетика министрлігі қол қойды.", "ҚР Энергетика министрлігі",
     "Ministry of Energy of Kazakhstan", "KZ"),
    ("kk", "Құжатты ҚХР Үкіметі мақұлдады.", "ҚХР Үкіметі", "Government of China", "CN"),
    ("zh", "会谈在哈萨克斯坦驻华大使馆举行。", "哈萨克斯坦驻华大使馆", "Embassy of Kazakhstan in China", "KZ"),
    ("zh", "中国驻阿拉木图总领事馆发布消息。", "中国驻阿拉木图总领事馆", "Consulate General of China in Almaty", "CN"),
    ("zh", "双方与中国商务部举行会谈。", "中国商务部", "Ministry of Commerce of China", "CN"),
    ("zh", "哈萨克斯坦外交部表示欢迎。", "哈萨克斯坦外交部", "Ministry of Foreign Affairs of Kazakhstan", "KZ"),
    ("zh", "江苏省商务厅组织企业参加。", "江苏省商务厅", "Department of Commerce of Jiangsu Province", "CN"),
])
def test_a_body_is_found_with_its_span_name_and_country(lang: str, text: str, name: str, en: str, country: str) -> None:
    found = _found(text, lang)
    assert name in found, found
    assert found[name] == (en, country, "government")


@pytest.mark.parametrize("lang,text", [
    ("en", "The ministry said the embassy would help; the government agreed."),  # which body is not said
    ("en", "The Minister of Foreign Affairs of China spoke."),  # a minister is a person's title, not a ministry
    ("ru", "Министерство сообщило, что посольство поможет."),
    ("kk", "Министрлік пен елшілік мәлімдеді."),
    ("zh", "该部表示，中国西北部的企业和大使馆将参加。"),  # "西北部" is a direction, not a ministry
])
def test_a_bare_body_word_is_not_a_candidate(lang: str, text: str) -> None:
    assert _found(text, lang) == {}


def test_the_span_does_not_swallow_neighbouring_words() -> None:
    text = "Yesterday the Kazakh Ministry of Energy and Orlin Power signed."
    (f,) = government_bodies(text, "en", places(text))
    assert (f.start, f.end) == (text.index("Kazakh"), text.index(" and Orlin"))
    text = "哈萨克斯坦代表团访问了商务部。"
    names = [f.name for f in government_bodies(text, "zh", places(text))]
    assert names == ["商务部"]  # not "哈萨克斯坦代表团访问了商务部"


def test_a_long_text_runs_in_linear_time() -> None:
    unit = ("The Embassy of Kazakhstan in China, Министерство энергетики РК, ҚР Энергетика министрлігі, "
            "中国驻阿拉木图总领事馆 and the Chinese government met Orlin Power. ")
    text = (unit * (60_000 // len(unit) + 1))[:60_000]
    t = time.perf_counter()
    found = government_bodies(text, "en", places(text))
    print(f"60,000 characters: {time.perf_counter() - t:.2f} s, {len(found)} bodies")
    assert found


@pytest.mark.parametrize("lang,text", [
    ("kk", "Қытаймен үкіметаралық комиссия отырысы өтті."),  # intergovernmental, not a government
    ("ru", "Прибыла китайская правительственная делегация."),
    ("zh", "中哈政府间合作委员会召开会议。"),
])
def test_intergovernmental_is_not_a_government(lang: str, text: str) -> None:
    assert not [f for f in government_bodies(text, lang, places(text)) if f.en.startswith("Government")]


def test_a_joint_body_of_both_sides_is_not_one_countrys() -> None:
    text = "中哈交通部门和中哈政府间委员会开会。"
    assert [f.en for f in government_bodies(text, "zh", places(text)) if "Kazakhstan" in f.en] == []
