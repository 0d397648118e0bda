"""The compact answer and its deterministic expansion: grounding, repair, and negative cases."""

from __future__ import annotations

from typing import Any

from pipeline.extract import Extractor
from pipeline.ingest.articles import Article
from pipeline.methods.compact.expand import expand
from pipeline.methods.compact.models import CExtraction
from pipeline.methods.prompts import load_prompt
from pipeline.schema import load_schema
from pipeline.testing import FakeBackend

TEXT = (
    "Жамбыл облысы мен Қытай компаниясы келісімге қол қойды\n"
    "Жамбыл облысы әкімінің орынбасары Ерлан Сейітовтің бастауымен делегация Сиань қаласында "
    "Shaanxi Tianrui Chemical компаниясының төрағасы Чэнь Линмен кездесті. "
    "Кездесу қорытындысы бойынша Тараз қаласында құны 80 млн АҚШ долларын құрайтын тыңайтқыш зауытын салу "
    "туралы меморандумға қол қойылды. Былтыр тауар айналымы 12 пайызға өсті."
)
ARTICLE = Article(id="a", text=TEXT, title=None, published="2026-03-12", language="kk")


def party(name: str, en: str, kind: str = "person", title: str | None = None) -> dict[str, Any]:
    return {"name": name, "en": en, "kind": kind, "title": title}


def cevent(**over: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "sentences": [2, 3], "type": "meeting", "date": None, "place": "Xi'an", "country": "CN",
        "kz": [party("Ерлан Сейітовтің", "Erlan Seitov"), party("Жамбыл облысы", "Zhambyl", "region")],
        "cn": [party("Shaanxi Tianrui Chemical", "Shaanxi Tianrui Chemical", "company")],
        "docs": [], "projects": [], "sectors": ["chemicals"], "summary": "A signing.",
    }
    ev.update(over)
    return ev


def run(*events: dict[str, Any], article: Article = ARTICLE) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return expand({"events": list(events)}, article)


def test_evidence_is_the_numbered_sentences_verbatim() -> None:
    events, checks = run(cevent(sentences=[3, 99]))
    third = ("Кездесу қорытындысы бойынша Тараз қаласында құны 80 млн АҚШ долларын құрайтын тыңайтқыш зауытын салу "
             "туралы меморандумға қол қойылды.")
    assert third in events[0]["evidence"]
    assert all(q in TEXT for q in events[0]["evidence"])
    assert checks[0]["bad_sentence_numbers"] == [99]
    # the sentence naming the China-side company is added to the evidence
    assert checks[0]["evidence_added"] == [2] and checks[0]["evidence_sentences"] == [2, 3]


def test_names_in_base_form_and_english_from_gazetteer_and_letters() -> None:
    ev = run(cevent())[0][0]
    kz = {p["name_en"]: p for p in ev["kz_parties"]}
    assert set(kz) == {"Erlan Seyitov", "Jambyl Region"}  # Kazakh names from the letters; region canonical
    assert kz["Erlan Seyitov"]["name"] == "Ерлан Сейітов"  # the -тің ending dropped, found in the text
    assert kz["Erlan Seyitov"]["affiliation"] == "Jambyl Region"


def test_a_name_not_in_the_article_is_dropped() -> None:
    events, checks = run(cevent(cn=[party("Shaanxi Tianrui Chemical", "Shaanxi Tianrui Chemical", "company"),
                                    party("Jiangsu Example Energy", "Jiangsu Example Energy", "company")]))
    assert [p["name_en"] for p in events[0]["cn_parties"]] == ["Shaanxi Tianrui Chemical"]
    assert checks[0]["dropped_parties"] == ["Jiangsu Example Energy"]


def test_a_chinese_place_on_the_kazakh_side_moves_across() -> None:
    ev = run(cevent(kz=[party("Жамбыл облысы", "Jambyl Region", "region"), party("Сиань", "Xi'an", "region")]))[0][0]
    assert {p["name_en"] for p in ev["cn_parties"]} == {"Shaanxi Tianrui Chemical", "Xi'an"}
    assert [p["name_en"] for p in ev["kz_parties"]] == ["Jambyl Region"]


def test_signing_words_make_a_signing_with_its_document() -> None:
    ev, checks = run(cevent(type="project"))
    assert ev[0]["type"] == "signing" and checks[0]["type_source"] == "signing_words"
    assert ev[0]["agreements"][0]["kind"] == "memorandum"
    assert ev[0]["agreements"][0]["parties"] == ["Jambyl Region", "Shaanxi Tianrui Chemical"]


# the article without its signing sentence's "after the meeting" opening, so that only the
# cited sentence is the evidence
UNLINKED = Article(id="u", text=TEXT.replace("Кездесу қорытындысы бойынша ", ""), published="2026-03-12",
                   language="kk")


def test_a_signing_without_a_document_is_a_meeting() -> None:
    ev, checks = run(cevent(type="signing", sentences=[2]), article=UNLINKED)
    assert ev[0]["type"] == "meeting" and checks[0]["type_source"] == "no_document"


def test_what_came_of_the_talks_in_the_next_sentence_is_part_of_the_event() -> None:
    ev, checks = run(cevent(type="meeting", sentences=[2]))
    assert checks[0]["evidence_sentences"] == [2, 3]  # "Кездесу қорытындысы бойынша ... қол қойылды"
    assert ev[0]["type"] == "signing" and ev[0]["agreements"][0]["kind"] == "memorandum"
    text = ("Kazakhstan's Minister of Energy met the head of Hubei Wind Power in Astana. "
            "The two sides signed an agreement on a wind farm worth about 450 million U.S. dollars. "
            "The two sides also discussed the weather.")
    art = Article(id="e", text=text, published="2026-10-14", language="en")
    ev, checks = run(cevent(sentences=[1], place="Astana", kz=[party("Kazakhstan", "Kazakhstan", "government")],
                            cn=[party("Hubei Wind Power", "Hubei Wind Power", "company")],
                            projects=[{"what": "wind farm", "where": None, "money": None, "status": "agreed"}]),
                     article=art)
    assert checks[0]["evidence_sentences"] == [1, 2]  # the third goes on, but with no outcome
    assert ev[0]["projects"][0]["value"] == {"amount": 450e6, "currency": "USD", "qualifier": "about"}


def test_amount_off_by_a_thousand_is_corrected_from_the_text() -> None:
    proj = {"what": "fertiliser plant", "where": "Тараз", "money": "80 млрд долларов", "status": "agreed"}
    ev, checks = run(cevent(projects=[proj]))
    assert ev[0]["projects"][0]["value"] == {"amount": 80e6, "currency": "USD", "qualifier": "exact"}
    assert ev[0]["projects"][0]["location"] == "Taraz"
    assert checks[0]["money_source"] == ["text"]


def test_a_date_the_article_does_not_state_falls_back_to_publication() -> None:
    ev, checks = run(cevent(date="2019-04-15"))
    assert ev[0]["date"] == "2026-03-12" and checks[0]["date_source"] == "published"


def test_place_and_country_from_the_gazetteer() -> None:
    ev = run(cevent(place="Сиань", country="KZ"))[0][0]
    assert ev["location"] == {"place": "Xi'an", "country": "CN"}


def test_an_event_without_a_china_side_party_is_dropped() -> None:
    events, _ = run(cevent(sentences=[4], place=None, cn=[party("Invented Partner", "Invented Partner", "company")]))
    assert events == []


def test_an_empty_side_is_filled_from_latin_names_then_places_the_evidence_names() -> None:
    invented = [party("Invented Partner", "Invented Partner", "company")]
    ev, checks = run(cevent(place=None, cn=invented))
    assert ev[0]["location"] == {"place": "Xi'an", "country": "CN"}  # "Сиань қаласында"
    # a Chinese company in Latin letters in a Kazakh text
    assert [p["name_en"] for p in ev[0]["cn_parties"]] == ["Shaanxi Tianrui Chemical"]
    assert checks[0]["parties_from_text"] == ["Shaanxi Tianrui Chemical"] and checks[0]["place_source"] == "evidence"
    english = Article(id="e", text=TEXT.replace("Shaanxi Tianrui", "Tianrui"), published="2026-03-12", language="en")
    ev, checks = run(cevent(place=None, cn=invented), article=english)
    assert [p["name_en"] for p in ev[0]["cn_parties"]] == ["Xi'an"]
    assert checks[0]["parties_from_gazetteer"] == ["Xi'an"]


def test_a_chinese_name_on_the_kazakh_side_moves_across() -> None:
    text = TEXT.replace("Чэнь Линмен", "Ван Хаомен")
    art = Article(id="w", text=text, published="2026-03-12", language="kk")
    ev, checks = run(cevent(kz=[party("Жамбыл облысы", "Jambyl Region", "region"), party("Ван Хао", "Van Hao")]),
                     article=art)
    assert "Wang Hao" in [p["name_en"] for p in ev[0]["cn_parties"]]
    assert [p["name_en"] for p in ev[0]["kz_parties"]] == ["Jambyl Region"]


def test_a_project_in_a_sector_the_article_never_names_is_dropped() -> None:
    proj = [{"what": "solar power plant", "where": None, "money": None, "status": "agreed"},
            {"what": "fertiliser plant", "where": "Тараз", "money": None, "status": "agreed"}]
    ev, checks = run(cevent(projects=proj))
    assert [p["description"] for p in ev[0]["projects"]] == ["fertiliser plant"]
    assert checks[0]["dropped_projects"] == ["solar power plant"]


def test_a_topic_of_talks_is_not_a_project_but_a_thing_to_build_or_an_amount_is() -> None:
    proj = [{"what": "investment project", "where": None, "money": None, "status": "agreed"},
            {"what": "metallurgy, automobile", "where": None, "money": None, "status": "agreed"},
            {"what": "fertiliser plant", "where": None, "money": None, "status": "agreed"},
            {"what": "тыңайтқыш зауыты", "where": None, "money": None, "status": "agreed"}]
    ev, checks = run(cevent(sentences=[2], projects=proj))
    assert [p["description"] for p in ev[0]["projects"]] == ["fertiliser plant", "тыңайтқыш зауыты"]
    assert checks[0]["dropped_projects"] == ["investment project", "metallurgy, automobile"]
    # with the amount its sentence states, even a vaguely named project is kept
    money = [{"what": "investment project", "where": None, "money": "80 млн АҚШ долларын", "status": "agreed"}]
    ev, checks = run(cevent(sentences=[3], projects=money))
    assert ev[0]["projects"][0]["value"] == {"amount": 80_000_000, "currency": "USD", "qualifier": "exact"}
    assert "dropped_projects" not in checks[0]


def test_a_misspelt_place_is_matched_to_one_the_article_names() -> None:
    ev, _ = run(cevent(place="Sian"))
    assert ev[0]["location"]["place"] == "Xi'an"


def test_an_article_that_never_mentions_china_gives_no_events() -> None:
    text = ("Жамбыл облысы әкімінің орынбасары Ерлан Сейітов Ташкентте Tianrui Chemical "
            "компаниясының өкілімен кездесті.")
    art = Article(id="b", text=text, published="2026-03-12", language="kk")
    events, _ = run(cevent(sentences=[1]), article=art)
    assert events == []


def test_repeated_events_are_merged() -> None:
    events, checks = run(cevent(sentences=[2]), cevent(sentences=[3]))
    assert len(events) == 1 and len(events[0]["evidence"]) == 2
    assert events[0]["type"] == "signing"  # the meeting and the signing at it are one occasion


def test_different_counterparts_stay_separate_events() -> None:
    other = cevent(sentences=[2], cn=[party("Чэнь Линмен", "Chen Ling")])
    events, _ = run(cevent(sentences=[3]), other)
    assert len(events) == 2


def test_compact_prompt_end_to_end_gives_a_valid_record() -> None:
    fake = FakeBackend(default={"events": [cevent()]})
    ex = Extractor(fake, load_prompt("extract-v3"), load_schema("record.v1"))
    rec = ex.run(ARTICLE)
    assert "error" not in rec
    assert rec["provenance"]["grounding_rate"] == 1.0
    assert rec["provenance"]["checks"][0]["evidence_sentences"] == [2, 3]
    assert fake.requests[0].response_model is CExtraction
    assert "[2] Жамбыл облысы әкімінің" in fake.requests[0].messages[-1]["content"]


def test_two_step_finds_events_then_fills_each_from_its_own_sentences() -> None:
    def answer(req: Any) -> dict[str, Any]:
        name = req.response_model.__name__
        if name == "CFind":
            return {"events": [{"sentences": [2, 3], "type": "meeting", "place": "Xi'an", "date": None},
                               {"sentences": [3, 2], "type": "signing", "place": None, "date": None}]}
        assert name == "CDetail"
        user = req.messages[-1]["content"]
        assert "[3] Кездесу" in user and "[4]" not in user  # only the event's sentences (and the lead)
        ev = cevent()
        return {k: ev[k] for k in ("kz", "cn", "docs", "projects", "sectors", "summary")}

    fake = FakeBackend(default=answer)
    prompt = load_prompt("extract-v5")
    rec = Extractor(fake, prompt, load_schema("record.v1")).run(ARTICLE)
    assert [r.response_model.__name__ for r in fake.requests] == ["CFind", "CDetail"]  # same sentences: once
    assert len(rec["events"]) == 1 and rec["events"][0]["type"] == "signing"
    assert rec["provenance"]["usage"]["attempts"] == 2
    assert rec["provenance"]["grounding_rate"] == 1.0


def test_ungrounded_values_are_flagged_and_strict_grounding_drops_them() -> None:
    from .conftest import event

    ev = event()
    ev["evidence"] = [TEXT.splitlines()[1][:60], "A sentence that is not in the article."]
    ev["kz_parties"] = [{"name": "Жамбыл облысы", "name_en": "Jambyl Region", "kind": "region", "title": None,
                         "affiliation": None},
                        {"name": "Invented Person", "name_en": "Invented Person", "kind": "person", "title": None,
                         "affiliation": None}]
    ev["cn_parties"] = [{"name": "Shaanxi Tianrui Chemical", "name_en": "Shaanxi Tianrui Chemical", "kind": "company",
                         "title": None, "affiliation": None}]
    ev["projects"] = [{"description": "plant", "location": None, "sectors": [], "status": "agreed",
                       "value": {"amount": 80e9, "currency": "USD", "qualifier": "exact"}}]
    ev["location"] = {"place": "Shanghai", "country": "CN"}
    for strict in (False, True):
        ex = Extractor(FakeBackend(default={"events": [ev]}), load_prompt("extract-v1"), load_schema("record.v1"),
                       strict_grounding=strict)
        rec = ex.run(ARTICLE)
        g = rec["provenance"]["grounded"][0]
        out = rec["events"][0]
        if not strict:
            assert [e["status"] for e in g["evidence"]] == ["exact", "missing"]
            assert {k: g[k] for k in ("parties", "money", "place")} == {"parties": [True, False, True], "money": [False],
                                                                        "place": False}
            assert len(out["evidence"]) == 2
        else:
            assert [e["status"] for e in g["evidence"]] == ["exact"]
            assert {k: g[k] for k in ("parties", "money", "place")} == {"parties": [True, True], "money": [], "place": None}
            assert [p["name_en"] for p in out["kz_parties"]] == ["Jambyl Region"]
            assert out["projects"][0]["value"] is None and out["location"]["place"] is None
            assert rec["provenance"]["grounding_rate"] == 1.0


def test_a_third_country_party_is_on_neither_side() -> None:
    text = TEXT + " Делегация затем посетила Ташкент."
    art = Article(id="c", text=text, published="2026-03-12", language="kk")
    ev, checks = run(cevent(cn=[party("Shaanxi Tianrui Chemical", "Shaanxi Tianrui Chemical", "company"),
                                party("Ташкент", "Tashkent", "region")]), article=art)
    assert [p["name_en"] for p in ev[0]["cn_parties"]] == ["Shaanxi Tianrui Chemical"]
    assert "Ташкент" in checks[0]["dropped_parties"]


def test_a_prompt_can_require_a_party_on_each_side() -> None:
    fake = FakeBackend(default={"events": [cevent(kz=[])]})
    rec = Extractor(fake, load_prompt("extract-v7"), load_schema("record.v1")).run(ARTICLE)
    assert fake.requests[0].response_model.__name__ == "CExtractionNamed"
    assert rec["error"]["stage"] == "llm"  # the empty side breaks the response schema
    fake = FakeBackend(default={"events": [cevent()]})
    assert "error" not in Extractor(fake, load_prompt("extract-v7"), load_schema("record.v1")).run(ARTICLE)


def test_a_project_with_talks_described_is_a_meeting() -> None:
    ev, checks = run(cevent(type="project", sentences=[2]), article=UNLINKED)
    assert ev[0]["type"] == "meeting" and checks[0]["type_source"] == "meeting_words"
    text = "Жамбыл облысында Қытайдың Shaanxi Tianrui Chemical компаниясы тыңайтқыш зауытын салады. Зауыт келесі жылы ашылады."
    art = Article(id="p", text=text, published="2026-03-12", language="kk")
    ev, checks = run(cevent(type="project", sentences=[1], place=None,
                            kz=[party("Жамбыл облысында", "Jambyl Region", "region")]), article=art)
    assert ev[0]["type"] == "project"  # no occasion with the counterpart described


def test_inventions_in_summary_and_titles_are_replaced() -> None:
    kz = [party("Ерлан Сейітовтің", "Erlan Seitov", "person", "Governor of Pavlodar Region"),
          party("Жамбыл облысы", "Jambyl Region", "region")]
    ev, checks = run(cevent(kz=kz, summary="Talks in Urumqi on a plant in Pavlodar Region."))
    assert ev[0]["summary"].startswith("Signing between Erlan Seyitov, Jambyl Region and Shaanxi Tianrui Chemical")
    assert checks[0]["summary_source"] == "slots"
    assert ev[0]["kz_parties"][0]["title"] is None and checks[0]["dropped_titles"] == ["Governor of Pavlodar Region"]
    ev, checks = run(cevent(summary="A Jambyl Region delegation met a chemical company in Xi'an."))
    assert ev[0]["summary"] == "A Jambyl Region delegation met a chemical company in Xi'an." and "summary_source" not in checks[0]


def test_an_amount_stated_only_in_another_events_sentences_is_not_taken() -> None:
    proj = [{"what": "fertiliser plant", "where": "Тараз", "money": "80 млн АҚШ долларын", "status": "agreed"}]
    ev, checks = run(cevent(sentences=[4], projects=proj, kz=[party("Жамбыл облысы", "Jambyl Region", "region")],
                            cn=[party("Қытай", "China", "government")]))
    assert ev[0]["projects"][0]["value"] is None and checks[0]["money_source"] == [None]


def test_a_total_for_several_projects_goes_on_one_project_naming_the_set() -> None:
    proj = [{"what": "fertiliser plant", "where": None, "money": "80 млн АҚШ долларын", "status": "agreed"},
            {"what": "chemical warehouse", "where": "Тараз", "money": "80 млн АҚШ долларын", "status": "agreed"},
            {"what": "acid plant", "where": None, "money": "80 млн АҚШ долларын", "status": "agreed"}]
    ev, checks = run(cevent(projects=proj))
    (one,) = ev[0]["projects"]
    assert one["description"] == "fertiliser plant, chemical warehouse and acid plant"
    assert one["value"]["amount"] == 80e6 and one["location"] == "Taraz"
    assert checks[0]["shared_total"] is True
    # projects without an amount stay as they are
    proj = [{**p, "money": None} for p in proj]
    ev, checks = run(cevent(sentences=[2], projects=proj))
    assert len(ev[0]["projects"]) == 3 and "shared_total" not in checks[0]


def test_a_company_named_after_a_chinese_province_is_on_the_china_side() -> None:
    text = ("Kazakhstan's Minister of Energy Daulet Nurmanov met Li Wenbo, chairman of Hubei Sunlight Power, in Astana. "
            "They signed an agreement on a solar plant in China's partner region.")
    art = Article(id="h", text=text, published="2026-03-03", language="en")
    ev, checks = run(cevent(sentences=[1, 2], place="Astana",
                            kz=[party("Daulet Nurmanov", "Daulet Nurmanov"),
                                party("Hubei Sunlight Power", "Hubei Sunlight Power", "company")],
                            cn=[party("Li Wenbo", "Li Wenbo")]), article=art)
    assert [p["name_en"] for p in ev[0]["kz_parties"]] == ["Daulet Nurmanov"]
    assert {p["name_en"] for p in ev[0]["cn_parties"]} == {"Li Wenbo", "Hubei Sunlight Power"}
    assert checks[0]["moved_sides"] == ["Hubei Sunlight Power"]


def test_chinese_text_titles_foreign_names_and_document_words() -> None:
    text = ("2026年2月10日，哈萨克斯坦阿拉木图州副州长叶尔兰·卡瑟莫夫在乌鲁木齐会见了新疆丝路物流集团董事长王建国。"
            "双方签署了关于建设物流中心的合作备忘录。")
    art = Article(id="z", text=text, published="2026-02-11", language="zh")
    ev, checks = run(cevent(sentences=[1, 2], place="乌鲁木齐", docs=[{"kind": "other", "about": "logistics centre"}],
                            kz=[party("哈萨克斯坦阿拉木图州副州长", "Deputy Governor", "person"),
                                party("叶尔兰·卡瑟莫夫", "叶尔兰·卡瑟莫夫", "person")],
                            cn=[party("王建国", "Wang Jianguo", "person")]), article=art)
    e = ev[0]
    # the region the deputy governor represents is on the Kazakh side with him
    assert [p["name_en"] for p in e["kz_parties"]] == ["Yeerlan Kasemofu", "Almaty Region"]
    assert e["kz_parties"][0]["affiliation"] == "Almaty Region"
    assert "哈萨克斯坦阿拉木图州副州长" in checks[0]["dropped_parties"]
    # Xinjiang opens the company's name here: it is not taken for the region he represents
    assert [p["name_en"] for p in e["cn_parties"]] == ["Wang Jianguo"]
    assert e["agreements"][0]["kind"] == "memorandum" and e["type"] == "signing"
    assert e["date"] == "2026-02-10" and e["location"] == {"place": "Urumqi", "country": "CN"}


def test_a_lightly_edited_quote_is_aligned_fuzzily_and_strict_grounding_restores_the_text() -> None:
    from .conftest import event

    original = "Кездесу қорытындысы бойынша Тараз қаласында құны 80 млн АҚШ долларын құрайтын тыңайтқыш зауытын салу"
    edited = original.replace("құрайтын ", "")  # a word left out
    ev = event(evidence=[edited])
    ev["kz_parties"][0]["name"] = "Жамбыл облысы"
    # a counterpart the evidence names (strict grounding drops an event left with no China side)
    ev["cn_parties"] = [{"name": "Shaanxi Tianrui Chemical", "name_en": "Shaanxi Tianrui Chemical",
                         "kind": "company", "title": None, "affiliation": None}]
    for strict in (False, True):
        rec = Extractor(FakeBackend(default={"events": [ev]}), load_prompt("extract-v1"), load_schema("record.v1"),
                        strict_grounding=strict).run(ARTICLE)
        a = rec["provenance"]["grounded"][0]["evidence"][0]
        assert a["status"] == ("exact" if strict else "fuzzy")
        if not strict:
            assert rec["provenance"]["grounding"][0][0]["status"] == "missing"  # the spec's rate stays verbatim-only
            assert TEXT[a["start"]:a["end"]].startswith("Кездесу")
        else:
            assert rec["events"][0]["evidence"][0] in TEXT


def test_a_name_the_model_wrote_in_latin_letters_is_found_in_the_articles_spelling() -> None:
    text = TEXT.replace("Чэнь Линмен", "Ван Хаомен")
    art = Article(id="l", text=text, published="2026-03-12", language="kk")
    ev, checks = run(cevent(kz=[party("Yerlan Seitov", "Yerlan Seitov"), party("Жамбыл облысы", "Jambyl Region", "region")],
                            cn=[party("Van Hao", "Wang Hao"), party("Li Qiang", "Li Qiang")]), article=art)
    kz = {p["name"]: p["name_en"] for p in ev[0]["kz_parties"]}
    cn = {p["name"]: p["name_en"] for p in ev[0]["cn_parties"]}
    assert kz == {"Ерлан Сейітов": "Erlan Seyitov", "Жамбыл облысы": "Jambyl Region"}
    assert cn == {"Ван Хао": "Wang Hao"}  # the ending -мен left off; a name the article lacks stays out
    assert checks[0]["dropped_parties"] == ["Li Qiang"]


def test_people_alone_on_a_side_bring_the_region_the_evidence_names() -> None:
    ev, checks = run(cevent(kz=[party("Ерлан Сейітовтің", "Erlan Seitov")]))
    assert [p["name_en"] for p in ev[0]["kz_parties"]] == ["Erlan Seyitov", "Jambyl Region"]
    assert checks[0]["parties_from_gazetteer"] == ["Jambyl Region"]
    # a city named in the evidence (here where the plant goes) is not taken for the side
    ev, checks = run(cevent(sentences=[3], kz=[party("Ерлан Сейітовтің", "Erlan Seitov")]))
    assert "Taraz" not in [p["name_en"] for p in ev[0]["kz_parties"]]


def test_the_city_where_it_happened_gives_way_to_the_companies_the_evidence_names() -> None:
    ev, checks = run(cevent(cn=[party("Сиань", "Xi'an", "region")]))
    assert [p["name_en"] for p in ev[0]["cn_parties"]] == ["Shaanxi Tianrui Chemical"]
    assert checks[0]["place_not_a_party"] == "Xi'an"
    # with no company named, the model's city stays
    ev, checks = run(cevent(sentences=[3], cn=[party("Сиань", "Xi'an", "region")]), article=Article(
        id="x", text=TEXT.replace("Shaanxi Tianrui Chemical", "химия"), published="2026-03-12", language="kk"))
    assert [p["name_en"] for p in ev[0]["cn_parties"]] == ["Xi'an"] and "place_not_a_party" not in checks[0]


def test_a_generic_group_the_meeting_was_with_is_one_organization_and_a_topic_is_no_party() -> None:
    text = ("Жамбыл облысының әкімі Ерлан Сейітов Сиань қаласында Шэньси провинциясының губернаторы Ли Минмен және "
            "Қытайдың ірі химия компанияларының басшыларымен кездесті. Тараз қаласында зауыт салу талқыланды.")
    art = Article(id="g", text=text, published="2026-03-12", language="kk")
    ev, checks = run(cevent(sentences=[1], kz=[party("Ерлан Сейітов", "Erlan Seitov")],
                            cn=[party("Ли Мин", "Li Ming"), party("Қытай инвестициялары", "Chinese investments", "company")]),
                     article=art)
    cn = {p["name_en"]: p for p in ev[0]["cn_parties"]}
    assert set(cn) == {"Li Ming", "Shaanxi Province", "Heads of major Chinese chemical companies"}
    group = next(p for p in ev[0]["cn_parties"] if p["kind"] == "organization")
    assert group["name"] == "Қытайдың ірі химия компанияларының басшыларымен"
    assert "Chinese investments" not in cn and "Қытай инвестициялары" in checks[0]["dropped_parties"]
    # a company the side already has: no group added beside it
    ev, checks = run(cevent(sentences=[1], cn=[party("Ли Мин", "Li Ming"), party("Shaanxi Tianrui Chemical",
                                                                              "Shaanxi Tianrui Chemical", "company")]),
                     article=Article(id="h", text=text + " Shaanxi Tianrui Chemical", published=None, language="kk"))
    assert all(p["kind"] != "organization" for p in ev[0]["cn_parties"]) and "group_from_text" not in checks[0]


def test_a_projects_location_is_a_place_in_kazakhstan() -> None:
    proj = [{"what": "fertiliser plant", "where": "Сиань", "money": None, "status": "agreed"},
            {"what": "acid plant", "where": "Тараз", "money": None, "status": "agreed"}]
    ev, _ = run(cevent(projects=proj))
    assert [p["location"] for p in ev[0]["projects"]] == [None, "Taraz"]


def test_a_region_named_only_as_a_projects_site_is_not_whom_a_minister_represents() -> None:
    text = ("Kazakhstan's Minister of Energy Almas Nurov met Liu Ming, chairman of Hubei Wind Power, in Astana on Tuesday. "
            "The two sides signed an agreement to build a wind farm in Zhambyl Region worth about 450 million U.S. dollars.")
    art = Article(id="m", text=text, published="2026-10-14", language="en")
    ev, checks = run(cevent(sentences=[1, 2], place="Astana", kz=[party("Almas Nurov", "Almas Nurov")],
                            cn=[party("Liu Ming", "Liu Ming"), party("Hubei Wind Power", "Hubei Wind Power", "company")]),
                     article=art)
    assert [p["name_en"] for p in ev[0]["kz_parties"]] == ["Almas Nurov"]
    # the same region beside the name, or in the title, is his
    near = text.replace("Kazakhstan's Minister of Energy Almas Nurov", "Almas Nurov, akim of Zhambyl Region,")
    ev, _ = run(cevent(sentences=[1], place="Astana", kz=[party("Almas Nurov", "Almas Nurov")],
                       cn=[party("Liu Ming", "Liu Ming"), party("Hubei Wind Power", "Hubei Wind Power", "company")]),
                article=Article(id="n", text=near, published="2026-10-14", language="en"))
    assert [p["name_en"] for p in ev[0]["kz_parties"]] == ["Almas Nurov", "Jambyl Region"]


def test_chinese_posts_given_as_bodies_become_their_regions_and_the_document_is_what_the_text_says() -> None:
    text = ("2026年5月6日，哈萨克斯坦巴甫洛达尔州副州长阿斯兰·努罗夫在郑州会见了河南省副省长李华。"
            "双方签署了关于建设铜加工厂的合作备忘录，投资额约3亿美元。")
    art = Article(id="c", text=text, published="2026-05-07", language="zh")
    ev, checks = run(cevent(sentences=[1], place="郑州", docs=[{"kind": "framework_agreement", "about": "copper plant"}],
                            kz=[party("阿斯兰·努罗夫", "Aslan Nurov"), party("哈萨克斯坦巴甫洛达尔州副州长", "Deputy", "region")],
                            cn=[party("李华", "Li Hua"), party("河南省副省长", "Henan Vice-Governor", "region")],
                            projects=[{"what": "copper processing plant", "where": None, "money": None,
                                       "status": "agreed"}]), article=art)
    e = ev[0]
    assert {p["name"]: p["name_en"] for p in e["kz_parties"] if p["kind"] == "region"} == {"巴甫洛达尔州": "Pavlodar Region"}
    assert {p["name"]: p["name_en"] for p in e["cn_parties"] if p["kind"] == "region"} == {"河南": "Henan Province"}
    assert checks[0]["evidence_sentences"] == [1, 2]  # 双方签署 ... goes on with the outcome
    assert e["agreements"][0]["kind"] == "memorandum"  # 备忘录, whatever the model said
    assert e["projects"][0]["value"] == {"amount": 300e6, "currency": "USD", "qualifier": "about"}
    assert "metallurgy" in e["sectors"]


def test_one_occasion_said_twice_is_one_event_with_one_document_and_one_project() -> None:
    doc = [{"kind": "memorandum", "about": "fertiliser plant"}]
    first = cevent(type="signing", sentences=[2, 3], docs=doc,
                   projects=[{"what": "fertiliser plant", "where": "Тараз", "money": "80 млн АҚШ долларын",
                              "status": "agreed"}])
    second = cevent(type="signing", sentences=[3], docs=[{"kind": "memorandum", "about": "a plant in Taraz"}],
                    projects=[{"what": "plant in Taraz", "where": None, "money": "80 млн АҚШ долларын",
                               "status": "agreed"}])
    ev, checks = run(first, second)
    assert len(ev) == 1 and len(checks) == 1
    assert [a["subject"] for a in ev[0]["agreements"]] == ["fertiliser plant"]
    assert [p["description"] for p in ev[0]["projects"]] == ["fertiliser plant"]


def test_china_and_a_third_country_give_no_event() -> None:
    text = ("Uzbekistan and China sign deals\nTASHKENT, 3 June 2026 - Uzbekistan's President Aziz Karimov met "
            "Chinese Vice Premier Zhou Lin in Tashkent. The sides signed 12 agreements worth 5 billion US dollars.")
    art = Article(id="u", text=text, published="2026-06-03", language="en")
    ev, checks = run(cevent(sentences=[2, 3], place="Tashkent", type="signing",
                            kz=[party("Aziz Karimov", "Aziz Karimov", title="President of Uzbekistan")],
                            cn=[party("Zhou Lin", "Zhou Lin", title="Vice Premier of China")]), article=art)
    assert ev == [] and checks == []
    # in an article that also names Kazakhstan, the Uzbek president is still on neither side
    text2 = text + " Kazakhstan's Prime Minister Olzhas Bektenov joined them by video link."
    art2 = Article(id="u2", text=text2, published="2026-06-03", language="en")
    ev, checks = run(cevent(sentences=[2, 3, 4], place="Tashkent", type="signing",
                            kz=[party("Aziz Karimov", "Aziz Karimov", title="President of Uzbekistan"),
                                party("Olzhas Bektenov", "Olzhas Bektenov", title="Prime Minister of Kazakhstan")],
                            cn=[party("Zhou Lin", "Zhou Lin", title="Vice Premier of China")]), article=art2)
    assert [p["name_en"] for p in ev[0]["kz_parties"]] == ["Olzhas Bektenov"]
    assert checks[0]["third_country"] == ["Aziz Karimov"]


def test_a_company_the_text_introduces_as_chinese_is_on_the_china_side() -> None:
    text = ("Павлодар облысында Қытайдың Sino Alum Group компаниясы 2 млрд АҚШ долларын құрайтын алюминий "
            "кешенінің құрылысын бастады. Жоба аясында 3 мың жұмыс орны ашылады.")
    art = Article(id="k", text=text, published="2026-04-01", language="kk")
    ev, checks = run(cevent(sentences=[1], type="project", place="Pavlodar", country="KZ",
                            kz=[party("Sino Alum Group", "Sino Alum Group", "company")], cn=[],
                            projects=[{"what": "aluminium complex", "where": "Павлодар облысы",
                                       "money": "2 млрд АҚШ долларын", "status": "under_construction"}]),
                     article=art)
    assert [p["name_en"] for p in ev[0]["cn_parties"]] == ["Sino Alum Group"]
    assert checks[0]["moved_sides"] == ["Sino Alum Group"]
    assert [p["name_en"] for p in ev[0]["kz_parties"]] == ["Pavlodar Region"]  # where it is sited


def test_talks_at_a_forum_are_a_forum_and_what_was_signed_after_it_makes_a_signing() -> None:
    text = ("В Алматы прошёл деловой форум\nВ Алматы состоялся казахстанско-китайский деловой форум. "
            "Вице-министр Ерлан Сейтов и заместитель министра коммерции КНР Ли Фэй обсудили экспорт. "
            "По итогам форума подписаны контракты на поставку зерна на 120 млн долларов.")
    art = Article(id="f", text=text, published="2026-10-20", language="ru")
    kw: dict[str, Any] = {"place": "Almaty", "country": "KZ", "kz": [party("Ерлан Сейтов", "Yerlan Seitov")],
                          "cn": [party("Ли Фэй", "Li Fei")]}
    ev, checks = run(cevent(sentences=[2], **kw), article=Article(id="f0", text=text.rsplit(" По итогам", 1)[0],
                                                                   published="2026-10-20", language="ru"))
    assert ev[0]["type"] == "forum" and checks[0]["type_source"] == "forum_words"
    ev, checks = run(cevent(sentences=[2, 3], **kw), article=art)
    assert checks[0]["evidence_sentences"] == [2, 3, 4]
    assert ev[0]["type"] == "signing" and ev[0]["agreements"][0]["kind"] == "contract"
