"""The example ICS: a fictional system's inputs for 2023/24, closes M09 and M10.

Two acute trusts, a community and mental-health trust, an ambulance trust and the ICB:
about £3bn a year. The system is off plan by some tens of £m at M10: agency is over the
cap at most providers, CIP is slipping (unidentified and opportunity schemes under-deliver),
PHC is overspending on high-cost packages, and industrial action is only part-funded.

Generation is deterministic: seeded random streams and a fixed workbook time, so the same
call writes the same bytes. ``scale`` multiplies the detail (cost centres, packages,
schemes, risks) for benchmarks; the organisations' budgets stay as they are, except PHC,
whose budget follows its packages.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.calendar import month_label
from finmodel.example.build import Example, build_example, close_workbooks
from finmodel.example.phc import phc
from finmodel.example.shape import CLOSE_MONTHS, EXAMPLE_SEED, SYSTEM_NAME, YEAR
from finmodel.example.system_yaml import system_yaml_text
from finmodel.example.sheet_data import write_workbook
from finmodel.system_config import SYSTEM_YAML

EXAMPLE_SYSTEM_NAME = SYSTEM_NAME  # the name the demo knows its own closes by

__all__ = ["EXAMPLE_SEED", "EXAMPLE_SYSTEM_NAME", "Example", "build_example", "example_system_yaml", "write_example"]


def example_system_yaml(scale: float = 1.0) -> str:
    """The example year's system.yaml text (its PHC growth follows the packages at `scale`)."""
    return system_yaml_text(phc(scale))


def write_example(inputs_dir: Path, scale: float = 1.0) -> tuple[Path, ...]:
    """Write inputs_dir/2023-24/system.yaml and the close folders M09 and M10, each with
    every workbook of the input contract. Returns the close folders, earliest first.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale}")
    example = build_example(scale)
    year_dir = Path(inputs_dir) / YEAR.folder
    year_dir.mkdir(parents=True, exist_ok=True)
    (year_dir / SYSTEM_YAML).write_text(example.system_yaml, encoding="utf-8")
    folders = []
    for close in CLOSE_MONTHS:
        folder = year_dir / month_label(close)
        folder.mkdir(exist_ok=True)
        for filename, tables in close_workbooks(example, close):
            write_workbook(folder / filename, tables)
        folders.append(folder)
    return tuple(folders)
