from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.core.errors import InputError
from pipeline.ingest.articles import (
    InputFailure,
    clean_text,
    decode,
    decode_bytes,
    detect_language,
    iter_inputs,
    make_article,
    read_article,
)

from .conftest import CORPUS

RU = "Аким области провел встречу с делегацией китайской компании и обсудил строительство завода в регионе."
KK = "Облыс әкімі Қытай компаниясының делегациясымен кездесіп, өңірде зауыт салу мәселесін талқылады."


def test_corpus_articles_read_with_language_and_date() -> None:
    arts = {a.id[:3]: a for a in iter_inputs([CORPUS])}
    assert set(arts) == {"000", "001", "002", "003", "004"}
    assert all(not isinstance(a, InputFailure) for a in arts.values())
    assert [arts[k].language for k in sorted(arts)] == ["kk", "ru", "kk", "ru", "kk"]
    assert arts["001"].published == "2025-12-27"
    assert arts["003"].published == "2023-08-30"  # from the "Фото: ... 30.08.2023 00:30" line
    assert not arts["001"].text.startswith(" date")
    # page chrome at the end is gone; the closing prose stays
    assert "Telegram" not in arts["003"].text[-200:]
    assert "Пікір жазу" not in arts["004"].text


def test_date_line_sets_published_and_title() -> None:
    body, title, published = clean_text(" date 2026-01-27 Заголовок статьи\n" + RU)
    assert published == "2026-01-27"
    assert title == "Заголовок статьи"
    assert body.endswith("в регионе.")


def test_encodings() -> None:
    assert decode_bytes(b"\xef\xbb\xbf" + RU.encode()) == RU
    assert decode_bytes(RU.encode("utf-16")) == RU
    assert decode_bytes(RU.encode("cp1251")) == RU


@pytest.mark.parametrize("data,words", [
    (b"", "empty"), (b"   \n\t ", "empty"),
    (bytes(range(256)) * 20, "binary"), (b"\x00\x01\x02abc" * 100, "binary"),
    (b"\xfe\xff\xd8\x00", "undecodable"),
])
def test_bad_bytes_get_clear_errors(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        decode_bytes(data)


def test_not_an_article_and_too_large() -> None:
    with pytest.raises(InputError, match="not an article"):
        make_article("x", "Telegram\nПоделитесь:\n12")
    with pytest.raises(InputError, match="not an article"):
        make_article("x", "1,2,3,4,5,6,7,8,9\n" * 50)
    with pytest.raises(InputError, match="too large"):
        make_article("x", RU * 1000, max_chars=10_000)


def test_html_page_becomes_text() -> None:
    html = (f"<!DOCTYPE html><html><head><title>Завод</title><script>var x=1;</script></head>"
            f"<body><nav>Меню</nav><p>{RU}</p><footer>© 2025</footer></body></html>")
    a = make_article("h", html)
    assert a.title == "Завод"
    assert a.text == RU
    assert a.language == "ru"


def test_language_detection() -> None:
    assert detect_language(RU) == "ru"
    assert detect_language(KK) == "kk"
    assert detect_language("Kazakhstan and China signed an agreement on a new plant in Aktobe.") == "en"
    assert detect_language("哈萨克斯坦与中国签署了在阿克托别建设新工厂的协议。双方表示将加强合作。") == "zh"
    assert detect_language("12345 ... !!!") == "other"


def test_jsonl_inputs_and_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "a1", "text": RU, "title": "T", "date": "2025-01-02", "url": "http://x"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a3"}),
        json.dumps({"id": "a1", "text": KK}, ensure_ascii=False),
    ]), encoding="utf-8")
    items = list(iter_inputs([f]))
    assert [i.id for i in items] == ["a1", "feed:2", "feed:3", "a1~feed.jsonl:4"]  # a repeated id names its line
    assert items[0].published == "2025-01-02" and items[0].url == "http://x"
    assert isinstance(items[1], InputFailure) and "invalid JSON" in str(items[1].error)
    assert isinstance(items[2], InputFailure)
    assert items[3].language == "kk"


def test_missing_path_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_inputs([tmp_path / "nope"]))
    with pytest.raises(InputError, match="cannot read"):
        read_article(tmp_path)


ZH = "哈萨克斯坦与中国签署了在阿克托别建设新工厂的协议。双方表示将加强合作。\n2025年3月1日"
EN = "Kazakhstan and China signed an agreement on a new plant in Aktobe.\nBoth sides agreed to widen trade."


@pytest.mark.parametrize("text", [RU, KK, ZH, EN])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(text: str, codec: str) -> None:
    d = decode(text.encode(codec))
    assert d.text == text and d.encoding == codec
    assert any("byte-order mark" in w for w in d.warnings)


# Chinese with no ASCII at all: its only zero bytes are the low byte of 一 (U+4E00), so they fall
# where an ASCII text's high bytes would, and the byte order they suggest is the wrong one
ZH_ONE = "一家中国企业与哈萨克斯坦签署了一项协议，将在阿拉木图州建设一座新工厂。一期工程明年开工。"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_a_byte_order_mark_holding_u4e00_is_read(codec: str, tmp_path: Path) -> None:
    data = ZH_ONE.encode(codec)
    assert b"\x00" in data and data.isascii() is False
    d = decode(data)
    assert d.text == ZH_ONE and d.encoding == codec
    f = tmp_path / "zh.txt"
    f.write_bytes(data)
    assert read_article(f).language == "zh"


def test_binary_with_nul_bytes_is_still_binary() -> None:
    import random

    rng = random.Random(1)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(2000)) + b"\x00\x00"
        with pytest.raises(InputError, match="binary|undecodable"):
            decode(data)


def test_invalid_utf8_is_read_as_utf8_with_a_warning_not_as_mojibake() -> None:
    data = (RU + " " + KK).encode("utf-8")
    cut = data.index("завода".encode()) + 1  # inside the two bytes of "з"
    damaged = data[:cut] + data[cut + 1:]
    d = decode(damaged)
    assert d.encoding == "utf-8" and "\ufffd" in d.text
    assert "провел встречу" in d.text and "Қытай" in d.text  # the rest is as written, no mojibake
    assert d.warnings and "invalid UTF-8" in d.warnings[0]
    assert decode(RU.encode("cp1251")).text == RU  # a legacy file is still read as one


def test_input_warnings_reach_the_record(tmp_path: Path) -> None:
    from pipeline.extract import Extractor
    from pipeline.methods.prompts import load_prompt
    from pipeline.schema import load_schema
    from pipeline.testing import FakeBackend

    f = tmp_path / "damaged.txt"
    data = RU.encode("utf-8")
    f.write_bytes(data[:10] + b"\xff" + data[10:])
    art = read_article(f)
    rec = Extractor(FakeBackend(default={"events": []}), load_prompt("extract-v1"), load_schema("record.v1")).run(art)
    assert rec["provenance"]["input"]["encoding"] == "utf-8"
    assert "invalid UTF-8" in rec["provenance"]["input"]["warnings"][0]


def test_jsonl_lines_end_at_newline_only_and_bad_bytes_fail_one_line(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "sep", "text": RU + "\u2028" + RU + "\x1c" + RU}, ensure_ascii=False).encode(),
             b'{"id": "bad", "text": "\xff\xfe not utf-8"}',
             json.dumps({"id": "ok", "text": KK}, ensure_ascii=False).encode(),
             json.dumps({"id": "lone", "text": RU + "\ud800"}).encode(),
             json.dumps({"id": "x" * 500, "text": RU, "title": 7, "url": ["no"]}).encode()]
    f.write_bytes(b"\r\n".join(lines) + b"\n\n")
    items = list(iter_inputs([f]))
    assert len(items) == len(lines)  # one item per line, whatever the line holds
    assert items[0].id == "sep" and not isinstance(items[0], InputFailure) and "\u2028" in items[0].text
    assert isinstance(items[1], InputFailure) and "not UTF-8" in str(items[1].error)
    assert not isinstance(items[2], InputFailure)
    lone = items[3]
    assert not isinstance(lone, InputFailure) and lone.warnings and "\ud800" not in lone.text
    lone.text.encode("utf-8")
    long = items[4]
    assert not isinstance(long, InputFailure) and len(long.id) <= 200 and long.title is None and long.url is None
