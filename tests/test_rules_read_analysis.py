"""The analysis is the only reading of the article the choose method's rules have.

``pipeline.methods.choose.rules`` may import nothing that reads text (no ``re``, no word lists, no finders,
no private name of any module) and may not touch an article's or a sentence's text (no ``.text``,
``.article``, ``.written`` or ``.sentence_text``, by attribute or ``getattr``): what a rule needs to
know of a sentence or a candidate is a feature of the ``Analysis`` (``pipeline.analyse.features``).
Its words are data (``pipeline/data``), so no Cyrillic or Han string stands in the rules either.

The analysis itself is free of import cycles, and does not import the scorer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pipeline
import pipeline.methods.choose.rules as rules_module
from pipeline.methods.choose.rules import RULES

PACKAGE = Path(pipeline.__file__).parent
ALLOWED_IMPORTS = frozenset({"__future__", "dataclasses", "typing", "collections.abc",
                             "pipeline.analyse", "pipeline.analyse.quotes", "pipeline.methods.choose.checks"})
FORBIDDEN_ATTRIBUTES = frozenset({"text", "article", "written", "sentence_text"})
_SCRIPT = re.compile(r"[\u0400-\u04ff\u3400-\u4dbf\u4e00-\u9fff]")  # Cyrillic, Han


def _resolve(module: str, node: ast.ImportFrom, is_package: bool = False) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def violations(source: str, module: str = "pipeline.methods.choose.rules") -> list[str]:
    """Every way ``source`` reads text itself rather than through the analysis."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [f"line {node.lineno}: import {a.name}" for a in node.names if a.name not in ALLOWED_IMPORTS]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if target not in ALLOWED_IMPORTS:
                out.append(f"line {node.lineno}: from {target} import ...")
            out += [f"line {node.lineno}: private {a.name} from {target}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            out.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "eval", "exec") \
                and any(isinstance(a, ast.Constant) and a.value in FORBIDDEN_ATTRIBUTES for a in node.args):
            out.append(f"line {node.lineno}: getattr of text")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _SCRIPT.search(node.value):
            out.append(f"line {node.lineno}: a Cyrillic or Han string")
    return out


def test_rules_read_the_analysis_only() -> None:
    source = Path(rules_module.__file__).read_text("utf-8")
    assert violations(source) == []


def test_every_rule_is_in_the_checked_module() -> None:
    assert RULES
    assert {r.fn.__module__ for r in RULES} == {"pipeline.methods.choose.rules"}


def test_the_check_catches_each_way_of_reading_text() -> None:
    bad = {
        "import re": "import re",
        "from pipeline.core.lexicon import has_stem": "from pipeline.core.lexicon",
        "from pipeline.analyse.finders import person_country": "from pipeline.analyse.finders",
        "from pipeline.analyse import _helper": "private _helper",
        "def r(d, a, note):\n    return a.article.text": ".text",
        "def r(d, a, note):\n    return [s.text[:9] for s in a.sentences]": ".text",
        "def r(d, a, note):\n    return getattr(a, 'article')": "getattr",
        "def r(d, a, note):\n    return a.sentence_text(d.sentences)": ".sentence_text",
        "def r(d, a, note):\n    return c.written(t)": ".written",
        "X = '" + "".join(map(chr, (0x432, 0x20, 0x41F, 0x435, 0x43A, 0x438, 0x43D, 0x435))) + "'": "Cyrillic",
        "X = '" + chr(0x5728) + "'": "Han",
    }
    for source, said in bad.items():
        found = violations(source)
        assert any(said in f for f in found), (source, found)
    assert violations("from pipeline.analyse import Analysis\nfrom pipeline.methods.choose.checks import Draft\n\ndef r(d, a, note):\n"
                      "    return [f.n for f in a.told(d.sentences) if f.past]\n") == []


# ------------------------------------------------------------------ import cycles


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The pipeline modules ``path`` imports, at module level or inside a function (an import that only
    type checking runs is not one)."""
    tree = ast.parse(path.read_text("utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    name = _module_name(path)
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, node, is_package=path.name == "__init__.py")
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.add(sub if sub in modules else target)
    return {m for m in out if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {m: _imports(p, set(files)) for m, p in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected parts of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = set()
            while True:
                w = stack.pop()
                on.discard(w)
                part.add(w)
                if w == v:
                    break
            if len(part) > 1:
                out.append(part)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_analysis_has_no_import_cycle() -> None:
    cycles = [c for c in _cycles(_graph()) if any(m.startswith("pipeline.analyse") for m in c)]
    assert cycles == []


def test_the_cycle_check_sees_an_import_inside_a_function() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [{"a", "b"}]
    finders = PACKAGE / "analyse" / "finders.py"
    assert "pipeline.analyse.model" in _imports(finders, set(_graph()))


def test_the_analysis_does_not_import_the_scorer() -> None:
    graph = _graph()
    for m, deps in graph.items():
        if m.startswith("pipeline.analyse"):
            assert not deps & {"pipeline.evaluation.score", "pipeline.evaluation.evaluate"}, m
