"""The code has no import cycles, between modules or between apps (the floors
themselves are kept by the import-linter contracts in pyproject.toml, run by
`make lint`), and a function-level import of Fyren code is only allowed in an
AppConfig.ready()."""

import ast
from collections import defaultdict
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


def app_graph() -> dict[str, set[str]]:
    """App → the apps its code imports (tests and migrations left out)."""
    graph = grimp.build_graph("fyren")
    imports: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        if ".tests" in module or ".migrations" in module or module.count(".") < 1:
            continue
        app = module.split(".")[1]
        imports[app]  # every app is a node, even one that imports none
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("fyren.") and ".tests" not in imported:
                other = imported.split(".")[1]
                if other != app:
                    imports[app].add(other)
    return imports


def app_cycles(imports: dict[str, set[str]]) -> list[set[str]]:
    """The groups of apps that import each other round a loop (strongly connected
    components of more than one app; Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in imports.get(app, ()):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == app:
                    break
            if len(group) > 1:
                found.append(group)

    for app in sorted(imports):
        if app not in index:
            visit(app)
    return found


def test_the_cycle_finder_finds_cycles_between_apps():
    assert app_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert app_cycles({"a": {"b"}, "b": set()}) == []


def test_there_is_no_import_cycle_between_apps():
    assert app_cycles(app_graph()) == []


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
