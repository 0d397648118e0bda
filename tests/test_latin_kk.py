"""Finder set 5: Kazakh in the 2018 Latin alphabet read as Cyrillic Kazakh (pipeline/analyse/latin_kk.py),
and a company's side from a country adjective before it in any letter case (tidy.side_from_words_before).
Every text here is invented."""

from __future__ import annotations

from pipeline.analyse import analyse
from pipeline.analyse.latin_kk import cyrillic_reading, is_latin_kazakh
from pipeline.ingest.articles import Article

LATIN = ("Jambyl oblysynyń ákimi Erlan Seıtov qytaılyq «Blue Harbor Trading» kompanııasynyń ókilderin qabyldady. "
         "Kezdesýde Taraz qalasynda tyńaıtqysh zaýytyn salý máselesi talqylandy. "
         "Taraptar yntymaqtastyq týraly memorandýmǵa qol qoıdy.")


def _article(text: str, language: str = "kk") -> Article:
    return Article(id="t", text=text, published="2020-05-14", language=language)


def test_only_kazakh_in_the_latin_alphabet_is_read_so() -> None:
    assert is_latin_kazakh(LATIN)
    assert not is_latin_kazakh("The akim of Jambyl Region met representatives of a Chinese company in Taraz.")
    assert not is_latin_kazakh("Kazakistan ve Çin arasında ışık, doğa ve güneş enerjisi anlaşması imzalandı.")
    assert not is_latin_kazakh("Жамбыл облысының әкімі қытайлық компания өкілдерін қабылдады.")
    assert not is_latin_kazakh("")
    assert cyrillic_reading("A plain English sentence.") is None


def test_the_reading_maps_every_letter_back_to_the_text() -> None:
    r = cyrillic_reading(LATIN)
    assert r is not None
    assert len(r.padded) == len(LATIN) and len(r.starts) == len(r.ends) == len(r.text) < len(LATIN)
    assert "\u043e\u0431\u043b\u044b\u0441\u044b\u043d\u044b\u04a3" in r.text  # the region word, in Cyrillic
    assert "\u00abBlue Harbor Trading\u00bb" in r.text  # a quoted name stays as its owner writes it
    # a two-letter spelling is one letter of the reading, and maps back to both letters
    at = LATIN.index("tyńaıtqysh")
    sh = next(i for i, s in enumerate(r.starts) if s == at + len("tyńaıtqy"))
    assert LATIN[r.starts[sh]:r.ends[sh]] == "sh" and r.text[sh] == "\u0448"
    # every word of the padded reading starts where the word starts in the text
    assert r.padded.index("\u041a\u0435\u0437\u0434\u0435\u0441") == LATIN.index("Kezdes")


def test_set_five_reads_the_page_and_keeps_its_words() -> None:
    a = _article(LATIN)
    five = analyse(a, 2, 5)
    four = analyse(a, 2, 4)
    found = {c.en: c for c in five.candidates}
    assert found["Jambyl Region"].country == "KZ"
    assert found["Blue Harbor Trading"].country == "CN"  # "qytaılyq": Chinese
    seitov = next(c for c in five.candidates if c.kind == "person")
    assert seitov.country == "KZ" and seitov.name == "Erlan Seıtov"  # the article's own spelling
    for c in five.candidates:
        for sp in c.spans:
            assert LATIN[sp.start:sp.end].startswith(c.name[:4])
    assert all(LATIN[s.start:s.end] == s.text for s in five.sentences)
    assert "Jambyl Region" not in {c.en for c in four.candidates}
    # what the rules read is read in Cyrillic: the reception, the signing
    first, _, third = five.read
    assert first.received and first.meeting and third.signed and third.document


def test_a_country_adjective_in_lower_case_gives_a_company_its_side() -> None:
    text = ("\u0410\u043a\u0438\u043c \u043e\u0431\u043b\u044b\u0441\u0430 \u049b\u044b\u0442\u0430\u0439\u043b\u044b\u049b "
            "\u00abBlue Harbor Trading\u00bb \u043a\u043e\u043c\u043f\u0430\u043d\u0438\u044f\u0441\u044b\u043d\u044b\u04a3 "
            "\u04e9\u043a\u0456\u043b\u0434\u0435\u0440\u0456\u043d \u049b\u0430\u0431\u044b\u043b\u0434\u0430\u0434\u044b.")
    side = {n: {c.en: c.country for c in analyse(_article(text), 2, n).candidates}.get("Blue Harbor Trading")
            for n in (4, 5)}
    assert side == {4: None, 5: "CN"}
    english = "The akim met a delegation of the Kazakh company Steppe Grain Logistics LLP in Taraz."
    assert {c.en: c.country for c in analyse(_article(english, "en"), 2, 5).candidates}.get(
        "Steppe Grain Logistics") == "KZ"
