from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest import (
    InputFailure,
    clean_text,
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
    assert [i.id for i in items] == ["a1", "feed:2", "feed:3", "a1~2"]
    assert items[0].published == "2025-01-02" and items[0].url == "http://x"
    assert isinstance(items[1], InputFailure) and "invalid JSON" in str(items[1].error)
    assert isinstance(items[2], InputFailure)
    assert items[3].language == "kk"


def test_missing_path_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_inputs([tmp_path / "nope"]))
    with pytest.raises(InputError, match="cannot read"):
        read_article(tmp_path)
