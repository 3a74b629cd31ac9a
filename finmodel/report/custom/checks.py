"""A custom table file checked against the close it reports: every organisation, group and
segment it names must exist, and its sheet, CSV and key must be its own. Each fault is a
finding located by the file and the key path (``rows.3.segment``), as system.yaml's are."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from finmodel.findings import Finding, shown
from finmodel.report.custom.file import KIND, CustomTableFile, RowSpec
from finmodel.report.custom.rows import Context, custom_rows
from finmodel.report.table import snake_case
from finmodel.results import CloseResults
from finmodel.system_config import SystemConfig


def table_key(file_name: str) -> str:
    """The table's stable key (the CSV's table_key): ``custom_`` and the file's name, so it
    can never be a standard table's."""
    return "custom_" + snake_case(PurePosixPath(file_name).stem)


def sheet_name(table: CustomTableFile, file_name: str) -> str:
    if table.sheet:
        return table.sheet
    words = PurePosixPath(file_name).stem.replace("_", " ").replace("-", " ").strip()
    return (words[:1].upper() + words[1:])[:31]


def _finding(file_name: str, path: str, value: object, expected: str) -> Finding:
    return Finding(file_name, "", None, path, KIND, shown(value), expected)


def _row_findings(spec: RowSpec, at: str, file_name: str, system: SystemConfig, results: CloseResults) -> list[Finding]:
    codes = list(system.codes)
    found = []
    if spec.org is not None and spec.org not in codes:
        found.append(_finding(file_name, f"{at}.org", spec.org, f"an organisation code of system.yaml: {', '.join(codes)}"))
    for i, member in enumerate(spec.of):
        if member not in codes:
            found.append(_finding(file_name, f"{at}.of.{i}", member, f"an organisation code of system.yaml: {', '.join(codes)}"))
    if spec.group is not None and spec.group not in system.groups:
        found.append(_finding(file_name, f"{at}.group", spec.group, f"a group of system.yaml: {', '.join(system.groups) or '(none)'}"))
    if spec.org in codes and (spec.segments or spec.segment is not None):
        org = system.organisation(spec.org)
        have = [s.segment for s in results.segments if s.org == spec.org]
        if org.segment_by is None:
            found.append(_finding(file_name, f"{at}.org", spec.org, "an organisation with segment_by in system.yaml"))
        elif spec.segment is not None and spec.segment not in have:
            found.append(_finding(file_name, f"{at}.segment", spec.segment, f"a segment of {spec.org}: {', '.join(have) or '(none)'}"))
    return found


def check_custom_table(file_name: str, table: CustomTableFile, system: SystemConfig, results: CloseResults) -> list[Finding]:
    """Faults of one file against the close; its rows are built only when what they name exists."""
    found = [f for i, spec in enumerate(table.rows) for f in _row_findings(spec, f"rows.{i}", file_name, system, results)]
    if found:
        return found
    codes = [r.code for r in custom_rows(table, Context(results, None, system, table.names == "short"))]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        found.append(_finding(file_name, "rows", ", ".join(repeated), "each row once (a row code is what BI reports find it by)"))
    return found


def check_names(tables: Iterable[tuple[str, CustomTableFile]], taken_sheets: Iterable[str]) -> list[Finding]:
    """Each custom table's sheet, CSV file and key its own, and none a standard sheet's."""
    sheets = {s.lower(): f"the standard sheet {s}" for s in taken_sheets}
    csvs = {snake_case(s): f"the standard sheet {s}" for s in taken_sheets}
    keys: dict[str, str] = {}
    found = []
    for file_name, table in tables:
        sheet = sheet_name(table, file_name)
        for seen, name, what in ((sheets, sheet.lower(), "sheet name"), (csvs, snake_case(sheet), "CSV name"), (keys, table_key(file_name), "key")):
            if name in seen:
                found.append(_finding(file_name, "sheet" if what != "key" else "(file name)", sheet if what != "key" else file_name,
                                      f"a {what} of its own ({name!r} is {seen[name]}'s)"))
            seen[name] = file_name
    return found
