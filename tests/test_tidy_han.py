"""Finder set 4's Han people tidying (pipeline/analyse/tidy_han.py), on invented sentences: invented
people; real countries and places only as the gazetteer knows them."""

from __future__ import annotations

import time

from pipeline.analyse.finders import Found, find_candidates, places
from pipeline.analyse.general import general_finders
from pipeline.analyse.tidy import tidy
from pipeline.analyse.tidy_han import foreign_han_name, tidy_han
from pipeline.ingest.articles import Article
from pipeline.ingest.sentences import split


def _found(text: str, with_han: bool = True) -> list[Found]:
    """The spans set 3 hands on (and this pass's, with ``with_han``), as find_candidates builds them."""
    article = Article(id="t", text=text, language="zh")
    found_places = places(text)
    got: dict[str, list[Found]] = {}

    def step(found: list[Found], art: Article) -> list[Found]:
        out = tidy(found, art)
        got["found"] = tidy_han(out, art) if with_han else out
        return got["found"]

    find_candidates(article, tuple(split(text, 2)), found_places, general_finders(article, found_places), step)
    return got["found"]


def _people(found: list[Found]) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for f in found:
        if f.kind == "person":
            out.setdefault(f.name, set()).add(f.country)
    return out


def test_transliterated_name_after_a_title_is_taken_whole_with_the_title_phrase_country() -> None:
    text = "据报道，哈萨克斯坦能源和工业部长沙维洛夫当天举行会谈，双方讨论了合作问题，会谈气氛友好。"
    before, after = _people(_found(text, False)), _people(_found(text))
    assert "沙维洛" in before  # set 3 cuts the final syllable
    assert "沙维洛" not in after
    assert after["沙维洛夫"] == {"KZ"}


def test_a_foreign_name_with_no_country_named_has_no_side() -> None:
    text = "活动开幕式上，州长叶尔托别克表示欢迎各方来宾，并介绍了本州的投资环境和发展规划。"
    found = _found(text)
    hits = [f for f in found if f.name == "叶尔托别克" and f.finder != "general_han"]
    assert hits and all(f.country is None for f in hits), found


def test_a_foreign_name_read_too_long_is_cut_before_the_verb() -> None:
    text = "会议期间，俄罗斯副总理莫洛托娃提出三项建议，与会代表对此表示赞同并进行了深入讨论。"
    people = _people(_found(text))
    assert "莫洛托娃提" not in people
    assert people["莫洛托娃"] == {"RU"}


def test_an_ambassador_posted_in_china_is_his_country_s_one_posted_from_china_is_not() -> None:
    text = ("哈萨克斯坦驻华大使托尔别科夫在会上发言，介绍了双边贸易的最新情况和未来合作的方向。"
            "中国驻哈萨克斯坦大使孙建宁在会上讲话，回顾了两国友好交往的历史和务实合作的成果。")
    people = _people(_found(text))
    assert "KZ" in people["托尔别科夫"]
    assert "孙建宁" in people and "KZ" not in people["孙建宁"]


def test_chinese_name_after_a_title_set_1_does_not_know() -> None:
    text = "出席仪式的有外长周立平和副局长钱文斌，以及来自两国企业的代表共五十余人，现场气氛热烈。"
    before, after = _people(_found(text, False)), _people(_found(text))
    assert "周立平" not in before
    assert "周立平" in after and "钱文斌" in after


def test_chinese_names_and_common_words_are_left_alone() -> None:
    text = "会议由省长王立明主持，张大夫说明了情况，总经理李文华表示将继续加强合作，推动项目尽快落地。"
    assert _found(text) == _found(text, False)


def test_names_written_part_by_part_are_left_as_they_are() -> None:
    text = "会议期间，哈萨克斯坦总统叶尔兰·托卡别科夫会见了中国企业代表，双方就扩大投资进行了交流。"
    found = _found(text)
    assert [f for f in found if "·" in f.name] == [f for f in _found(text, False) if "·" in f.name]
    assert not any(f.finder == "tidy_han" for f in found)


def test_foreign_han_name() -> None:
    assert foreign_han_name("沙维洛夫")
    assert foreign_han_name("努尔别尔森")
    assert not foreign_han_name("王立明")
    assert not foreign_han_name("张大夫")
    assert not foreign_han_name("叶尔兰·托卡")


def test_no_han_text_is_untouched() -> None:
    found = [Found(0, 4, "person", "Ivan", "Ivan")]
    assert tidy_han(found, Article(id="t", text="Ivan Petrov met them.", language="en")) is found


def test_linear_on_a_long_page() -> None:
    unit = "哈萨克斯坦能源部长沙维洛夫与外长周立平举行会谈，双方讨论了合作问题。" * 40
    found_small = [Found(9, 12, "person", "沙维洛", "Sha Weiluo")]
    small = Article(id="s", text=unit, language="zh")
    big = Article(id="b", text=unit * 50, language="zh")
    t0 = time.perf_counter()
    tidy_han(found_small, small)
    t1 = time.perf_counter()
    out = tidy_han(found_small, big)
    t2 = time.perf_counter()
    assert len(big.text) > 60000
    assert out[0].name == "沙维洛夫"
    assert (t2 - t1) < 300 * max(t1 - t0, 0.002)  # 50 times the text; quadratic would be 2500 times
