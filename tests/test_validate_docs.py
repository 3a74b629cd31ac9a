"""docs/errors.md lists every finding kind the code can produce, in the finance team's words
(a scenario file's kinds are in docs/scenarios.md, in the same table form).

The kinds are read from the source (ast): every string given as the kind of a Finding, a
log entry, a cell fault or a flag. So a new kind cannot ship undocumented.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ERRORS = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
SCENARIOS = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
# call name -> index of its kind argument
KIND_ARGUMENT = {"Finding": 4, "add_cell": 3, "cells": 2, "flag": 3, "flag_amounts": 3, "Bad": 0, "CellFault": 0, "_fault": 1}
LIBRARY_WORDING = ("Input should", "Extra inputs", "Field required", "validation error", "Traceback", "pydantic")


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def kinds_in_code() -> dict[str, str]:
    """kind -> the module that produces it."""
    found = {}
    for path in sorted((ROOT / "finmodel").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            index = KIND_ARGUMENT.get(name)
            if index is None:
                continue
            argument = node.args[index] if len(node.args) > index else next((k.value for k in node.keywords if k.arg == "kind"), None)
            for kind in _strings(argument) if argument is not None else []:
                if re.fullmatch(r"[a-z][a-z0-9_]+", kind):
                    found.setdefault(kind, str(path.relative_to(ROOT)))
    return found


def documented_kinds() -> set[str]:
    return {kind for text in (ERRORS, SCENARIOS) for kind in re.findall(r"^\| `([a-z0-9_]+)` \| (?:error|warning) \|", text, re.MULTILINE)}


def test_the_kinds_are_found_in_the_code():
    kinds = kinds_in_code()
    assert {"missing_months", "total_row", "duplicate_part", "unreadable_value", "system_yaml", "zip_bomb"} <= set(kinds), kinds


def test_every_finding_kind_is_documented_in_errors_md():
    missing = {kind: module for kind, module in kinds_in_code().items() if kind not in documented_kinds()}
    assert missing == {}


def test_errors_md_speaks_no_librarys_wording():
    assert [w for w in LIBRARY_WORDING if w.lower() in ERRORS.lower()] == []
