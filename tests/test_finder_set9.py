"""Finder set 9 (extract-v23): the Chinese readers it adds to set 8, on invented sentences, with set
8's reading of the same text beside it."""

from __future__ import annotations

from pipeline.analyse import Candidate, analyse
from pipeline.analyse.general_han import dictionary_bodies, han_people_after_title, ninth_han_readers, segment
from pipeline.ingest.articles import Article


def _cands(text: str, language: str = "zh", finders: int = 9) -> list[Candidate]:
    return list(analyse(Article(id="t", text=text, language=language), 2, finders).candidates)


def _named(text: str, finders: int = 9) -> dict[str, Candidate]:
    return {c.name: c for c in _cands(text, finders=finders)}


# Invented sentences; the two leaders' names are general knowledge, named as news names them, title first.
STATE_VISIT = ("新华社北京5月12日电 国家主席习近平12日在北京会见来华进行国事访问的哈萨克斯坦总统托卡耶夫。"
               "国务院总理李强当天会见了哈萨克斯坦总理别克塔耶夫，双方签署了农业合作协议。")

ACADEMY = ("中国科学院与哈萨克斯坦国立大学日前在阿拉木图签署合作备忘录，双方将共建联合实验室，"
           "开展干旱区生态研究与人才培养合作。")

SPOKEN = "习近平主席表示，中方愿同哈方一道推进共建“一带一路”合作，哈萨克斯坦总统托卡耶夫出席。"


def test_a_chinese_name_after_a_title_is_a_person() -> None:
    now, before = _named(STATE_VISIT), _named(STATE_VISIT, 8)
    for name, en in (("习近平", "Xi Jinping"), ("李强", "Li Qiang")):
        assert now[name].kind == "person" and now[name].country == "CN" and now[name].en == en
        assert name not in before  # set 8 read neither leader


def test_a_name_before_a_title_with_a_surname_the_lexicon_lacked() -> None:
    assert "习近平" in _named(SPOKEN) and "习近平" not in _named(SPOKEN, 8)


def test_a_body_the_dictionary_knows_whole() -> None:
    now, before = _named(ACADEMY), _named(ACADEMY, 8)
    assert now["中国科学院"].kind == "organization" and now["中国科学院"].country == "CN"
    assert "中国科学院" not in before


def test_only_names_and_bodies_are_read() -> None:
    text = "会议主席表示支持。中国企业代表出席了活动。人民大会堂举行仪式。"
    tokens = segment(text)
    assert han_people_after_title(text, tokens) == []  # no name after the title
    assert dictionary_bodies(text, tokens) == []  # a building and a group are no bodies
    assert ninth_han_readers(Article(id="t", text="Astana hosted the talks.", language="en")) == []


def test_set_9_adds_to_set_8_and_keeps_its_readings() -> None:
    now = {(c.kind, c.name) for c in _cands(STATE_VISIT)}
    before = {(c.kind, c.name) for c in _cands(STATE_VISIT, finders=8)}
    assert before <= now and len(now - before) == 2
