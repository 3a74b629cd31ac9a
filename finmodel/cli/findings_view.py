"""Findings as a person reads them at the terminal: grouped, errors first, short.

A real close can carry dozens of warnings of one kind (69 credits in one workbook): one
line per kind and column, with the rows as ranges, keeps a successful close on one
screen. Every finding is still listed in full by ``--json`` and in the findings CSV.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from finmodel.findings import Finding, count, errors, warnings

MAX_GROUPS_SHOWN = 20  # a screen's worth; the rest are counted, and listed in --json


@dataclass(frozen=True)
class FindingGroup:
    """Findings of one kind in one column of one sheet, with the same severity."""

    severity: str
    workbook: str
    sheet: str
    column: str
    kind: str
    findings: tuple[Finding, ...]

    @property
    def rows(self) -> list[int]:
        return sorted({f.row for f in self.findings if f.row is not None})


def row_ranges(rows: Iterable[int], most: int = 4) -> str:
    """``14–25, 50–61, 70, …``: consecutive rows as ranges, at most ``most`` of them."""
    spans: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    shown = [f"{a}–{b}" if a != b else str(a) for a, b in spans[:most]]
    return ", ".join(shown + (["…"] if len(spans) > most else []))


def group_findings(findings: Sequence[Finding]) -> list[FindingGroup]:
    """Errors first, then warnings; within each, in the order the findings came."""
    groups: dict[tuple[str, str, str, str, str], list[Finding]] = {}
    for f in [*errors(findings), *warnings(findings)]:
        groups.setdefault((f.severity, f.workbook, f.sheet, f.column, f.kind), []).append(f)
    return [FindingGroup(*key, tuple(members)) for key, members in groups.items()]


def group_line(group: FindingGroup) -> str:
    """One line: the finding itself when alone, else the count, the rows and the first as example."""
    first = group.findings[0]
    if len(group.findings) == 1:
        return f"{group.severity} [{group.kind}] {first.message}"
    where = ", ".join([group.workbook] + ([f"sheet '{group.sheet}'"] if group.sheet else [])
                      + ([f"column '{group.column}'"] if group.column else []))
    rows = f", rows {row_ranges(group.rows)}" if group.rows else ""
    example = f"found {first.value!r}" if first.value != "" else "found nothing"
    return f"{group.severity} [{group.kind}] {where}: {count(group.findings):,} findings{rows}; e.g. {example}; expected {first.expected}"


def findings_text(findings: Sequence[Finding], most_groups: int = MAX_GROUPS_SHOWN) -> list[str]:
    """The lines the terminal shows for these findings, ending with the verdict."""
    groups = group_findings(findings)
    lines = [group_line(g) for g in groups[:most_groups]]
    if len(groups) > most_groups:
        rest = sum(count(g.findings) for g in groups[most_groups:])
        lines.append(f"… and {rest:,} more in {len(groups) - most_groups} more groups: run with --json to list them")
    n_err, n_warn = count(errors(findings)), count(warnings(findings))
    verdict = "invalid: nothing was written" if n_err else "valid"
    lines.append(f"{n_err:,} error(s), {n_warn:,} warning(s): {verdict}")
    return lines
