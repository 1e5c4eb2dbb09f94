"""The code has no import cycles (the floors themselves are kept by the
import-linter contracts in pyproject.toml, run by `make lint`), and a
function-level import of Fyren code is only allowed in an AppConfig.ready()."""

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_there_is_no_import_cycle():
    graph = grimp.build_graph("fyren")
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
    cycles = [
        (a, b)
        for a in modules
        for b in graph.find_modules_directly_imported_by(a)
        if b in modules and b != a and graph.chain_exists(importer=b, imported=a)
    ]
    assert cycles == []


def test_fyren_code_is_imported_at_the_top_of_modules():
    found = []
    for path in (ROOT / "fyren").rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative.endswith("apps.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.level or (inner.module or "").startswith("fyren")):
                        found.append(f"{relative}:{inner.lineno}")
    assert found == []
