"""The committed reference docs are what the contract and schema produce now."""

import json
from pathlib import Path

from finmodel.contract import WORKBOOKS
from finmodel.schema_docs import generated

DOCS = Path(__file__).parent.parent / "docs"


def test_committed_docs_match_the_code():
    for path, text in generated(DOCS).items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run python -m finmodel.schema_docs"


def test_inputs_doc_names_every_column_and_the_schema_every_key():
    text = (DOCS / "inputs.md").read_text(encoding="utf-8")
    for workbook in WORKBOOKS:
        for sheet in workbook.sheets:
            assert f"### sheet `{sheet.name}`" in text
            for column in sheet.columns:
                assert f"| `{column.name}` |" in text
    schema = json.loads((DOCS / "system.schema.json").read_text(encoding="utf-8"))
    assert {"year", "system", "organisations", "targets", "parameters"} <= set(schema["properties"])


def test_the_scenario_schema_has_every_key_of_the_file_and_every_registered_shock():
    from finmodel.scenarios.shocks import SHOCKS

    schema = json.loads((DOCS / "scenario.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]) == {
        "name", "description", "close", "register", "new_items", "risk_share", "monte_carlo", *(s.key for s in SHOCKS)}
    assert {s.model.__name__ for s in SHOCKS} <= set(schema["$defs"])
    assert "scenario.schema.json" in (DOCS / "scenarios.md").read_text(encoding="utf-8")
