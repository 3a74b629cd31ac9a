"""Collecting findings: capped per kind and sheet, then sorted as the user reads the files.

A wholly wrong file (the wrong export, a column shifted by one) would otherwise produce a
million messages; after ``CAP_PER_KIND`` findings of one kind on one sheet the rest are
counted into one summarising finding, so the count is never lost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from finmodel.contract import WORKBOOKS
from finmodel.findings import Finding, Severity, shown
from finmodel.system_config import SYSTEM_YAML

CAP_PER_KIND = 200
FOLDER = "(close folder)"  # the "workbook" of a fault in the folder itself

_WORKBOOK_RANK = {FOLDER: 0, SYSTEM_YAML: 1, **{w.filename: i + 2 for i, w in enumerate(WORKBOOKS)}}
_SHEET_RANK = {(w.filename, s.name): i for w in WORKBOOKS for i, s in enumerate(w.sheets)}
_COLUMN_RANK = {(s.workbook, s.name, c.name): i for w in WORKBOOKS for s in w.sheets for i, c in enumerate(s.columns)}


def display(value: object) -> str:
    """A cell as Excel shows it to a UK user: 3 not 3.0, dates day first."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


class FindingLog:
    def __init__(self, cap: int = CAP_PER_KIND) -> None:
        self.cap = cap
        self._found: list[Finding] = []
        self._counts: Counter[tuple[str, str, str]] = Counter()
        self._severity: dict[tuple[str, str, str], Severity] = {}

    def add(self, finding: Finding) -> None:
        key = (finding.workbook, finding.sheet, finding.kind)
        self._counts[key] += 1
        self._severity[key] = finding.severity
        if self._counts[key] <= self.cap:
            self._found.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def add_cell(
        self, where: tuple[str, str], row: int | None, column: str, kind: str, value: object, expected: str,
        severity: Severity = "error", limit: int = 60,
    ) -> None:
        self.add(Finding(where[0], where[1], row, column, kind, shown(display(value), limit), expected, severity))

    def cells(
        self,
        where: tuple[str, str],
        column: str,
        kind: str,
        rows: np.ndarray,
        values: Sequence[object],
        expected: str | Sequence[str],
        severity: Severity = "error",
    ) -> None:
        """Findings for many cells of one kind; only those under the cap are built.

        ``values`` (and ``expected`` when it varies by row) need only cover the first
        ``cap`` rows: the rest are counted, never shown.
        """
        workbook, sheet = where
        key = (workbook, sheet, kind)
        room = max(self.cap - self._counts[key], 0)
        for index, row in enumerate(rows[:room].tolist()):
            text = expected if isinstance(expected, str) else expected[index]
            self._found.append(Finding(workbook, sheet, int(row), column, kind, shown(display(values[index])), text, severity))
        if len(rows):
            self._counts[key] += len(rows)
            self._severity[key] = severity

    def merge(self, other: FindingLog) -> None:
        """Take in another log's findings and counts, as if they had been logged here."""
        room = {key: max(self.cap - self._counts[key], 0) for key in other._counts}
        for finding in other._found:
            key = (finding.workbook, finding.sheet, finding.kind)
            if room[key] > 0:
                self._found.append(finding)
                room[key] -= 1
        for key, count in other._counts.items():
            self._counts[key] += count
            self._severity[key] = other._severity[key]

    def has_errors_on(self, workbook: str, sheet: str) -> bool:
        return any(self._severity[key] == "error" for key in self._counts if key[:2] == (workbook, sheet))

    @property
    def has_errors(self) -> bool:
        return any(self._severity[key] == "error" for key in self._counts)

    def findings(self) -> list[Finding]:
        """Every finding, with one summary per capped kind, in reading order."""
        expected = f"the same fix (only the first {self.cap} are listed)"
        summaries = [
            Finding(workbook, sheet, None, "", kind, f"{count - self.cap:,} more like these", expected, self._severity[(workbook, sheet, kind)], count - self.cap)
            for (workbook, sheet, kind), count in self._counts.items()
            if count > self.cap
        ]
        keyed = [(_order(f, False), f) for f in self._found] + [(_order(f, True), f) for f in summaries]
        return [finding for _, finding in sorted(keyed, key=lambda pair: pair[0])]


def _order(finding: Finding, summary: bool) -> tuple:
    workbook, sheet = finding.workbook, finding.sheet
    return (
        _WORKBOOK_RANK.get(workbook, len(_WORKBOOK_RANK)),
        workbook,
        _SHEET_RANK.get((workbook, sheet), -1 if not sheet else 99),
        sheet,
        summary,
        finding.row if finding.row is not None else 0,
        _COLUMN_RANK.get((workbook, sheet, finding.column), 999),
        finding.column,
        finding.kind,
        finding.value,
        finding.expected,
    )
