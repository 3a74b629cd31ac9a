"""Small CloseInputs built in code, for hand-computed result tests.

Rows are given in pounds the way a finance user would write them; the builder applies
the contract's conventions (close_inputs.py) so the tests read like tiny workbooks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from finmodel.calendar import Period
from finmodel.close_inputs import FRAME_COLUMNS, CloseInputs, empty_frame
from finmodel.system_config import parse_system

TINY_SYSTEM = """
year: 2023/24
system: Tiny ICS
organisations:
  - {code: ACUTE1, name: Acute One, type: acute}
  - {code: ACUTE2, name: Acute Two, type: acute, agency_cap: 12_000}
  - {code: ICB, name: The ICB, type: icb}
targets: {ACUTE1: 0, ACUTE2: -1_000, ICB: 0}
target_revisions:
  - {from_month: 3, reason: H2, targets: {ACUTE1: -500}}
groups:
  Acutes: [ACUTE1, ACUTE2]
capital: {ifrs16_allocation: 5_000}
parameters:
  agency_cap_pct: 5
  run_rate_months: 2
  phc:
    high_cost_weekly: 7_000
    bands: [9_000]
    growth:
      adult_chc: {new_per_month: 2, average_weekly: 700}
    qipp: {adult_chc: 100}
    prior_year_outturn: {adult_chc: 50_000}
"""


def system(text: str = TINY_SYSTEM):
    config, findings = parse_system(text)
    assert config is not None, findings
    return config


def _pence(value) -> int:
    return int(round(Decimal(str(value)) * 100))


def ledger_rows(rows: list[dict], month: int, name: str, default_driver: str = "other") -> pd.DataFrame:
    """rows: dicts with org, month, plan, actual, forecast (pounds or None) and codes."""
    if not rows:
        return empty_frame(name)
    out = []
    for r in rows:
        r = dict(r)
        m = r["month"]
        plan = _pence(r.get("plan") or 0)
        actual = _pence(r.get("actual") or 0) if m <= month else 0
        forecast = 0 if m <= month else _pence(r["forecast"]) if r.get("forecast") is not None else plan
        r.update(plan=plan, actual=actual, forecast=forecast)
        r.setdefault("driver", default_driver)
        for col in FRAME_COLUMNS[name]:
            r.setdefault(col, "")
        out.append(r)
    frame = pd.DataFrame(out)
    for col in ("plan", "actual", "forecast", "month"):
        frame[col] = frame[col].astype("int64")
    return frame


def make_inputs(
    month: int,
    income=(), pay=(), nonpay=(), agency=(), cip_schemes=(), cip_delivery=(), phc_budget=(),
    phc_packages=(), capital=(), risks=(), system_text: str = TINY_SYSTEM,
) -> CloseInputs:
    config = system(system_text)
    schemes = pd.DataFrame([{**{"impacts_org": ""}, **s} for s in cip_schemes]) if cip_schemes else empty_frame("cip_schemes")
    packages = empty_frame("phc_packages")
    if phc_packages:
        packages = pd.DataFrame(
            [
                {
                    "org": "ICB", "setting": "", "end_date": None, "icb_share": Decimal(1), **p,
                    "weekly_cost": _pence(p["weekly_cost"]),
                }
                for p in phc_packages
            ]
        )
    cap = empty_frame("capital")
    if capital:
        cap = pd.DataFrame([{**c, "plan": _pence(c["plan"]), "forecast": _pence(c["forecast"]), "actual_ytd": 0} for c in capital])
    reg = empty_frame("risks")
    if risks:
        reg = pd.DataFrame(
            [{"description": "", "status": "", **r, "value": _pence(r["value"]), "likelihood_pct": Decimal(str(r["likelihood_pct"]))} for r in risks]
        )
    return CloseInputs(
        system=config,
        period=Period(config.financial_year, month),
        income=ledger_rows(list(income), month, "income"),
        pay=ledger_rows(list(pay), month, "pay"),
        nonpay=ledger_rows(list(nonpay), month, "nonpay"),
        agency=ledger_rows(list(agency), month, "agency"),
        cip_schemes=schemes,
        cip_delivery=ledger_rows(list(cip_delivery), month, "cip_delivery", default_driver=""),
        phc_budget=ledger_rows(list(phc_budget), month, "phc_budget", default_driver="phc"),
        phc_packages=packages,
        capital=cap,
        risks=reg,
        files=(),
    )


def year_rows(org: str, plan: float, actuals: list[float], forecast: float | dict[int, float] | None = None,
              plans: dict[int, float] | None = None, **codes) -> list[dict]:  # type: ignore[no-untyped-def]
    """A line's twelve rows: ``plan`` a month (or ``plans[m]``), the actuals for the first
    months, and a forecast: one figure for every month after them, or one by month."""
    rows = []
    for m in range(1, 13):
        row = {"org": org, "month": m, "plan": (plans or {}).get(m, plan), **codes}
        if m <= len(actuals):
            row["actual"] = actuals[m - 1]
        elif isinstance(forecast, dict):
            if m in forecast:
                row["forecast"] = forecast[m]
        elif forecast is not None:
            row["forecast"] = forecast
        rows.append(row)
    return rows


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def tiny_template_system(**parameters: object):  # type: ignore[no-untyped-def]
    """A tiny 2024/25 system (a trust and its ICB) for template tests; ``parameters`` as system.yaml's."""
    from finmodel.system_config import Organisation, Parameters, SystemConfig

    return SystemConfig(
        year="2024/25",
        system="Tiny ICS",
        organisations=(
            Organisation(code="ACUTE1", name="Tiny Hospitals NHS Trust", type="acute"),
            Organisation(code="ICB", name="NHS Tiny ICB", type="icb"),
        ),
        targets={"ACUTE1": 0, "ICB": 0},
        **({"parameters": Parameters(**parameters)} if parameters else {}),
    )
