"""The providers' capital programmes: CDEL, IFRS 16 leases and nationally funded schemes.

Spend is back-loaded, as capital usually is; at M10 the emergency department scheme at
Northfield slips, so the CDEL forecast moves between the closes. IFRS 16 plans add up to
the system's allocation and the forecasts exceed it.
"""

from __future__ import annotations

import numpy as np

from finmodel.example.lines import text
from finmodel.example.shape import CLOSE_MONTHS
from finmodel.example.sheet_data import Column, SheetData

# (org, programme, description, plan £, forecast £ at M09, forecast £ at M10)
_SCHEMES = (
    ("ACUTE1", "cdel", "Backlog maintenance", 9_000_000, 9_000_000, 9_000_000),
    ("ACUTE1", "cdel", "Medical equipment replacement", 6_500_000, 6_800_000, 6_800_000),
    ("ACUTE1", "cdel", "Electronic patient record phase 2", 8_000_000, 7_600_000, 7_600_000),
    ("ACUTE1", "cdel", "Emergency department expansion", 12_000_000, 11_500_000, 10_000_000),
    ("ACUTE1", "ifrs16", "Lease renewals", 2_200_000, 2_400_000, 2_400_000),
    ("ACUTE1", "ifrs16", "Community diagnostic centre lease", 1_300_000, 1_500_000, 1_500_000),
    ("ACUTE1", "other", "Community diagnostic centre (national)", 6_000_000, 6_000_000, 6_000_000),
    ("ACUTE1", "other", "Elective surgical hub (TIF)", 9_500_000, 9_000_000, 9_000_000),
    ("ACUTE2", "cdel", "Backlog maintenance", 8_000_000, 8_300_000, 8_300_000),
    ("ACUTE2", "cdel", "Medical equipment replacement", 5_500_000, 5_500_000, 5_500_000),
    ("ACUTE2", "cdel", "Digital infrastructure", 6_000_000, 5_200_000, 5_000_000),
    ("ACUTE2", "cdel", "Ward refurbishment", 10_500_000, 10_500_000, 10_500_000),
    ("ACUTE2", "ifrs16", "Lease renewals", 1_800_000, 2_000_000, 2_000_000),
    ("ACUTE2", "other", "Frontline digitisation (national)", 4_000_000, 4_000_000, 4_000_000),
    ("CMH", "cdel", "Estates backlog", 6_000_000, 6_000_000, 6_000_000),
    ("CMH", "cdel", "Dormitory eradication", 4_000_000, 4_200_000, 4_200_000),
    ("CMH", "ifrs16", "Community bases leases", 1_200_000, 1_300_000, 1_300_000),
    ("CMH", "other", "Mental health urgent care centre (national)", 1_500_000, 1_500_000, 1_500_000),
    ("AMB", "cdel", "Fleet replacement", 11_000_000, 11_000_000, 11_000_000),
    ("AMB", "cdel", "Station refurbishment", 3_000_000, 2_600_000, 2_600_000),
    ("AMB", "ifrs16", "Vehicle leases", 1_000_000, 1_100_000, 1_100_000),
    ("AMB", "other", "Control room resilience (national)", 2_000_000, 2_000_000, 2_000_000),
)
# Share of the full-year forecast spent by the end of each close month.
_SPENT_BY = {9: 0.58, 10: 0.66}


def capital_table(close: int) -> SheetData:
    forecast_at = 4 + CLOSE_MONTHS.index(close)
    plan = np.array([s[3] for s in _SCHEMES], dtype=np.int64) * 100
    forecast = np.array([s[forecast_at] for s in _SCHEMES], dtype=np.int64) * 100
    # Spend to date follows what each scheme will in the end spend (the latest forecast), a
    # little ahead or behind the programme, so it only ever grows from one close to the next.
    final = np.array([s[-1] for s in _SCHEMES], dtype=np.int64) * 100
    lean = np.linspace(-0.06, 0.06, len(_SCHEMES))[::-1]
    actual = np.rint(final * (_SPENT_BY[close] + lean)).astype(np.int64)
    return SheetData(
        "capital",
        (
            Column("org", "text", text([s[0] for s in _SCHEMES])),
            Column("programme", "text", text([s[1] for s in _SCHEMES])),
            Column("description", "text", text([s[2] for s in _SCHEMES])),
            Column("plan", "money", plan),
            Column("forecast", "money", forecast),
            Column("actual_ytd", "money", actual),
        ),
    )
