"""Regenerate the input reference docs from the contract and the system.yaml schema.

    python -m finmodel.schema_docs

writes docs/inputs.md (every workbook, sheet, column and code, from contract.py) and
docs/system.schema.json (pydantic's JSON schema of system.yaml). A test checks the
committed files equal what this produces, so the docs cannot drift from the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from finmodel.contract import WORKBOOKS, Column
from finmodel.system_config import SystemConfig

KIND_WORDS = {
    "org": "organisation code from system.yaml",
    "month": "1..12, M1..M12, M01..M12, or a date inside the year",
    "money": "pounds (at most two decimals; accounting text such as £1,234.50 or (1,234) is read and counted)",
    "code": "one of the codes listed",
    "text": "free text",
    "id": "text, unique in the sheet",
    "date": "a date (a date cell, or day-first text such as 15/01/2024)",
    "fraction": "a number from 0 to 1",
    "likelihood": "0..100 (%), or a word from system.yaml parameters.likelihood_pct",
    "count": "a whole number, 0 or more",
}


def _row(column: Column) -> str:
    codes = ", ".join(f"`{c}`" for c in column.codes)
    meaning = "; ".join(x for x in (column.meaning, codes) if x)
    need = "required" if column.required else "optional"
    return f"| `{column.name}` | {need} | {KIND_WORDS[column.kind]} | {meaning} |"


def inputs_markdown() -> str:
    lines = [
        "# Input workbooks: the reference",
        "",
        "Generated from `finmodel/contract.py` by `python -m finmodel.schema_docs`; do not edit by hand.",
        "Column names are lower case; column order is free; extra columns are kept as detail.",
        "A workbook with only its header row means \"nothing of this kind\".",
        "See also [system-yaml.md](system-yaml.md) and [errors.md](errors.md).",
        "",
    ]
    for workbook in WORKBOOKS:
        need = "required" if workbook.required else "optional"
        lines += [f"## {workbook.filename} ({need})", ""]
        for sheet in workbook.sheets:
            lines += [f"### sheet `{sheet.name}`", "", "| column | | what it holds | meaning and codes |", "|---|---|---|---|"]
            lines += [_row(c) for c in sheet.columns]
            lines.append("")
    return "\n".join(lines)


def schema_json() -> str:
    return json.dumps(SystemConfig.model_json_schema(), indent=2, sort_keys=True, default=str) + "\n"


def generated(docs: Path) -> dict[Path, str]:
    return {docs / "inputs.md": inputs_markdown(), docs / "system.schema.json": schema_json()}


def main(argv: list[str] | None = None) -> None:
    docs = Path(argv[0] if argv else "docs")
    for path, text in generated(docs).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
