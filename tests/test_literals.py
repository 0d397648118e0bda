"""No Kazakh, Russian or Chinese word is written in the code: every word list, table and word pattern
is data (``pipeline/data/*.json``, read by ``pipeline/core/vocab.py``).

A string literal under ``pipeline/`` may not hold a Cyrillic letter (U+0400-U+04FF) or a Han character
(U+3400-U+4DBF, U+4E00-U+9FFF, U+F900-U+FAFF). The source text of each literal is read (``tokenize``), so a
script range written with escapes (``[\\u4e00-\\u9fff]``) passes. Comments and docstrings may quote
words as examples; CJK punctuation and full-width forms (。, ！, （）) are punctuation, not words.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from pipeline.core.config import repo_root

FORBIDDEN = re.compile(r"[\u0400-\u04ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")



def _docstring_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def literals_with_words(source: str) -> list[tuple[int, str]]:
    """(line, literal) for each string literal (f-string parts included, docstrings not) with a
    Cyrillic letter or a Han character in its source text."""
    docs = _docstring_lines(ast.parse(source))
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in kinds and tok.start[0] not in docs and FORBIDDEN.search(tok.string):
            out.append((tok.start[0], tok.string))
    return out


def _files() -> list[Path]:
    root = repo_root()
    return sorted(p for p in (root / "pipeline").rglob("*.py"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.relative_to(repo_root()).as_posix())
def test_no_word_literal_in_the_code(path: Path) -> None:
    found = literals_with_words(path.read_text("utf-8"))
    assert not found, "words belong in pipeline/data/*.json: " + "; ".join(f"line {n}: {s[:60]}" for n, s in found)


def test_the_check_sees_words_and_passes_escapes_comments_and_docstrings() -> None:
    bad = 'X = ["\u043c\u043b\u043d"]\nY = re.compile(r"\u7ea6|about")\nZ = f"{a}\u0430"\n'
    assert [n for n, _ in literals_with_words(bad)] == [1, 2, 3]
    fine = ('"""\u043f\u043e\u0434\u043f\u0438\u0441 in a docstring."""\n'
            '# \u0430\u043a\u0438\u043c in a comment\n'
            'H = re.compile(r"[\\u4e00-\\u9fff]")\nP = "\u3002"\n')
    assert literals_with_words(fine) == []

