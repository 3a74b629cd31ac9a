"""The regional system of docs/examples/2023-24 (two acute trusts, a community trust, an ICB
in five segments by cost centre, prior-year outturns) closed at M3 and M4, built in code.

Pounds a month (plan; actual for the closed months; forecast after the close = plan unless
given), so every figure of tests/test_custom_tables.py can be worked out by hand:

| org    | line                         | plan      | actual (M1..M4)                 | forecast |
|--------|------------------------------|-----------|---------------------------------|----------|
| ACUTE1 | income                       | 1,000,000 | 1.0m, 1.0m, 1.0m, 1.1m          | plan     |
| ACUTE1 | pay                          |   900,000 | 950,000                         | 950,000  |
| ACUTE2 | income                       |   500,000 | 500,000                         | plan     |
| ACUTE2 | non-pay                      |   520,000 | 500,000                         | plan     |
| CMH    | income                       |   300,000 | 300,000                         | plan     |
| CMH    | pay                          |   300,000 | 310,000                         | plan     |
| ICB    | allocation, cost centre 900  | 2,000,000 | 2,000,000                       | plan     |
| ICB    | acute, 100 (North place)     |   800,000 | 820,000                         | 820,000  |
| ICB    | community, 200 (South place) |   500,000 | 500,000                         | plan     |
| ICB    | mental health, 300 (East)    |   400,000 | 390,000                         | plan     |
| ICB    | primary care, 400 (West)     |   250,000 | 250,000                         | plan     |
| ICB    | running costs, 900           |    50,000 | 50,000                          | plan     |
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from finmodel.ledger import build_ledger
from finmodel.report import PackInputs
from finmodel.results import CloseResults, compute_results
from tests.builders import make_inputs, system

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "2023-24"
SYSTEM_TEXT = (EXAMPLES / "system.yaml").read_text(encoding="utf-8")
REGIONAL = "reports/regional.yaml"
SYSTEM_IE = "reports/system-ie.yaml"


def report_text(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def _rows(org: str, plan: float, actual: list[float], month: int, forecast: float | None = None, **codes) -> list[dict]:
    rows = []
    for m in range(1, 13):
        row = {"org": org, "month": m, "plan": plan, **codes}
        if m <= month:
            row["actual"] = actual[m - 1] if m <= len(actual) else actual[-1]
        elif forecast is not None:
            row["forecast"] = forecast
        rows.append(row)
    return rows


def regional_inputs(month: int, system_text: str = SYSTEM_TEXT, extra_nonpay: list[dict] = ()):  # type: ignore[assignment]
    income = (
        _rows("ACUTE1", 1_000_000, [1_000_000, 1_000_000, 1_000_000, 1_100_000], month, category="clinical_icb")
        + _rows("ACUTE2", 500_000, [500_000], month, category="clinical_icb")
        + _rows("CMH", 300_000, [300_000], month, category="clinical_icb")
        + _rows("ICB", 2_000_000, [2_000_000], month, category="allocation", cost_centre="900")
    )
    pay = (
        _rows("ACUTE1", 900_000, [950_000], month, 950_000, staff_group="Nursing", pay_type="substantive")
        + _rows("CMH", 300_000, [310_000], month, staff_group="Nursing", pay_type="substantive")
    )
    nonpay = (
        _rows("ACUTE2", 520_000, [500_000], month, category="Drugs", kind="operating")
        + _rows("ICB", 800_000, [820_000], month, 820_000, category="acute", cost_centre="100")
        + _rows("ICB", 500_000, [500_000], month, category="community", cost_centre="200")
        + _rows("ICB", 400_000, [390_000], month, category="mental_health", cost_centre="300")
        + _rows("ICB", 250_000, [250_000], month, category="primary_care", cost_centre="400")
        + _rows("ICB", 50_000, [50_000], month, category="running_costs", cost_centre="900")
        + list(extra_nonpay)
    )
    return make_inputs(month, income=income, pay=pay, nonpay=nonpay, system_text=system_text)


def regional_close(month: int, custom: tuple[str, ...] = (REGIONAL, SYSTEM_IE), **options) -> CloseResults:
    inputs = regional_inputs(month, **options)
    results = compute_results(inputs, build_ledger(inputs))
    return replace(results, custom_tables=tuple((name, report_text(name)) for name in custom))


def regional_pack(previous: bool = True) -> PackInputs:
    return PackInputs(
        results=regional_close(4),
        system=system(SYSTEM_TEXT),
        previous=regional_close(3) if previous else None,
        scenarios=None,
        made_at="2023-08-10T09:30:00Z",
        model_version="0.1.0",
        input_files=(),
    )
