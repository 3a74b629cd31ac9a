"""The shape the code keeps (docs/architecture.md): small modules, short functions, no
module reaching into another's private names, and imports that never go round in a circle.

These read the source as text (ast), so they hold for every module, tested or not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "finmodel"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(name: str, path: Path) -> list[tuple[str, str | None, int]]:
    """(module imported, name taken from it or None, line) for every finmodel import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.startswith("finmodel")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.startswith("finmodel"):
                out += [(base, a.name, node.lineno) for a in node.names]
    return out


def test_no_module_is_over_400_lines():
    long = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    assert {n: c for n, c in long.items() if c > MAX_MODULE_LINES} == {}


def test_no_function_is_over_60_lines():
    long = {}
    for name, path in MODULES.items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if lines > MAX_FUNCTION_LINES:
                    long[f"{name}.{node.name}"] = lines
    assert long == {}


def test_no_module_imports_another_modules_private_name():
    private = []
    for name, path in MODULES.items():
        for module, taken, line in _imports(name, path):
            if module != name and (taken or "").startswith("_") and taken != "__version__":
                private.append(f"{name}:{line} takes {module}.{taken}")
            if any(part.startswith("_") and part != "__init__" for part in module.split(".")[1:]):
                private.append(f"{name}:{line} imports private module {module}")
    assert private == []


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {n: set() for n in MODULES}
    for name, path in MODULES.items():
        for module, taken, _ in _imports(name, path):
            target = f"{module}.{taken}" if taken and f"{module}.{taken}" in MODULES else module
            while target not in MODULES and "." in target:
                target = target.rpartition(".")[0]
            if target in MODULES and target != name:
                graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_circle():
    # A package importing its own submodules (re-exports) is not a circle of modules.
    graph = {n: {t for t in ts if not t.startswith(n + ".")} for n, ts in _graph().items()}
    assert _cycle(graph) is None


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("source, private", [("from finmodel.x import _y", True), ("from finmodel.x import y", False)])
def test_the_private_import_check_sees_private_names(tmp_path, source, private):
    path = tmp_path / "m.py"
    path.write_text(source)
    taken = [t for _, t, _ in _imports("finmodel.m", path)]
    assert taken[0].startswith("_") is private
