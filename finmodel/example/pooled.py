"""The example's Better Care Fund: the ICB and two councils pool £39m into eight schemes,
hosted by Northshire; and the partners' share rules (system.yaml).

Intermediate care beds and hospital discharge run well over plan all year, so the fund
overspends by £1,482,000 (the sum of plan x pressure below), shared 50:50 between the ICB
and the councils, the councils' half 60:40. The ICB's contribution is within its community
line, as it would be in a real ledger, so the ICB's FOT moves by its half alone. The CHC
gain share against last year's spend shares nothing: CHC runs above 2022/23.
"""

from __future__ import annotations

import numpy as np

from finmodel.contract import POOLED
from finmodel.example.lines import text
from finmodel.example.sheet_data import Column, SheetData
from finmodel.example.shape import ICB_CODE

FUND = "BCF"
PARTNERS = (("LA_NORTH", "Northshire County Council"), ("LA_SOUTH", "Southborough City Council"))
CONTRIBUTIONS = ((ICB_CODE, 24_000_000), ("LA_NORTH", 9_000_000), ("LA_SOUTH", 6_000_000))  # £, full year
# (scheme_id, scheme, full-year plan £, spend above plan as a fraction, every month)
SCHEMES = (
    ("BCF01", "Reablement and rehabilitation", 9_600_000, 0.02),
    ("BCF02", "Carers' support", 2_400_000, 0.0),
    ("BCF03", "Disabled facilities grant", 4_800_000, -0.05),
    ("BCF04", "Integrated community equipment", 3_600_000, 0.04),
    ("BCF05", "Intermediate care beds", 7_200_000, 0.12),
    ("BCF06", "Hospital discharge", 6_000_000, 0.10),
    ("BCF07", "Assistive technology", 1_200_000, -0.10),
    ("BCF08", "Care Act duties", 4_200_000, 0.01),
)
MONTHS = 12


def share_rules_yaml() -> list[str]:
    """system.yaml's partners and share_rules for the example."""
    lines = ["partners:                     # optional: bodies outside the ICS that pool money with it"]
    lines += [f"  - {{code: {code}, name: {name}, type: local_authority}}" for code, name in PARTNERS]
    return lines + [
        "share_rules:                  # optional: who bears what % of a pooled fund's or a baselined service's variance",
        "  - name: BCF risk share",
        f"    fund: {FUND}                   # a fund of pooled.xlsx: contributions - forecast spend",
        "    applies_to: both             # overspend | underspend | both",
        f"    tiers: [{{shares: {{{ICB_CODE}: 50, councils: 50}}}}]",
        "    splits:                      # a share split again among partners",
        "      councils: {LA_NORTH: 60, LA_SOUTH: 40}",
        "  - name: CHC gain share",
        "    service: adult_chc           # a PHC service of phc.xlsx, against a baseline",
        "    baseline: prior_year_outturn #   parameters.phc.prior_year_outturn, or £",
        "    applies_to: underspend",
        f"    tiers:                       # the first £1m 50:50, the rest 75:25",
        f"      - {{up_to: 1_000_000, shares: {{{ICB_CODE}: 50, councils: 50}}}}",
        f"      - {{shares: {{{ICB_CODE}: 75, councils: 25}}}}",
        "    splits:",
        "      councils: {LA_NORTH: 60, LA_SOUTH: 40}",
    ]


def pooled_tables(close: int) -> tuple[SheetData, ...]:
    """The funds, contributions and schemes sheets at a close (spend at its pressure, forecast alike)."""
    funds = SheetData("funds", (
        Column("fund", "text", text([FUND])), Column("name", "text", text(["Better Care Fund"])),
        Column("host", "text", text(["LA_NORTH"])), Column("agreement", "text", text(["bcf"])),
    ))
    contributions = SheetData("contributions", (
        Column("fund", "text", text([FUND] * len(CONTRIBUTIONS))),
        Column("partner", "text", text([p for p, _ in CONTRIBUTIONS])),
        Column("plan", "money", np.array([a * 100 for _, a in CONTRIBUTIONS], dtype=np.int64)),
    ))
    month = np.tile(np.arange(1, MONTHS + 1), len(SCHEMES))
    plan = np.repeat([s[2] * 100 // MONTHS for s in SCHEMES], MONTHS).astype(np.int64)
    spend = np.rint(plan * (1 + np.repeat([s[3] for s in SCHEMES], MONTHS))).astype(np.int64)
    after = month > close
    schemes = SheetData("schemes", (
        Column("fund", "text", text([FUND] * len(month))),
        Column("scheme_id", "text", np.repeat(text([s[0] for s in SCHEMES]), MONTHS)),
        Column("scheme", "text", np.repeat(text([s[1] for s in SCHEMES]), MONTHS)),
        Column("month", "int", month),
        Column("plan", "money", plan),
        Column("actual", "money", spend, after),
        Column("forecast", "money", spend, ~after),
    ))
    assert [s.name for s in POOLED.sheets] == ["funds", "contributions", "schemes"]
    return funds, contributions, schemes
