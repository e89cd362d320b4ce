"""The house's structure, read from every module's syntax tree (imports inside functions too)."""

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("core", "gui", "cli", "db")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module an imported name belongs to (None for other libraries)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(name: str, path: Path) -> dict[str, int]:
    """{project module imported: line} for one module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            module = _resolve(target)
            if module and module != name:
                out.setdefault(module, node.lineno)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_among_the_projects_modules():
    assert _cycles() == []


def test_a_cycle_is_found_when_there_is_one():
    GRAPH["core.text"]["core.records"] = 1  # records imports text: this closes a loop
    try:
        assert any({"core.text", "core.records"} <= set(c) for c in _cycles())
    finally:
        del GRAPH["core.text"]["core.records"]


def test_core_top_level_stays_small():
    top = [p.name for p in (ROOT / "core").glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= 10, sorted(top)


def test_db_imports_nothing_from_core_but_its_errors():
    for name in (m for m in GRAPH if m.startswith("db")):
        assert {m for m in GRAPH[name] if m.startswith("core")} <= {"core", "core.errors"}, name


def test_core_never_imports_gui_or_cli():
    for name in (m for m in GRAPH if m.startswith("core")):
        assert not [m for m in GRAPH[name] if m.startswith(("gui", "cli"))], name


def test_no_guard_against_a_module_of_ours_being_missing():
    guards = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Try):
                continue
            ours = any(isinstance(s, (ast.Import, ast.ImportFrom)) and _resolve(
                s.names[0].name if isinstance(s, ast.Import) else (s.module or "")) for s in node.body)
            caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
            if ours and ("ImportError" in caught or "ModuleNotFoundError" in caught):
                guards.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert guards == []
