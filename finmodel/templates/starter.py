"""`finmodel init`'s files: a starter system.yaml and the first close's empty workbooks.

The starter's organisations are placeholders, so init's workbooks offer no organisation
code until the analyst's system.yaml names theirs and `finmodel templates` writes them again.

init never overwrites anything; `finmodel templates` is the command that writes a close
folder's workbooks again (with --force) once system.yaml has been edited.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.calendar import FinancialYear, month_label
from finmodel.contract import WORKBOOKS
from finmodel.system_config import SYSTEM_YAML, SystemConfig, parse_system
from finmodel.system_template import starter_system, system_yaml
from finmodel.templates.book import write_workbook_template

FIRST_CLOSE = month_label(1)  # the close folder init writes: M01


class TemplateExists(Exception):
    """These files are there already and were left as they are."""

    def __init__(self, paths: list[Path]) -> None:
        listed = "\n".join(f"  {p}" for p in paths)
        super().__init__(f"{len(paths)} file(s) exist already and were left as they are:\n{listed}")
        self.paths = tuple(paths)


def template_paths(target: Path, year: str) -> tuple[Path, ...]:
    """system.yaml, then one workbook per contract workbook, in contract order."""
    folder = Path(target) / FinancialYear.parse(year).folder
    return (folder / SYSTEM_YAML, *(folder / FIRST_CLOSE / w.filename for w in WORKBOOKS))


def write_templates(target: Path, year: str = "2024/25", system: SystemConfig | None = None) -> tuple[Path, ...]:
    """Write target/<year>/system.yaml and target/<year>/M01/<workbook>.xlsx; never overwrite.

    Without `system` the starter system (placeholder organisations) is written, and the
    workbooks name none of its codes: the analyst replaces them in system.yaml, so a
    workbook offering them would offer codes validation then refuses (`finmodel templates
    --force` writes the workbooks again with the analyst's own). Raises TemplateExists,
    writing nothing, when any of the files is there already.
    """
    fy = FinancialYear.parse(year)
    named = system is not None
    if system is None:
        system = starter_system(fy.label)
    elif system.financial_year != fy:
        raise ValueError(f"the system is for {system.financial_year.label}, not {fy.label}")
    text = system_yaml(system)
    read_back, findings = parse_system(text)
    if read_back != system:  # a fault of system_template, never of the user's input
        raise ValueError(f"system.yaml would not read back as written: {[f.message for f in findings]}")
    paths = template_paths(target, fy.label)
    existing = [p for p in paths if p.exists()]
    if existing:
        raise TemplateExists(existing)
    paths[1].parent.mkdir(parents=True, exist_ok=True)
    paths[0].write_text(text, encoding="utf-8")
    for path, workbook in zip(paths[1:], WORKBOOKS):
        write_workbook_template(path, workbook, system, named)
    return paths
