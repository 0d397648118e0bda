"""Ingest: turn files as published into clean ``Article`` values.

Copes with what news pages are: a leading `` date YYYY-MM-DD`` line, a title
line, page chrome (share buttons, counters, comment prompts) at the ends,
UTF-8 with or without BOM, UTF-16 with or without BOM, Windows-1251, and HTML.
Every problem with one input becomes an ``InputError`` for that input only.
What was repaired on the way (a few invalid UTF-8 bytes, a lone surrogate) is
said in the article's ``warnings``, which the record carries.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from pipeline.core import vocab
from pipeline.core.config import MIN_ARTICLE_CHARS
from pipeline.core.errors import InputError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
MIN_CHARS = MIN_ARTICLE_CHARS
MAX_ID_CHARS = 200  # the record schema allows 300; longer ids are cut and keep a hash of the whole

KAZAKH_LETTERS = set(vocab.text("ingest", "kazakh_letters"))


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    published: str | None = None
    language: str = "other"
    source: str | None = None
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def provenance(self) -> dict[str, object]:
        """Where the article came from, for the record's ``provenance.input``."""
        out: dict[str, object] = {"source": self.source, "title": self.title, "url": self.url,
                                  "chars": len(self.text), "sha256": self.sha256}
        if self.meta.get("encoding"):
            out["encoding"] = self.meta["encoding"]
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass(frozen=True)
class InputFailure:
    """An input that could not become an article, kept so a batch loses nothing."""

    id: str
    error: InputError
    source: str | None = None


# ---------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes) -> str:
    """Bytes to text (see ``decode``)."""
    return decode(data).text


def decode(data: bytes) -> Decoded:
    """Bytes to text: BOMs first, then strict UTF-8, then UTF-16 without a BOM, then UTF-8
    with a few damaged bytes (replaced, with a warning), then a detected legacy codec."""
    if not data.strip():
        raise InputError("empty input: the file holds no text")
    if data.startswith(b"\xef\xbb\xbf"):
        out = Decoded(_strict(data[3:], "utf-8"), "utf-8-sig")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        out = Decoded(_strict(data, "utf-16"), "utf-16")
    else:
        try:
            out = Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError as e:
            out = _not_utf8(data, e)
        else:
            # UTF-16 of ASCII or Cyrillic letters is valid UTF-8 too (letters and NULs)
            utf16 = _utf16_without_bom(data) if "\x00" in out.text[:4096] else None
            out = utf16 or out
    if _control_ratio(out.text) > 0.01:
        raise InputError("binary input: too many control characters for a text article")
    return out


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> Decoded:
    if b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError("binary input: not a text article (NUL bytes, and not UTF-16 text)")
        return utf16
    damaged = _damaged_utf8(data, error)
    if damaged is not None:
        return damaged
    best = from_bytes(data).best()
    if best is None:
        raise InputError("undecodable input: not UTF-8 and no known encoding fits")
    return Decoded(str(best), str(best.encoding))


# the Unicode blocks news text is written in: a decoding that lands elsewhere is not text
_TEXT_BLOCKS = ((0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x52F), (0x2000, 0x206F),
                (0x20A0, 0x20BF), (0x2100, 0x214F), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
                (0xFF00, 0xFFEF))


def _in_text_blocks(ch: str) -> bool:
    o = ord(ch)
    return any(a <= o <= b for a, b in _TEXT_BLOCKS)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text saved without a byte-order mark: the byte order under which the whole
    file decodes and almost every character is in the blocks news is written in."""
    body = data[: len(data) - len(data) % 2]
    # the high byte of ASCII and of most punctuation is 0: where the NULs fall says which order
    # to try first; the other is tried too (in Chinese text a NUL is as likely the low byte, as in
    # U+4E00 "一", whose little-endian bytes are 00 4E)
    head = body[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    order = ("utf-16-be", "utf-16-le") if even > odd else ("utf-16-le", "utf-16-be")
    for n, codec in enumerate(order):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        if n == 1 and not _zero_bytes_from_han(sample):
            continue  # against where the zero bytes fall: only Han characters such as 一 explain them
        if sample and sum(map(_in_text_blocks, sample)) >= 0.97 * len(sample) \
                and len(_LETTER.findall(sample)) >= 0.3 * len(sample):
            warnings: tuple[str, ...] = ("UTF-16 without a byte-order mark: read as " + codec.upper(),)
            if len(data) % 2:
                warnings += ("the file ends with half a UTF-16 character, which was dropped",)
            return Decoded(text, codec, warnings)
    return None


def _zero_bytes_from_han(text: str) -> bool:
    """Most characters of ``text`` that hold a zero byte are Han characters (U+4E00 一, U+5000 倀, ...)."""
    han = other = 0
    for ch in text:
        o = ord(ch)
        if o < 0x100 or not o & 0xFF:
            if 0x3400 <= o <= 0x9FFF:
                han += 1
            else:
                other += 1
    return han > other


def _damaged_utf8(data: bytes, error: UnicodeDecodeError) -> Decoded | None:
    """UTF-8 with a few invalid bytes (a cut character, a stray byte): read as UTF-8 with the
    bad bytes replaced by U+FFFD and a warning, never as a legacy code page (mojibake)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if good < 3 or bad > max(4, good // 20):
        return None  # mostly not UTF-8: a legacy encoding
    return Decoded(text, "utf-8", (f"invalid UTF-8: {bad} byte sequence(s) replaced by U+FFFD "
                                   f"(the first at byte {error.start}); the rest read as UTF-8",))


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(f"undecodable input: invalid {codec} ({e.reason} at byte {e.start})") from e


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_KAZAKH = re.compile("[" + "".join(sorted(KAZAKH_LETTERS)) + "]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = len(_CONTROL.findall(text, 0, 20000))
    return bad / min(len(text), 20000)


# ---------------------------------------------------------------- HTML


class _TextExtractor(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str | None]:
    p = _TextExtractor()
    p.feed(html)
    p.close()
    text = "".join(p.parts)
    text = "\n".join(re.sub(r"[ \t\xa0]+", " ", ln).strip() for ln in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip(), p.title


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


# ---------------------------------------------------------------- cleaning

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$", re.IGNORECASE)
_DMY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_ISO = re.compile(r"\b(20\d{2}|19\d{2})-(\d{2})-(\d{2})\b")

# Page chrome seen on news sites in the four languages: share, subscribe,
# comment and navigation prompts. Matched on whole short lines only.
_CHROME = vocab.regex("ingest", "chrome")


def _is_chrome(line: str) -> bool:
    s = line.strip()
    if not s:
        return True
    if re.fullmatch(r"[\d\s.,:/|•·-]+", s):  # counters, bare dates and times
        return True
    return len(s) < 90 and bool(_CHROME.match(s))


def clean_text(raw: str) -> tuple[str, str | None, str | None]:
    """Return (body, title, published) from an article as published."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    lines = [ln.rstrip() for ln in text.split("\n")]
    published: str | None = None
    title: str | None = None

    # Leading `` date YYYY-MM-DD Title`` line.
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines:
        m = _DATE_LINE.match(lines[0])
        if m:
            published = m.group(1)
            rest = m.group(2).strip()
            lines[0] = rest
            if not rest:
                lines.pop(0)

    # Leading and trailing chrome, then repeated title lines.
    while lines and _is_chrome(lines[0]):
        lines.pop(0)
    while lines and _is_chrome(lines[-1]):
        lines.pop()
    kept: list[str] = []
    for ln in lines:
        s = ln.strip()
        if kept and s and s == kept[-1].strip():
            continue  # a title printed twice
        if s and _is_chrome(ln) and len(s) < 40:
            # a stray chrome line in the middle; a date line may give the publication date
            if published is None:
                published = _date_from_line(s)
            continue
        kept.append(ln)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    first = next((ln.strip() for ln in kept if ln.strip()), None)
    if first and len(first) < 200 and not first.endswith((".", "!", "?", "。")):
        title = first
    if published is None:
        published = _date_from_line(body[:600])
    return body, title, published


def _date_from_line(s: str) -> str | None:
    m = _ISO.search(s)
    if m and _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        return m.group(0)
    m = _DMY.search(s)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _valid(y: int, m: int, d: int) -> bool:
    return 1990 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31


# ---------------------------------------------------------------- language


def detect_language(text: str) -> str:
    """kk / ru / en / zh / other from the letters alone (no model)."""
    sample = text[:5000]
    han = len(_HAN.findall(sample))
    cyr = len(_CYRILLIC.findall(sample))
    lat = len(_ASCII_LETTER.findall(sample))
    total = han + cyr + lat
    if total < 20:
        return "other"
    if han / total > 0.3:
        return "zh"
    if cyr >= lat:
        kk = len(_KAZAKH.findall(sample))
        return "kk" if kk / max(cyr, 1) > 0.015 else "ru"
    return "en" if lat / total > 0.6 else "other"


# ---------------------------------------------------------------- articles


def make_article(
    article_id: str,
    raw: str,
    *,
    source: str | None = None,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    max_chars: int = 60_000,
    encoding: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Article:
    """Clean one article's text and check that it is something to extract from."""
    html_title = None
    if looks_like_html(raw):
        raw, html_title = html_to_text(raw)
    body, found_title, found_date = clean_text(raw)
    if len(body) < MIN_CHARS:
        raise InputError(
            f"not an article: {len(body)} characters of text after cleaning (need {MIN_CHARS})"
        )
    if len(body) > max_chars:
        raise InputError(
            f"article too large: {len(body):,} characters (limit {max_chars:,}); "
            "split it into articles or raise --max-chars"
        )
    letters = len(_LETTER.findall(body, 0, 5000))
    if letters / min(len(body), 5000) < 0.4:
        raise InputError("not an article: too few letters for prose (data, code or markup?)")
    return Article(
        id=article_id,
        text=body,
        title=title or html_title or found_title,
        published=published or found_date,
        language=detect_language(body),
        source=source,
        url=url,
        meta={"encoding": encoding} if encoding else {},
        warnings=warnings,
    )


def max_input_bytes(max_chars: int) -> int:
    """The most bytes read for one article: 4 bytes a character for ``max_chars`` characters,
    and room for what cleaning removes (HTML tags, page chrome)."""
    return max_chars * 4 + 1_000_000


def read_limited(fh: BinaryIO, max_chars: int, what: str) -> bytes:
    """At most ``max_input_bytes(max_chars)`` bytes of a file, a pipe or standard input; an
    ``InputError`` when there are more (reading stops there: an endless stream is never held)."""
    limit = max_input_bytes(max_chars)
    try:
        data = fh.read(limit + 1)
    except OSError as e:
        raise InputError(f"cannot read {what}: {e.strerror or type(e).__name__}") from e
    if len(data) > limit:
        raise InputError(f"article too large: {what} holds more than {limit:,} bytes, more than "
                         f"--max-chars {max_chars:,} characters can need; reading stopped there: "
                         "split it or raise --max-chars")
    return bytes(data)


def read_article(path: Path, article_id: str | None = None, max_chars: int = 60_000) -> Article:
    aid = article_id or path.stem
    try:
        if isinstance(path, Path):  # a file, a FIFO or a process substitution: read no further than needed
            with path.open("rb") as fh:
                data = read_limited(fh, max_chars, str(path))
        else:  # a file by URI, or bytes read ahead (pipeline.storage.remote)
            data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    if len(data) > max_input_bytes(max_chars):
        raise InputError(f"article too large: {len(data):,} bytes; split it or raise --max-chars")
    d = decode(data)
    return make_article(aid, d.text, source=str(path), max_chars=max_chars, encoding=d.encoding, warnings=d.warnings)


def discover(paths: list[Path], exclude: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """Files under the given paths with a known suffix, sorted, each once, with each one's
    name relative to the path it was found under (``sub/a.txt`` under a folder; a named file's
    own name). A file found inside a folder that is one of ``exclude`` (the run's own output)
    is left out."""
    skip = {_resolved(x) for x in exclude}
    found: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            found.extend((f, f.relative_to(p).as_posix()) for f in sorted(p.rglob("*"))
                         if f.is_file() and f.suffix.lower() in SUFFIXES and _resolved(f) not in skip)
        elif p.exists():
            found.append((p, str(getattr(p, "rel", "") or p.name)))
        else:
            raise InputError(f"no such file or directory: {p}")
    seen: set[Path] = set()
    out = []
    for f, rel in found:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            out.append((f, rel))
    return out


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p.absolute()


def clean_id(raw: str) -> str:
    """An article id as records can hold it: valid Unicode, at most MAX_ID_CHARS characters
    (a longer one keeps its start and a hash of the whole)."""
    aid = _valid_unicode(raw).strip() or "article"
    if len(aid) > MAX_ID_CHARS:
        aid = aid[: MAX_ID_CHARS - 18] + "~" + hashlib.sha256(aid.encode()).hexdigest()[:16]
    return aid


def _valid_unicode(s: str) -> str:
    """Lone surrogates (from a file name in an unknown encoding, or a JSON escape) become U+FFFD."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def article_id_for(rel: str) -> str:
    """A file's article id: its name relative to the folder it was found under, without the
    suffix (``b_later/news`` for ``b_later/news.txt``); in a flat folder, or for a file named
    itself, that is the file's stem."""
    parts = rel.split("/")
    return "/".join([*parts[:-1], Path(parts[-1]).stem])


def iter_inputs(paths: list[Path], max_chars: int = 60_000, exclude: Iterable[Path] = (),
                read: Callable[[Path, str, int], Any] = read_article) -> Iterator[Article | InputFailure]:
    """Every article under ``paths``; a bad one yields an ``InputFailure`` in its place.
    Every non-blank line of a ``.jsonl`` file yields exactly one of the two. ``read(file,
    article_id, max_chars)`` reads a file of one article (batch --ray passes one that hands the
    file on unread, for its workers to read).

    An article's id depends on the article alone, never on what else was found (so adding a
    file never changes another's id, and a resumed batch matches its articles by id):

    - a file: its name relative to the folder named on the command line, without the suffix
      (``article_id_for``); in a flat folder, its stem;
    - a ``.jsonl`` line: its ``id``; without one, ``<the file's id>:<line number>``;
    - when two inputs would get the same id (``a.txt`` beside ``a.md``, one name under two
      named folders, an id repeated in a ``.jsonl``), one keeps it: a file before a ``.jsonl``
      line, then by suffix (``.txt``, ``.md``, ``.html``, ``.htm``), then the first found; the
      others' ids say which input they are: the file's name with its suffix (``a.md``), or
      ``<id>~<file>:<line>`` for a ``.jsonl`` line; a name still taken gets ``~`` and a short
      hash of where the input was found."""
    found = discover(paths, exclude)
    # which file keeps an id that two files would share: the first by suffix (.txt, .md, .html,
    # .htm), then in the order found; so a .md put beside a .txt never renames the .txt
    keeps: dict[str, tuple[int, int]] = {}
    for i, (f, rel) in enumerate(found):
        if f.suffix.lower() != ".jsonl":
            rank = (SUFFIXES.index(f.suffix.lower()) if f.suffix.lower() in SUFFIXES else len(SUFFIXES), i)
            base = clean_id(article_id_for(rel))
            keeps[base] = min(keeps.get(base, rank), rank)
    used: set[str] = set()

    def unique(raw: str, alt: str, where: str, rank: tuple[int, int] | None = None) -> str:
        aid = clean_id(raw)
        if aid in used or (aid in keeps and keeps[aid] != rank):  # taken, or kept for a file
            aid = clean_id(alt)
        if aid in used:
            aid = clean_id(f"{alt}~{hashlib.sha256(where.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}")
        n = 2
        base = aid
        while aid in used:  # the same file reached twice under different names: never two lines of one id
            aid, n = f"{base}~{n}", n + 1
        used.add(aid)
        return aid

    for i, (f, rel) in enumerate(found):
        if f.suffix.lower() == ".jsonl":
            yield from _iter_jsonl(f, rel, unique, max_chars)
            continue
        rank = (SUFFIXES.index(f.suffix.lower()) if f.suffix.lower() in SUFFIXES else len(SUFFIXES), i)
        aid = unique(article_id_for(rel), rel, str(_resolved(f)), rank)
        try:
            yield read(f, aid, max_chars)
        except InputError as e:
            yield InputFailure(aid, e, str(f))


_BLANK = b" \t\r\x0b\x0c"


def _jsonl_lines(data: bytes) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text or the error for that line) for each non-blank line. Lines end at
    "\n" only (a JSON string may hold U+2028 and other separators). UTF-8, or a whole file
    in UTF-16 (a file that starts like UTF-16 but does not decode as it is read line by line);
    a line that is not UTF-8 is an error for that line alone."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in data[:4096] and _utf16_without_bom(data)):
        try:
            text = decode(data).text
        except InputError:
            text = None  # bytes that only look like UTF-16 (a stray mark): read line by line below
        if text is not None:
            for n, line in enumerate(text.split("\n"), 1):
                if line.strip(" \t\r\x0b\x0c"):
                    yield n, line
            return
    for n, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip(_BLANK):
            continue
        try:
            yield n, raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield n, InputError(f"line {n}: not UTF-8 ({e.reason} at byte {e.start} of the line)")


def _str_or_none(v: object) -> str | None:
    return _valid_unicode(v).strip() or None if isinstance(v, str) else None


def _iter_jsonl(f: Path, rel: str, unique: Callable[..., str], max_chars: int) -> Iterator[Article | InputFailure]:
    fid, at = article_id_for(rel), str(_resolved(f))
    try:
        data = f.read_bytes()
        lines = list(_jsonl_lines(data))
    except (InputError, OSError) as e:
        err = e if isinstance(e, InputError) else InputError(f"cannot read {f}: {e}")
        yield InputFailure(unique(fid, rel, at), err, str(f))
        return
    if not lines:
        yield InputFailure(unique(fid, rel, at), InputError("empty input: the .jsonl file holds no lines"), str(f))
        return
    for n, line in lines:
        fallback, alt = f"{fid}:{n}", f"{rel}:{n}"
        if isinstance(line, InputError):
            yield InputFailure(unique(fallback, alt, f"{at}:{n}"), line, f"{f}:{n}")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputFailure(unique(fallback, alt, f"{at}:{n}"), InputError(f"line {n}: invalid JSON ({e.msg})"), f"{f}:{n}")
            continue
        except RecursionError:
            yield InputFailure(unique(fallback, alt, f"{at}:{n}"), InputError(f"line {n}: JSON nested too deeply"), f"{f}:{n}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield InputFailure(unique(fallback, alt, f"{at}:{n}"), InputError(f"line {n}: needs an object with a 'text' string"),
                               f"{f}:{n}")
            continue
        raw_id = obj.get("id")
        if raw_id not in (None, "", False) and not isinstance(raw_id, (dict, list)):
            aid = unique(str(raw_id), f"{raw_id}~{alt}", f"{at}:{n}")
        else:
            aid = unique(fallback, alt, f"{at}:{n}")
        text = _valid_unicode(obj["text"])
        warnings = ("the text held lone surrogates (invalid Unicode), replaced by U+FFFD",) \
            if text != obj["text"] else ()
        try:
            yield make_article(
                aid,
                text,
                source=f"{f}:{n}",
                title=_str_or_none(obj.get("title")),
                published=_norm_date(obj.get("date")),
                url=_str_or_none(obj.get("url")),
                max_chars=max_chars,
                warnings=warnings,
            )
        except InputError as e:
            yield InputFailure(aid, e, f"{f}:{n}")


def _norm_date(v: object) -> str | None:
    if not isinstance(v, str):
        return None
    return _date_from_line(v)
