"""`finmodel validate` lists every warning the close of the same folder would give: those
from the contract, and those from the figures (the agreement of balances, segments)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finmodel.cli import app
from finmodel.pipeline import close
from tests.malformed import TINY_SYSTEM, add_column, tiny, write_close

LOW_MATERIALITY = TINY_SYSTEM + "parameters: {agreement_materiality: 1_000}\n"


def _tagged_close(tmp_path: Path) -> Path:
    """The tiny close with the ICB's acute spend and ACUTE1's income tagged to each other:
    YTD £3,000.00 against £1,000.00 (by hand: tests/test_agreement_inputs.py), above £1,000."""
    books = tiny()
    for workbook, tag in (("income", lambda r: "ICB" if r["org"] == "ACUTE1" else None),
                          ("nonpay", lambda r: "ACUTE1" if r["org"] == "ICB" and r["category"] == "acute" else None)):
        rows = books[workbook][workbook]
        add_column(books, workbook, workbook, "counterparty", [tag(dict(zip(rows[0], r))) for r in rows[1:]])
    return write_close(tmp_path, books, LOW_MATERIALITY)


def test_validate_shows_the_agreement_warnings_the_close_gives(tmp_path: Path) -> None:
    folder = _tagged_close(tmp_path)
    result = CliRunner().invoke(app, ["validate", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    shown = [(f["workbook"], f["kind"], f["message"]) for f in payload["findings"]]
    mismatches = [s for s in shown if s[1] == "agreement_mismatch"]
    assert [m[0] for m in mismatches] == ["nonpay.xlsx", "income.xlsx"]  # one per side, the payer's first
    assert "difference YTD -£2,000.00" in mismatches[0][2]
    assert shown == [(f.workbook, f.kind, f.message) for f in close(folder).findings]
    assert payload["valid"] is True and payload["warnings"] == len(shown) and payload["errors"] == 0
    assert not (tmp_path / "outputs").exists() and not list(tmp_path.rglob("*.db"))  # nothing written


def test_an_invalid_folder_is_not_computed_and_lists_its_faults(tmp_path: Path) -> None:
    folder = _tagged_close(tmp_path)
    (folder / "pay.xlsx").unlink()
    result = CliRunner().invoke(app, ["validate", str(folder), "--json"])
    assert result.exit_code == 1
    kinds = [f["kind"] for f in json.loads(result.stdout)["findings"]]
    assert "missing_file" in kinds and "agreement_mismatch" not in kinds
