"""The Chinese reader of finder set 2 (pipeline/analyse/general_han.py), on invented sentences:
invented companies, people and groups; real places only as the gazetteer knows them."""

from __future__ import annotations

import subprocess
import sys
import time

from pipeline.analyse.finders import places
from pipeline.analyse.general_han import han_reader, segment
from pipeline.ingest.articles import Article


def _read(text: str) -> list:
    return han_reader(Article(id="t", text=text, language="zh"), places(text))


def _named(found: list, name: str):
    hit = [f for f in found if f.name == name]
    return hit[0] if hit else None


def test_company_with_chained_legal_form_and_left_edge_at_a_preposition() -> None:
    text = "3月5日，哈萨克斯坦投资委员会与浙江明远新材料股份有限公司在杭州签署了合作协议，双方表示满意。"
    found = _read(text)
    f = _named(found, "浙江明远新材料股份有限公司")
    assert f is not None, found
    assert text[f.start:f.end] == f.name
    assert (f.kind, f.country) == ("company", "CN")
    assert f.en == "Zhejiang Mingyuan New Materials Co., Ltd."
    g = _named(found, "哈萨克斯坦投资委员会")
    assert g is not None and g.kind == "organization" and g.country == "KZ"


def test_group_then_legal_form_is_one_name() -> None:
    text = "据悉，金桥国际物流集团有限公司副总裁周立明表示，项目将于明年开工建设，各方对此非常期待。"
    f = _named(_read(text), "金桥国际物流集团有限公司")
    assert f is not None and f.en == "Jinqiao International Logistics Group Co., Ltd."


def test_generic_firms_are_not_names() -> None:
    text = "该公司表示将在当地建设工厂，这家公司成立于2001年。两国公司加强合作，中国公司积极参与，合作进入新格局。"
    found = _read(text)
    assert not [f for f in found if f.kind in ("company", "organization", "government")], found


def test_universities() -> None:
    text = "塔城大学与阿拉木图理工学院签署了合作备忘录，双方将在人才培养方面开展合作交流活动。"
    found = _read(text)
    f = _named(found, "阿拉木图理工学院")
    assert f is not None and f.kind == "organization" and f.country == "KZ"
    assert _named(found, "塔城大学") is not None


def test_foreign_name_next_to_a_title() -> None:
    text = "据悉，卡尔巴耶夫州长会见了来访的中国客人。总统别克莫拉托夫出席开幕式并致辞，现场气氛热烈。"
    found = _read(text)
    for name in ("卡尔巴耶夫", "别克莫拉托夫"):
        f = _named(found, name)
        assert f is not None and f.kind == "person" and f.country == "KZ", found
    assert _named(found, "卡尔巴耶夫").en == "Kaerbayefu"


def test_place_next_to_a_title_is_not_a_person() -> None:
    text = "哈萨克斯坦总统出席了开幕式，阿拉木图市长也出席了活动，双方就合作进行了深入交流和讨论。"
    assert not [f for f in _read(text) if f.kind == "person"]


def test_part_of_a_full_name_is_not_a_second_person() -> None:
    text = "州长阿斯卡尔·别克穆拉托夫会见了客人。别克穆拉托夫表示，本州欢迎外国投资者前来投资兴业。"
    assert _named(_read(text), "别克穆拉托夫") is None


def test_chinese_name_before_a_title() -> None:
    text = "会上，许启文主席致辞，他表示愿与各方一道推动合作不断取得新的成果，实现互利共赢。"
    f = _named(_read(text), "许启文")
    assert f is not None and f.kind == "person" and f.en == "Xu Qiwen" and f.country == "CN"


def test_counted_groups_of_business_people() -> None:
    text = "会上，30多名哈萨克斯坦企业家与浙江企业负责人进行了对接，签署多项合作协议，成果丰硕。"
    found = _read(text)
    kz = _named(found, "哈萨克斯坦企业家")
    assert kz is not None and kz.kind == "group" and kz.country == "KZ" and kz.en == "Kazakh entrepreneurs"
    zj = _named(found, "浙江企业负责人")
    assert zj is not None and zj.country == "CN"


def test_group_words_in_passing_are_not_groups() -> None:
    text = "近年来，哈萨克斯坦企业家对中国市场的兴趣不断提高，浙江企业负责人也多次提到这一点。"
    assert not [f for f in _read(text) if f.kind == "group"]


def test_no_han_text_reads_nothing() -> None:
    assert _read("Astana Steel LLP signed an agreement with a Chinese partner in Almaty.") == []


def test_segmentation_is_the_same_in_another_process_and_quiet() -> None:
    text = "与浙江明远新材料股份有限公司在杭州签署合作协议"
    code = ("from pipeline.analyse.general_han import segment;"
            f"print(segment({text!r}))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == str(segment(text))
    assert run.stderr == ""


def test_long_text_runs() -> None:
    unit = "据悉，卡尔巴耶夫州长会见了金桥国际物流集团有限公司董事长周立明一行，并与中国企业代表举行了座谈。"
    text = unit * (60000 // len(unit))
    t = time.perf_counter()
    found = _read(text)
    print(f"{len(text)} characters: {time.perf_counter() - t:.2f} s, {len(found)} spans")
    assert found


def test_a_regions_delegation_before_a_visit() -> None:
    text = "5月，卡拉干达州代表团参观了一家化工企业，双方就扩大合作交换了意见并达成共识。"
    f = _named(_read(text), "卡拉干达州代表团")
    assert f is not None and f.kind == "group" and f.country == "KZ" and f.en == "Delegation of Karaganda Region"


def test_direction_word_and_latin_letters_in_a_name() -> None:
    text = "5月，当地政府与Zentrix公司和东方明川重工集团签署了协议，各方表示满意并将继续合作。"
    found = _read(text)
    z = _named(found, "Zentrix公司")
    assert z is not None and z.kind == "company" and z.en == "Zentrix Company" and z.country is None
    d = _named(found, "东方明川重工集团")
    assert d is not None and d.country == "CN", found


def test_a_counted_group_between_owner_and_noun() -> None:
    text = "访问期间，代表团还与江苏省五个政府部门负责人举行了会谈，双方讨论了务实合作的具体方向。"
    f = _named(_read(text), "江苏省五个政府部门负责人")
    assert f is not None and f.kind == "group" and f.country == "CN"
    assert f.en == "Heads of government departments of Jiangsu Province"
