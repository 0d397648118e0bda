"""Finder set 4 reads Chinese in traditional characters as simplified (pipeline.analyse.hant), with
the article's own words kept for names and evidence. Invented sentences."""

from __future__ import annotations

from pipeline.analyse import analyse
from pipeline.analyse.hant import simplified
from pipeline.ingest.articles import Article

TRAD = ("新華社阿斯塔納6月3日電 6月2日，江蘇省人民政府副省長周明率中方代表團訪問阿拉木圖州，與阿拉木圖州州長別克扎諾夫舉行會談。"
        "會後，江蘇省商務廳與阿拉木圖州企業家協會簽署了合作備忘錄。")


def test_simplified_keeps_every_offset() -> None:
    s = simplified(TRAD)
    assert len(s) == len(TRAD) and s != TRAD
    assert "签署" in s and "江苏省" in s
    assert simplified("Акимат области, Astana") == "Акимат области, Astana"  # no Chinese: as it is
    assert simplified("江苏省商务厅") == "江苏省商务厅"  # simplified already: as it is


def test_set_four_reads_a_traditional_page_and_keeps_its_words() -> None:
    art = Article(id="t", text=TRAD, language="zh", published="2026-06-03")
    three, four = analyse(art, 2, 3), analyse(art, 2, 4)
    assert not three.kz_named and len(three.candidates) <= 1  # set 3 reads almost nothing here
    assert four.kz_named and four.cn_named
    names = {c.en: c for c in four.candidates}
    assert {"Almaty Region", "Zhou Ming", "Government of Jiangsu Province"} <= set(names)
    # names as the article writes them, at offsets of the article
    for c in four.candidates:
        sp = c.spans[0]
        assert TRAD[sp.start:sp.end] == c.name
    assert names["Almaty Region"].name == "阿拉木圖州"
    # sentences (the evidence) are the article's words; what they say is read from the reading
    assert all(TRAD[s.start:s.end] == s.text for s in four.sentences)
    assert any(f.signed for f in four.read) and any(f.meeting for f in four.read)


def test_a_simplified_page_is_read_as_it_is() -> None:
    art = Article(id="s", text=simplified(TRAD), language="zh", published="2026-06-03")
    assert analyse(art, 2, 4).reading is None
    assert analyse(Article(id="t", text=TRAD, language="zh"), 2, 4).reading == art.text


def test_a_long_traditional_page() -> None:
    art = Article(id="l", text=(TRAD + "\n") * 400, language="zh")
    a = analyse(art, 2, 4)
    assert len(a.article.text) > 30_000 and a.kz_named


def test_han_left_edge_keeps_the_reading_without_the_joining_word() -> None:
    from pipeline.analyse.finders import Found
    from pipeline.analyse.tidy import han_left_edge

    text = "代表团与华光能源投资有限公司举行会谈。"
    art = Article(id="e", text=text, language="zh")
    s = text.index("与")
    e = text.index("举行")
    joined = Found(s, e, "company", text[s:e], "Yu Huaguang", "CN", "han-company")
    name = Found(s + 1, e, "company", text[s + 1:e], "Huaguang Energy Investment Co., Ltd.", "CN", "general_han")
    assert han_left_edge([joined, name], art) == [name]
    assert han_left_edge([joined], art) == [joined]  # no other reading: kept as it is


def test_set_four_takes_no_foreign_name_in_chinese_characters_for_a_chinese_one() -> None:
    from pipeline.analyse.finders import person_country
    from pipeline.analyse.tidy import side_of_person_set4

    assert person_country("沙卡洛夫", "Shakaluofu", None) == "CN"  # what sets 1-3 say
    assert side_of_person_set4("沙卡洛夫", "Shakaluofu", None) is None
    assert side_of_person_set4("李文华", "Li Wenhua", None) == "CN"
    text = "哈萨克斯坦贸易和一体化部长沙卡洛夫与中国商务部部长李文华举行会谈。"
    art = Article(id="f", text=text, language="zh")
    three = {c.name: c.country for c in analyse(art, 2, 3).candidates if c.kind == "person"}
    four = {c.name: c.country for c in analyse(art, 2, 4).candidates if c.kind == "person"}
    assert three.get("沙卡洛") == "CN" and four.get("沙卡洛夫") == "KZ" and four.get("李文华") == "CN"
