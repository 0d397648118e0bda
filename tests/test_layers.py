"""The package's layers: no import cycle, and an import inside a function only for an optional or
heavy third-party module, with its reason written beside it. (Which stage may import which is
import-linter's contract in pyproject.toml, run by the test command.)"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import pipeline

PACKAGE = Path(pipeline.__file__).parent


def _imports_inside_functions(source: str) -> list[tuple[int, str]]:
    out = []
    for fn in ast.walk(ast.parse(source)):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(fn):
                if isinstance(node, ast.Import):
                    out += [(node.lineno, a.name) for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    out.append((node.lineno, "." * node.level + (node.module or "")))
    return out


def late_imports_without_reason(source: str) -> list[str]:
    lines = source.splitlines()
    bad = []
    for lineno, module in _imports_inside_functions(source):
        if module.startswith(("pipeline", ".")):
            bad.append(f"line {lineno}: {module} (the package's own module: import it at the top)")
        elif "#" not in lines[lineno - 1]:
            bad.append(f"line {lineno}: {module} (no reason written beside it)")
    return bad


def test_no_import_cycle_in_the_package() -> None:
    graph = grimp.build_graph("pipeline")
    cycles = [(m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m)
              if graph.chain_exists(importer=i, imported=m)]
    assert cycles == []


def test_imports_inside_functions_are_third_party_with_a_reason() -> None:
    found = {str(p.relative_to(PACKAGE)): late_imports_without_reason(p.read_text("utf-8"))
             for p in sorted(PACKAGE.rglob("*.py"))}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_check_catches_a_late_import() -> None:
    src = ("def f():\n    from pipeline.core import vocab\n    import json\n"
           "    import ray  # here: an optional extra\n")
    assert late_imports_without_reason(src) == [
        "line 2: pipeline.core (the package's own module: import it at the top)",
        "line 3: json (no reason written beside it)"]
