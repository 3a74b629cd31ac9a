"""Findings: validation faults and warnings as values, never raised.

Each finding is located as a finance user would look for it: the workbook, the sheet,
the row number as Excel shows it, the column, the value found and what was expected.
The CLI decides how to print them and which exit code to use.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    workbook: str  # e.g. "pay.xlsx" or "system.yaml"
    sheet: str  # "" where the fault is the file itself
    row: int | None  # Excel row number (the header is row 1)
    column: str  # column name, or a key path in system.yaml
    kind: str  # a stable code, e.g. "unknown_code"; documented in docs/errors.md
    value: str  # what was found, as text
    expected: str  # what was expected, in the user's words
    severity: Severity = "error"
    # A summary of a capped kind (``validate.log``): how many more findings like these there
    # are that are not listed one by one; 0 for a finding that is itself one fault.
    more: int = 0

    @property
    def location(self) -> str:
        parts = [self.workbook]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        found = f"found {self.value!r}" if self.value != "" else "found nothing"
        return f"{self.location}: {found}; expected {self.expected}"

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "message": self.message}


def errors(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]


def count(findings: list[Finding] | tuple[Finding, ...]) -> int:
    """How many faults (or warnings) the findings stand for: a summary of a capped kind
    counts as the findings it stands for, so a total is never the length of a capped list."""
    return sum(f.more or 1 for f in findings)


def shown(value: object, limit: int = 60) -> str:
    """A cell's value as text for a message, cut short so a huge cell cannot flood it."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
