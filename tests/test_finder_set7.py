"""Finder set 7 (extract-v21): each reader and tidying step it adds to set 6, and the one it leaves
out, on invented sentences, with set 6's reading of the same text beside it where the two differ."""

from __future__ import annotations

from pipeline.analyse import Candidate, analyse
from pipeline.analyse.finders import places
from pipeline.analyse.general_both import both_governments
from pipeline.ingest.articles import Article

_ZH_LEAD = "据报道，双方当天举行了会谈并交换了意见。"  # the Chinese reader reads a text with some Han in it


def _cands(text: str, language: str, finders: int = 7) -> list[Candidate]:
    return list(analyse(Article(id="t", text=text, language=language), 2, finders).candidates)


def _groups(text: str, language: str, finders: int = 7) -> list[tuple[str, str | None]]:
    return [(c.en, c.country) for c in _cands(text, language, finders) if c.kind == "group"]


# ------------------------------------------------------------------ groups read with further words


def test_buyers_and_suppliers_are_groups_in_each_language() -> None:
    cases = [
        ("en", "Kazakh exporters met Chinese buyers at the fair in Urumqi.", ("Chinese buyers", "CN")),
        ("ru", "Казахстанские экспортеры встретились с китайскими покупателями на ярмарке в Урумчи.",
         ("Chinese buyers", "CN")),
        ("kk", "Қазақстандық экспорттаушылар Үрімжідегі көрмеде қытайлық жеткізушілермен кездесті.",
         ("Chinese suppliers", "CN")),
        ("zh", _ZH_LEAD + "哈萨克斯坦出口商在乌鲁木齐博览会上会见了中国采购商。", ("Chinese buyers", "CN")),
    ]
    for language, text, group in cases:
        assert group in _groups(text, language), language
        assert group not in _groups(text, language, 6), language


def test_business_named_as_a_whole_takes_a_singular_owner() -> None:
    ru = "Представители китайского бизнеса посетили Павлодар и провели переговоры с акиматом."
    assert ("Representatives of Chinese business", "CN") in _groups(ru, "ru")
    assert not _groups(ru, "ru", 6)
    kk = "Қытай бизнесінің өкілдері Павлодар облысының әкімімен кездесті."
    assert ("Representatives of Chinese business", "CN") in _groups(kk, "kk")


def test_a_compound_of_business_is_no_group() -> None:
    text = "Стороны обсудили китайский бизнес-подход к строительству заводов на встрече в Астане."
    assert not _groups(text, "ru")


def test_a_singular_owner_is_read_as_set_six_reads_it_for_other_nouns() -> None:
    # only business, named as a whole, takes a singular owner: one firm's suppliers are as in set 6
    text = "Аким встретился с поставщиками китайского предприятия на площадке будущего завода."
    assert _groups(text, "ru") == _groups(text, "ru", 6)
    assert not any("suppliers" in en for en, _ in _groups(text, "ru"))


def test_words_of_what_kind_stand_between_owner_and_noun() -> None:
    kk = "Ірі қытайлық энергетикалық компаниялардың басшылары Астанадағы форумға қатысты."
    assert ("Heads of major Chinese energy companies", "CN") in _groups(kk, "kk")
    assert not _groups(kk, "kk", 6)
    zh = _ZH_LEAD + "多家中国能源企业负责人出席了在阿斯塔纳举行的论坛。"
    assert ("Chinese heads of energy enterprises", "CN") in _groups(zh, "zh")


def test_a_kind_word_that_opens_the_noun_leaves_the_noun_whole() -> None:
    zh = _ZH_LEAD + "中国投资者计划在江布尔州建设水泥厂。"  # "投资" is a kind word and opens "投资者"
    assert ("Chinese investors", "CN") in _groups(zh, "zh")


# ------------------------------------------------------------------ the two governments in one phrase


def test_two_governments_named_together_are_two_parties_in_each_language() -> None:
    cases = [
        ("en", "The governments of Kazakhstan and China signed an agreement on visa-free travel."),
        ("ru", "Правительства Казахстана и Китая подписали соглашение о безвизовом режиме."),
        ("kk", "Қазақстан мен Қытай үкіметтері визасыз режим туралы келісімге қол қойды."),
        ("zh", _ZH_LEAD + "哈萨克斯坦和中国政府签署了互免签证协定。"),
    ]
    for language, text in cases:
        seven = {(c.en, c.country) for c in _cands(text, language) if c.kind == "government"}
        assert {("Government of Kazakhstan", "KZ"), ("Government of China", "CN")} <= seven, language
        six = {(c.en, c.country) for c in _cands(text, language, 6) if c.kind == "government"}
        assert len(six) < 2, language


def test_two_countries_with_no_government_word_are_no_governments() -> None:
    text = "Trade between Kazakhstan and China grew by a fifth last year."
    assert both_governments(text, "en", places(text)) == []


def test_the_same_country_twice_is_not_two_governments() -> None:
    text = "Правительства Казахстана и Республики Казахстан"
    assert both_governments(text, "ru", places(text)) == []


# ------------------------------------------------------------------ tidying and what set 7 leaves out


def test_a_time_word_read_as_a_chinese_name_is_no_person() -> None:
    text = _ZH_LEAD + "中国企业代表周一访问了阿拉木图。"
    assert any(c.kind == "person" and c.name.startswith("周一") for c in _cands(text, "zh", 6))
    assert not any(c.kind == "person" and c.name.startswith("周一") for c in _cands(text, "zh"))
    assert ("Chinese company representatives", "CN") in _groups(text, "zh")


def test_set_seven_reads_the_gazetteer_as_set_five_does() -> None:
    # set 6's further cities (a route's stops in an overview) are left out of set 7
    text = "Поезд проходит через Сарыагаш, Шымкент и Жанатас, а затем идет в Китай."
    five = {(c.en, c.kind) for c in _cands(text, "ru", 5) if c.kind in ("city", "region")}
    seven = {(c.en, c.kind) for c in _cands(text, "ru") if c.kind in ("city", "region")}
    assert seven == five
