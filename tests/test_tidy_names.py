"""Finder set 3's tidying of non-person spans (pipeline/analyse/tidy_names.py), on invented sentences."""

from __future__ import annotations

import time

from pipeline.analyse import analyse
from pipeline.analyse.finders import Found
from pipeline.analyse.tidy_names import tidy_names
from pipeline.ingest.articles import Article


def _article(text: str, lang: str) -> Article:
    return Article(id="t", text=text, published="2026-05-01", language=lang)


def _names(text: str, lang: str, finders: int = 3) -> dict[str, tuple[str, str, str | None]]:
    a = analyse(_article(text, lang), 2, finders)
    return {c.name: (c.kind, c.en, c.country) for c in a.candidates if c.kind not in ("amount", "group")}


def _span(text: str, name: str, kind: str, finder: str = "latin", en: str | None = None,
          country: str | None = None) -> Found:
    at = text.index(name)
    return Found(at, at + len(name), kind, name, en or name, country, finder)


def test_latin_pieces_of_one_name_are_joined() -> None:
    text = "Talks were held with ZORVANT TRADING AND SUPPLY (HUBEI) CO., LTD in the city."
    pieces = [_span(text, "ZORVANT TRADING AND SUPPLY", "company"), _span(text, "HUBEI", "company"),
              _span(text, "LTD", "company")]
    out = [f for f in tidy_names(pieces, _article(text, "kk")) if f.kind == "company"]
    assert [(f.name, f.en, f.country) for f in out] == [
        ("ZORVANT TRADING AND SUPPLY (HUBEI) CO., LTD", "ZORVANT TRADING AND SUPPLY (HUBEI)", "CN")]
    assert text[out[0].start:out[0].end] == out[0].name


def test_parenthesis_joins_only_a_name_continued_by_its_own_words() -> None:
    text = "the Board of Mining (Regional) Banks met. Qoran Minerals (QM) Arlen Tasov spoke."
    spans = [_span(text, "Board of Mining", "organization"), _span(text, "Banks", "organization"),
             _span(text, "Qoran Minerals", "company"), _span(text, "Arlen Tasov", "person")]
    out = {f.name for f in tidy_names(spans, _article(text, "en"))}
    assert "Board of Mining (Regional) Banks" in out and "Banks" not in out
    assert {"Qoran Minerals", "Arlen Tasov"} <= out


def test_legal_form_or_place_alone_is_no_company() -> None:
    names = _names("Officials met the heads of Velmor Steel Group and of LTD. "
                   "The region of Hubei and Túrkistan were discussed.", "en")
    assert "LTD" not in names
    text = "Túrkistan oblysynda jana zauyt salynady."
    spans = [_span(text, "Túrkistan", "organization")]
    assert tidy_names(spans, _article(text, "kk")) == []


def test_body_word_across_a_conjunction_is_dropped() -> None:
    # "<body word> and <a firm>": the firm's words are not the body's, nor its country
    text = "Signed by the Ministry and Zelvora Holding yesterday."
    spans = [_span(text, "Ministry and Zelvora", "government", "body", "Ministry of Zelvora", "CN"),
             _span(text, "Zelvora Holding", "company")]
    out = tidy_names(spans, _article(text, "en"))
    assert [f.name for f in out] == ["Zelvora Holding"]
    # a body's own name may hold "and"
    text2 = "The Ministry of Industry and Construction of Kazakhstan met Zelvora Holding."
    body = _span(text2, "Ministry of Industry and Construction of Kazakhstan", "government", "gov-body",
                 country="KZ")
    assert body in tidy_names([body], _article(text2, "en"))


def test_generic_words_alone_and_cut_fragments() -> None:
    text = ("A Chinese firm visited. The Silk Belt Initiative met the Kazbrand News Agency reporters, "
            "and the Member spoke of the Center-West road and the National Bank.")
    spans = [_span(text, "A Chinese", "organization"), _span(text, "Initiative", "organization"),
             _span(text, "News Agency", "government"), _span(text, "Member", "organization"),
             _span(text, "Center-West", "organization"), _span(text, "National Bank", "organization")]
    out = [f.name for f in tidy_names(spans, _article(text, "en"))]
    assert out == ["National Bank"]  # several generic words, not cut from a longer name: kept


def test_country_and_format_names_are_no_organisation() -> None:
    text = ("The Minister of Foreign Affairs of the People's Republic of China arrived for the "
            "\"Central Asia – China\" meeting with Dalvex Energy.")
    spans = [_span(text, "People's Republic of China", "organization"),
             _span(text, "Central Asia – China", "company", "quoted"), _span(text, "Dalvex Energy", "company")]
    out = [f.name for f in tidy_names(spans, _article(text, "en"))]
    assert out == ["Dalvex Energy"]


def test_programme_in_quotes_is_no_party_but_a_firm_in_quotes_is() -> None:
    text = "At the forum \"Orbis Invest\" the \"Velmar Glass\" company signed a deal."
    spans = [_span(text, "Orbis Invest", "company", "quoted"), _span(text, "Velmar Glass", "company", "quoted")]
    assert [f.name for f in tidy_names(spans, _article(text, "en"))] == ["Velmar Glass"]


def test_repairs_country_possessive_and_a_body_of_a_place() -> None:
    text = "China's Qorvan New Energy Technology and the People's Government of Shaanxi Province agreed."
    spans = [_span(text, "China's Qorvan New Energy Technology", "company", country="CN"),
             _span(text, "People's Government of Shaanxi Province", "government")]
    out = {f.name: (f.en, f.country, text[f.start:f.end]) for f in tidy_names(spans, _article(text, "en"))}
    assert out["Qorvan New Energy Technology"] == ("Qorvan New Energy Technology", "CN", "Qorvan New Energy Technology")
    assert out["People's Government of Shaanxi Province"][1] == "CN"


def test_one_body_read_twice_keeps_the_specific_reading() -> None:
    text = "The Embassy of Kazakhstan in China hosted Velmor Steel."
    short = _span(text, "Embassy of Kazakhstan", "government", "body", "Embassy of Kazakhstan", "KZ")
    full = _span(text, "Embassy of Kazakhstan in China", "government", "gov-body", country="KZ")
    same_body = _span(text, "Embassy of Kazakhstan in China", "government", "body", "Embassy of China", "CN")
    out = tidy_names([short, same_body, full], _article(text, "en"))
    assert out == [full]


def test_people_are_never_touched() -> None:
    text = "Member Arlen Tasov and LTD Qoran spoke."
    spans = [_span(text, "Member", "person"), _span(text, "LTD Qoran", "person")]
    assert tidy_names(spans, _article(text, "en")) == spans


def test_sets_one_and_two_unchanged_and_set_three_cleaner() -> None:
    text = "Talks were held with ZORVANT TRADING AND SUPPLY (HUBEI) CO., LTD on the Initiative."
    three = _names(text, "en", 3)
    assert "ZORVANT TRADING AND SUPPLY (HUBEI) CO., LTD" in three
    assert not {"HUBEI", "LTD", "Initiative"} & set(three)


def test_long_page_is_linear() -> None:
    unit = ("Talks were held with ZORVANT TRADING AND SUPPLY (HUBEI) CO., LTD and the Member of the "
            "Board of Mining (Regional) Banks; \"Orbis Invest\" forum and People's Republic of China. ")
    text = unit * (60_000 // len(unit))
    article = _article(text, "en")
    t0 = time.perf_counter()
    a = analyse(article, 2, 3)
    took = time.perf_counter() - t0
    assert a.candidates
    assert took < 30


def test_one_firm_with_and_without_its_group_word_folds_into_one() -> None:
    text = "Velmor Steel Group Co., Ltd. signed; Velmor Steel will build it. Velmor said so. Orlin Power spoke."
    spans = [_span(text, "Velmor Steel Group Co., Ltd.", "company", en="Velmor Steel Group"),
             _span(text, "Velmor Steel", "company"), _span(text, "Velmor", "company"),
             _span(text, "Orlin Power", "company")]
    out = [f.en for f in tidy_names(spans, _article(text, "en"))]
    assert out == ["Velmor Steel Group", "Velmor Steel Group", "Velmor Steel Group", "Orlin Power"]
