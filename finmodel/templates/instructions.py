"""The `instructions` sheet of each template: the contract's rules and every column's meaning.

The text is the same as docs/inputs.md (both come from schema_docs), so the workbook and
the docs never disagree. Validation reads sheets by name and never reads this one.
"""

from __future__ import annotations

from finmodel.contract import Workbook
from finmodel.schema_docs import GENERAL_RULES, KIND_WORDS, column_meaning, sheet_rules
from finmodel.system_config import SystemConfig
from finmodel.templates.drop_downs import drop_down

INSTRUCTIONS = "instructions"


def instruction_rows(workbook: Workbook, system: SystemConfig) -> list[tuple[bool, tuple[str, ...]]]:
    """The instructions sheet's text, row by row: (bold?, cells)."""
    read = ", ".join(f"'{s.name}'" for s in workbook.sheets)
    need = "required: a missing file is an error" if workbook.required else "optional: leave it out if you have none"
    rows: list[tuple[bool, tuple[str, ...]]] = [
        (True, (f"{workbook.filename} ({need})",)),
        (False, (f"finmodel reads only the sheet(s) {read}, by name; it never reads this sheet.",)),
        (False, (f"Drop-downs list the codes of the contract and of system.yaml for {system.system} ({system.financial_year.label}).",)),
        (False, ()),
        *((False, (rule,)) for rule in GENERAL_RULES),
    ]
    for sheet in workbook.sheets:
        rows += [(False, ()), (True, (f"sheet '{sheet.name}'",)), *((False, (rule,)) for rule in sheet_rules(sheet)), (False, ())]
        rows.append((True, ("column", "need", "what it holds", "meaning", "drop-down")))
        for column in sheet.columns:
            choices = drop_down(sheet, column, system)
            rows.append((False, (
                column.name,
                "required" if column.required else "optional",
                KIND_WORDS[column.kind],
                column_meaning(sheet, column),
                (", ".join(choices.choices) or choices.prompt) if choices else "",
            )))
    return rows
