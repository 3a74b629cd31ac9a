"""The benchmarks' ICSs still build and close cleanly.

The benchmarks are run by hand, from a cache, so a change to the example's generators could
break ``benchmarks/scaled_ics.py`` unseen until the next performance round (one did: the
ICB's contracts came to need the providers' income). Each shape is built here at the
smallest size and closed: every workbook it writes must pass validation, and the shapes
must still differ as ``benchmarks/shapes.py`` says they do.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from finmodel.findings import errors
from finmodel.pipeline import close
from finmodel.system_config import load_system

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from scaled_ics import ensure_scaled_ics

        cache = tmp_path_factory.mktemp("bench")
        return {shape: ensure_scaled_ics(cache, 5000, log=lambda *_: None, shape=shape) for shape in ("scaled", "balanced", "many_orgs")}
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.parametrize("shape", ["scaled", "balanced", "many_orgs"])
def test_every_shape_closes_without_errors(built: dict[str, tuple[Path, dict]], shape: str) -> None:
    folder, record = built[shape]
    outcome = close(folder)
    assert errors(outcome.findings) == []
    assert outcome.ok
    assert record["ledger_rows"] >= 5000


def test_the_shapes_differ_as_described(built: dict[str, tuple[Path, dict]]) -> None:
    def share(shape: str, sheet: str) -> float:
        rows = built[shape][1]["sheet_rows"]
        return rows[sheet] / built[shape][1]["ledger_rows"]

    # scaled: pay the largest ledger by far (59 % of the rows at 1M, 44 % at this size, where
    # every sheet's fixed lines weigh more); balanced: non-pay the largest, pay well behind
    ledgers = ("income.xlsx:income", "pay.xlsx:pay", "nonpay.xlsx:nonpay", "agency.xlsx:agency")
    assert max(ledgers, key=lambda sheet: share("scaled", sheet)) == "pay.xlsx:pay"
    assert max(ledgers, key=lambda sheet: share("balanced", sheet)) == "nonpay.xlsx:nonpay"
    assert share("balanced", "pay.xlsx:pay") < share("scaled", "pay.xlsx:pay") - 0.1
    many, _ = load_system(built["many_orgs"][0].parent / "system.yaml")
    assert many is not None
    assert len(many.organisations) == 41  # 40 providers and the ICB
