"""Custom tables: a board's own layouts, one YAML file each in the year's ``reports/`` folder
(docs/custom-tables.md). ``file`` is the file's schema, ``checks`` its faults against the
close, ``rows`` what its rows stand for, ``sheet`` its layout, ``load`` the reading."""

from __future__ import annotations

from finmodel.findings import Finding
from finmodel.report.custom.checks import check_custom_table, check_names, sheet_name, table_key
from finmodel.report.custom.file import REPORTS_FOLDER, CustomTableFile, parse_custom_table
from finmodel.report.custom.load import ReportFile, read_custom_tables
from finmodel.report.custom.sheet import custom_sheets, custom_table
from finmodel.results import CloseResults
from finmodel.system_config import SystemConfig

__all__ = [
    "REPORTS_FOLDER", "CustomTableFile", "ReportFile", "check_custom_table", "check_custom_tables", "check_names",
    "custom_sheets", "custom_table", "parse_custom_table", "read_custom_tables", "sheet_name", "table_key",
]


def check_custom_tables(
    files: tuple[ReportFile, ...], system: SystemConfig, results: CloseResults, taken_sheets: tuple[str, ...]
) -> list[Finding]:
    """Every fault of the year's custom table files: their YAML and keys, what they name, their names."""
    found: list[Finding] = []
    parsed = []
    for f in files:
        table, faults = parse_custom_table(f.text, f.name)
        found += faults
        if table is not None:
            found += check_custom_table(f.name, table, system, results)
            parsed.append((f.name, table))
    return found + check_names(parsed, taken_sheets)
