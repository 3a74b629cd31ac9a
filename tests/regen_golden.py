"""Regenerate the golden tidy tables of the report fixture: ``python -m tests.regen_golden``.

Run it after a deliberate change to a board-pack figure, label or code, and review the
diff of tests/golden/ like code: every changed line is a changed number in the pack.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.report.csv_tables import csv_text
from finmodel.report.tables import build_sheets
from tests.report_fixture import pack

GOLDEN = Path(__file__).parent / "golden"


def golden_tables() -> dict[str, str]:
    """{file name: CSV text} for every sheet of the fixture close."""
    return {f"{s.csv_name}.csv": csv_text(s.tables) for s in build_sheets(pack())}


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    wanted = golden_tables()
    for stale in GOLDEN.glob("*.csv"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        (GOLDEN / name).write_text(text, encoding="utf-8", newline="")
    print(f"wrote {len(wanted)} golden tables to {GOLDEN}")


if __name__ == "__main__":
    main()
