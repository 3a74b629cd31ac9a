"""The example year's system.yaml, every key documented by a comment.

It follows the spec's system.example.yaml key for key, with the example's own figures: the
PHC growth and prior-year outturn come from the generated packages, so the year's file and
its workbooks tell one story.
"""

from __future__ import annotations

from finmodel.contract import PHC_SERVICES
from finmodel.example.phc import HIGH_COST_BANDS, Phc
from finmodel.example.pooled import share_rules_yaml
from finmodel.example.shape import (
    H2_FROM_MONTH,
    H2_TARGETS,
    ICB_CODE,
    ICB_NAME,
    ICB_PRIOR_YEAR_OUTTURN,
    IFRS16_ALLOCATION,
    PROVIDERS,
    SYSTEM_NAME,
    TARGETS,
    YEAR,
)

# The CHC package reviews still to deliver to year end, £ (netted off the package forecast).
PHC_QIPP = {"adult_chc": 400_000}


def _pounds(value: int) -> str:
    return f"{value:_}"


def _comment(line: str, note: str, at: int = 30) -> str:
    return f"{line.ljust(at)}# {note}"


def _organisations() -> list[str]:
    lines = ["organisations:                # board-pack order"]
    for index, shape in enumerate(PROVIDERS):
        first = index == 0
        lines.append(_comment(f"  - code: {shape.code}", "upper case, used in every workbook's `org` column") if first else f"  - code: {shape.code}")
        lines.append(f"    name: {shape.name}")
        lines.append(_comment(f"    type: {shape.type}", "acute | community_mh | ambulance | specialist | icb | other") if first else f"    type: {shape.type}")
        if shape.agency_cap is not None:
            lines.append(_comment(f"    agency_cap: {_pounds(shape.agency_cap)}", "optional: NHS England's annual cap, phased evenly; `none` = no cap;"))
            lines.append(_comment("", "  absent = parameters.agency_cap_pct of planned pay"))
        note = "optional: last year's surplus/(deficit), for growth on last year" if first else ""
        outturn = f"    prior_year_outturn: {_pounds(shape.prior_year_outturn)}"
        lines.append(_comment(outturn, note, 37) if note else outturn)
    lines += [f"  - code: {ICB_CODE}", f"    name: {ICB_NAME}", "    type: icb", f"    prior_year_outturn: {_pounds(ICB_PRIOR_YEAR_OUTTURN)}"]
    return lines


def _targets() -> list[str]:
    lines = ["targets:                      # agreed full-year surplus/(deficit) per organisation"]
    lines += [f"  {code}: {_pounds(value)}" for code, value in TARGETS.items()]
    revised = ", ".join(f"{code}: {_pounds(value)}" for code, value in H2_TARGETS.items())
    lines += [
        "target_revisions:             # optional: targets re-set from a month on (e.g. the H2 re-forecast);",
        "                              #   organisations not named keep their target",
        f"  - from_month: {H2_FROM_MONTH}",
        "    reason: H2 plan agreed with NHS England",
        f"    targets: {{{revised}}}",
    ]
    return lines


def _phc(phc: Phc) -> list[str]:
    bands = ", ".join(_pounds(low) for low, _ in HIGH_COST_BANDS[1:])
    lines = [
        "  phc:",
        _comment(f"    high_cost_weekly: {_pounds(HIGH_COST_BANDS[0][0])}", "a package at or above this weekly cost is high-cost", 35),
        _comment(f"    bands: [{bands}]", "high-cost cohort band edges, weekly £", 45),
        _comment("    price_uplift: {pct: 0, from_month: 1}", "applied to live packages from that month (default none)", 45),
        _comment("    growth:", "expected new packages a month, and their average weekly cost, £ (default 0)", 35),
    ]
    for service in PHC_SERVICES:
        lines.append(f"      {service}: {{new_per_month: {phc.new_per_month[service]}, average_weekly: {_pounds(phc.average_weekly[service])}}}")
    lines.append(_comment("    qipp:", "savings still to come to year end by service, £ (default none)", 35))
    lines += [f"      {service}: {_pounds(value)}" for service, value in PHC_QIPP.items()]
    lines.append(_comment("    prior_year_outturn:", "last year's PHC outturn by service, £, for growth on last year", 35))
    lines += [f"      {service}: {_pounds(phc.prior_year_outturn[service])}" for service in PHC_SERVICES]
    return lines


_HEADER = """\
# system.yaml: one per financial year, at inputs/<year>/system.yaml.
# The shape finance staff edit. Money is in pounds, exact: a whole number or at most two
# decimals ("_" may group digits). Percentages are numbers 0..100. Every key below
# `parameters` is optional; its comment gives the default.
# The Example ICS is fictional: its organisations and figures are made up.
"""

_PARAMETERS = """\
parameters:
  agency_cap_pct: 3.7              # of planned pay, for organisations without agency_cap (default 3.7)
  recurrent_efficiency_target_pct: 60   # recurrent share of efficiency delivered (default 60)
  materiality: 500_000             # movements smaller than this show ■ (default 500_000)
  forecast_method:                 # model forecast per line group: submitted | plan | run_rate | trend | seasonal
    default: submitted             #   (default submitted for every line group)
    prescribing: run_rate          #   prices have run above plan all year
  run_rate_months: 3               # months in the run rate (default 3)
  exit_run_rate: last_quarter      # exit run rate from the last full quarter closed, or m12_forecast (default last_quarter)
  cip_probability_pct:             # risk-adjusted CIP forecast, by scheme rating (defaults shown)
    fully_developed: 100
    plans_in_progress: 75
    opportunity: 50
    unidentified: 0
  likelihood_pct:                  # words allowed in risks.xlsx `likelihood` (defaults shown)
    low: 25
    medium: 50
    high: 75
    almost_certain: 95
"""


def system_yaml_text(phc: Phc) -> str:
    lines = [
        _HEADER,
        _comment(f"year: {YEAR.label}", f"the financial year; its folder is inputs/{YEAR.folder}/"),
        _comment(f"system: {SYSTEM_NAME}", "shown on every sheet of the board pack"),
        "",
        *_organisations(),
        "",
        *_targets(),
        "",
        "groups:                       # optional named subtotals shown in the board tables",
        f"  Acute providers: [{', '.join(p.code for p in PROVIDERS if p.type == 'acute')}]",
        f"  Community, mental health and ambulance: [{', '.join(p.code for p in PROVIDERS if p.type != 'acute')}]",
        "",
        "capital:",
        _comment(f"  ifrs16_allocation: {_pounds(IFRS16_ALLOCATION)}", "the system's IFRS 16 allocation (default 0)", 35),
        "",
        _PARAMETERS.rstrip("\n"),
        *_phc(phc),
        "",
        *share_rules_yaml(),
    ]
    return "\n".join(lines) + "\n"
