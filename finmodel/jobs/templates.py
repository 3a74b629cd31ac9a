"""`finmodel templates`: a close folder's input workbooks, written from the current system.yaml.

The drop-downs take the organisation codes and likelihood words of the system.yaml in the
year folder as it is now, so after editing it the workbooks can be written again and
Excel accepts the analyst's own codes. With carry-forward the workbooks start from the
previous close's folder (templates/carry.py), so only the new month's actuals are left.

Nothing is written when system.yaml or the previous close has errors (the findings say
where), nor when a workbook is there already, unless `force`: then every workbook is
written to a temporary file first and all are moved into place together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finmodel.calendar import Period, parse_month_code
from finmodel.contract import WORKBOOKS
from finmodel.findings import Finding, errors
from finmodel.jobs.progress import Progress, quiet
from finmodel.report.files import replace_all
from finmodel.system_config import MAX_SYSTEM_YAML_BYTES, SYSTEM_YAML, SystemConfig, parse_system
from finmodel.templates import Carried, workbook_bytes
from finmodel.templates.carry import carry_forward as carry_rows
from finmodel.validate import validate_close


@dataclass(frozen=True)
class TemplatesDone:
    """What the job did: the workbooks written, or why none was."""

    folder: Path
    written: tuple[Path, ...] = ()
    findings: tuple[Finding, ...] = ()  # system.yaml's; or the previous close's when it does not validate
    problem: str = ""  # why nothing was written: findings to fix, or no close to carry from
    refused: tuple[Path, ...] = ()  # workbooks there already (nothing written; pass force)
    carried_from: Path | None = None
    carried: Carried | None = None
    nothing_to_carry: str = ""  # no close folder before this one to carry forward from


def write_month_templates(folder: Path, carry_forward: bool = False, force: bool = False, progress: Progress = quiet) -> TemplatesDone:
    """Write folder/<workbook>.xlsx for every workbook of the contract (folder: e.g. inputs/2024-25/M02).

    Raises ValueError when the folder is not named like a close folder (M1..M12 in a year
    folder such as 2024-25).
    """
    folder = Path(folder)
    period = Period.parse(folder.parent.name, folder.name)
    system, findings = read_system(folder.parent, period)
    if system is None or errors(findings):
        return TemplatesDone(folder, findings=tuple(findings), problem=f"{folder.parent / SYSTEM_YAML} has errors: nothing was written.")
    paths = tuple(folder / w.filename for w in WORKBOOKS)
    existing = tuple(p for p in paths if p.exists())
    if existing and not force:
        return TemplatesDone(folder, findings=tuple(findings), refused=existing)
    previous: Path | None = None
    carried: Carried | None = None
    if carry_forward:
        previous = previous_close(folder.parent, period.month)
        if previous is None:
            missing = f"No close folder before {folder.name} in {folder.parent} to carry forward from: nothing was written."
            return TemplatesDone(folder, findings=tuple(findings), nothing_to_carry=missing)
        progress(f"Validating the previous close {previous}")
        inputs, found = validate_close(previous)
        if inputs is None:
            problem = f"The previous close {previous} does not validate, so it cannot be carried forward: nothing was written."
            return TemplatesDone(folder, findings=tuple(found), problem=problem, carried_from=previous)
        carried = carry_rows(inputs, period.month)
    progress(f"Writing {len(paths)} workbooks to {folder}")
    sheets = carried.sheets if carried else {}
    written = replace_all({p: workbook_bytes(w, system, sheets.get(w.filename)) for p, w in zip(paths, WORKBOOKS)})
    return TemplatesDone(folder, written, tuple(findings), carried_from=previous, carried=carried)


def previous_close(year_folder: Path, month: int) -> Path | None:
    """The latest close folder of the year before `month` (M09 for M10), or None."""
    found = []
    for child in year_folder.iterdir() if year_folder.is_dir() else ():
        number = parse_month_code(child.name)
        if number is not None and number < month and child.is_dir():
            found.append((number, child.name, child))
    return max(found)[2] if found else None


def read_system(year_folder: Path, period: Period) -> tuple[SystemConfig | None, list[Finding]]:
    """The year's system.yaml, checked as validation checks it (findings located by key)."""
    path = year_folder / SYSTEM_YAML
    if not path.is_file():
        return None, [Finding(SYSTEM_YAML, "", None, "", "missing_file", str(path), "system.yaml in the year folder")]
    size = path.stat().st_size
    if size > MAX_SYSTEM_YAML_BYTES:
        return None, [Finding(SYSTEM_YAML, "", None, "", "too_large", f"{size:,} bytes", "under 1 MB")]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, [Finding(SYSTEM_YAML, "", None, "", "not_text", "", "UTF-8 text")]
    system, findings = parse_system(text)
    if system is not None and system.financial_year != period.year:
        expected = f"{period.year.label}, the year of the folder '{year_folder.name}'"
        findings.append(Finding(SYSTEM_YAML, "", None, "year", "wrong_year", system.year, expected))
    return system, findings
