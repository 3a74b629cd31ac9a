"""system.yaml as finance staff see it: any SystemConfig written back as commented YAML.

`finmodel init` writes this text, so every key carries a comment saying what it means and,
for parameters, its default. The layout follows the spec's system.example.yaml. Codes in
the comments come from the contract, and defaults from the pydantic models, so the text
cannot disagree with what parse_system accepts. `parse_system(system_yaml(s))` gives `s`
back (tested), which is what makes it safe to write a user's own system.
"""

from __future__ import annotations

import json
import re
import textwrap
from decimal import Decimal

import yaml

from finmodel.calendar import FinancialYear
from finmodel.pooled_template import pooled_yaml
from finmodel.contract import CIP_RATINGS, FORECAST_METHODS, ORG_TYPES, PHC_SERVICES
from finmodel.system_config import (
    LINE_GROUPS,
    SEGMENT_COLUMNS,
    Organisation,
    Segment,
    Parameters,
    PhcParameters,
    SystemConfig,
    TargetRevision,
)

TOP = 30  # comment column of top-level keys and organisations, as in system.example.yaml
PARAMS = 35  # comment column under `parameters`
WIDTH = 110  # longer comments wrap onto continuation lines, so the file reads in any editor

STARTER_NAME = "Example ICS"
STARTER_ORGANISATIONS = (
    Organisation(code="ACUTE1", name="Example Acute Hospitals NHS Foundation Trust", type="acute"),
    Organisation(code="CMH", name="Example Community and Mental Health NHS Trust", type="community_mh"),
    Organisation(code="ICB", name="NHS Example Integrated Care Board", type="icb"),
)

# A plain YAML scalar is kept only when it reads back as the same string; anything else
# (a colon, `NO` read as false by YAML 1.1, 1_000 read as a number) is written double-quoted.
_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .'()&/+-]*(?<! )$")


def starter_system(year: str) -> SystemConfig:
    """A placeholder system: three organisations at break-even and every default."""
    return SystemConfig(
        year=FinancialYear.parse(year).label,
        system=STARTER_NAME,
        organisations=STARTER_ORGANISATIONS,
        targets={o.code: 0 for o in STARTER_ORGANISATIONS},
    )


def _text(value: str) -> str:
    if _PLAIN.match(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _pounds(pence: int) -> str:
    """Exact pounds with `_` grouping: 6_734_400, -600_000, 1_234.50."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole:_}" + (f".{part:02d}" if part else "")


def _number(value: Decimal | int) -> str:
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def _line(text: str, note: str = "", at: int = TOP) -> str:
    """`text` with its comment at column `at`; a long comment continues on further lines."""
    if not note:
        return text
    start = f"{text.ljust(at - 1)} # " if len(text) < at - 1 else f"{text}  # "
    first, *rest = textwrap.wrap(note, max(40, WIDTH - len(start)), break_long_words=False, break_on_hyphens=False)
    return "\n".join([start + first, *(_more(line, at) for line in rest)])


def _more(note: str, at: int = TOP) -> str:
    """A comment continuing the previous line's, aligned under it."""
    lines = textwrap.wrap(note, WIDTH - at - 4, break_long_words=False, break_on_hyphens=False)
    return "\n".join(f"{' ' * at}#   {line}" for line in lines)


def _flow(mapping: dict[str, str]) -> str:
    return "{" + ", ".join(f"{_text(k)}: {v}" for k, v in mapping.items()) + "}"


def _header(system: SystemConfig) -> list[str]:
    fy = system.financial_year
    return [
        f"# system.yaml: one per financial year, in the year's folder ({fy.folder}/); the year's close",
        "# folders (M01 .. M12) sit beside it. Money is in pounds, exact: a whole number or at most",
        '# two decimals ("_" may group digits). Percentages are numbers 0..100. Every key under',
        "# `parameters` is optional: leave it out and its default (given in its comment) applies.",
        "# The guide to every key is docs/system-yaml.md; the schema is docs/system.schema.json.",
        "",
        _line(f"year: {_text(system.year)}", f"the financial year; its folder is named {fy.folder}"),
    ]


def _organisation(org: Organisation, first: bool) -> list[str]:
    note = (lambda text: text if first else "")  # noqa: E731 - explain each key once, on the first
    lines = [
        _line(f"  - code: {_text(org.code)}", note("upper case, used in every workbook's `org` column")),
        _line(f"    name: {_text(org.name)}", note("shown in the board pack")),
        *_short_name(org, first),
        _line(f"    type: {org.type}", note(" | ".join(ORG_TYPES))),
    ]
    cap_note = "optional: NHS England's annual agency cap, £, phased evenly;"
    cap_more = [_more("`none` = no cap (the pack shows a dash); absent = parameters.agency_cap_pct of planned pay")]
    if org.agency_cap is not None:
        cap = "none" if org.agency_cap == "none" else _pounds(org.agency_cap)
        lines.append(_line(f"    agency_cap: {cap}", note(cap_note)))
        lines += cap_more if first else []
    elif first:
        lines += [_line("    # agency_cap: 6_734_400", cap_note), *cap_more]
    outturn_note = "optional: last year's surplus/(deficit), £, for growth on last year"
    if org.prior_year_outturn is not None:
        lines.append(_line(f"    prior_year_outturn: {_pounds(org.prior_year_outturn)}", note(outturn_note)))
    elif first:
        lines.append(_line("    # prior_year_outturn: -4_200_000", outturn_note))
    return lines + _segments(org, first)


def _short_name(org: Organisation, first: bool) -> list[str]:
    note = "optional: the column header of tight tables such as the KPIs (absent = name)"
    if org.short_name:
        return [_line(f"    short_name: {_text(org.short_name)}", note if first else "")]
    return [_line("    # short_name: Example Acute", note)] if first else []


def _segment(segment: Segment) -> str:
    parts = {"code": _text(segment.code)}
    if segment.label:
        parts["label"] = _text(segment.label)
    if segment.order is not None:
        parts["order"] = str(segment.order)
    if segment.prior_year_outturn is not None:
        parts["prior_year_outturn"] = _pounds(segment.prior_year_outturn)
    return "      - " + _flow(parts)


def _segments(org: Organisation, first: bool) -> list[str]:
    by_note = f"optional: the detail column whose values are the organisation's segments ({' | '.join(SEGMENT_COLUMNS)})"
    list_note = "optional: code (the detail value), label, order, prior_year_outturn; absent = every value found"
    if org.segment_by is None:
        return [_line("    # segment_by: cost_centre", by_note), _more("and segments: [{code: \"100\", label: North}, ...]")] if first else []
    lines = [_line(f"    segment_by: {org.segment_by}", by_note if first else "")]
    if org.segments:
        lines.append(_line("    segments:", list_note if first else ""))
        lines += [_segment(s) for s in org.segments]
    return lines


def _organisations(system: SystemConfig) -> list[str]:
    lines = ["", _line("organisations:", "board-pack order; codes, names and types")]
    for index, org in enumerate(system.organisations):
        lines += _organisation(org, index == 0)
    return lines


def _revision(revision: TargetRevision, first: bool) -> list[str]:
    targets = _flow({code: _pounds(value) for code, value in revision.targets.items()})
    return [
        _line(f"  - from_month: {revision.from_month}", "the first close month (1..12) the revised targets apply to" if first else ""),
        _line(f"    reason: {_text(revision.reason)}", "why they were re-set, for the record" if first else ""),
        _line(f"    targets: {targets}", "revised full-year targets, £" if first else ""),
    ]


def _targets(system: SystemConfig) -> list[str]:
    lines = ["", _line("targets:", "agreed full-year surplus/(deficit), £, for EVERY organisation (0 = break-even)")]
    lines += [f"  {_text(code)}: {_pounds(system.targets[code])}" for code in system.codes]
    intro = "optional: targets re-set from a month on (the H2 re-forecast);"
    kept = _more("organisations not named keep their target; the latest revision in force wins")
    if not system.target_revisions:
        example = _flow({system.codes[0]: "-600_000"})
        return lines + [
            _line("target_revisions: []", intro),
            kept,
            _more("e.g. - {from_month: 7, reason: H2 plan, targets: " + example + "}"),
        ]
    lines += [_line("target_revisions:", intro), kept]
    for index, revision in enumerate(system.target_revisions):
        lines += _revision(revision, index == 0)
    return lines


def _groups(system: SystemConfig) -> list[str]:
    note = "optional: named subtotals for the board tables (provider and system totals are always there)"
    if not system.groups:
        acute = [o.code for o in system.organisations if o.type == "acute"]
        example = f"Acute providers: [{', '.join(acute)}]" if acute else f"My group: [{system.codes[0]}]"
        return ["", _line("groups: {}", note), _more(f"e.g. {example}")]
    lines = ["", _line("groups:", note)]
    for name, members in system.groups.items():
        lines.append(f"  {_text(name)}: [" + ", ".join(_text(m) for m in members) + "]")
    return lines


def _capital(system: SystemConfig) -> list[str]:
    return [
        "",
        _line("capital:", "optional"),
        _line(f"  ifrs16_allocation: {_pounds(system.capital.ifrs16_allocation)}", "the system's IFRS 16 capital allocation, £ (default 0)"),
    ]


def _percentages(mapping: dict[str, Decimal]) -> list[str]:
    return [f"    {_text(key)}: {_number(value)}" for key, value in mapping.items()]


def _phc(phc: PhcParameters) -> list[str]:
    default = PhcParameters()
    services = " | ".join(PHC_SERVICES)
    bands = ", ".join(_pounds(b) for b in phc.bands)
    uplift = f"{{pct: {_number(phc.price_uplift.pct)}, from_month: {phc.price_uplift.from_month}}}"
    lines = [
        _line("  phc:", "placement and healthcare packages (continuing care)", PARAMS),
        _line(f"    high_cost_weekly: {_pounds(phc.high_cost_weekly)}", f"a package at or above this weekly £ is high-cost (default {_pounds(default.high_cost_weekly)})", PARAMS),
        _line(f"    bands: [{bands}]", "high-cost cohort band edges, weekly £, rising", PARAMS),
        _more("default [" + ", ".join(_pounds(b) for b in default.bands) + "]", PARAMS),
        _line(f"    price_uplift: {uplift}", "% uplift applied to live packages from that month (default 0)", PARAMS),
    ]
    growth = {s: f"{{new_per_month: {_number(g.new_per_month)}, average_weekly: {_pounds(g.average_weekly)}}}" for s, g in phc.growth.items()}
    qipp = {s: _pounds(v) for s, v in phc.qipp.items()}
    outturn = {s: _pounds(v) for s, v in phc.prior_year_outturn.items()}
    for key, values, note, example in (
        ("growth", growth, "expected new packages a month and their average weekly cost, £", "{new_per_month: 2, average_weekly: 2_000}"),
        ("qipp", qipp, "PHC savings still to come to year end, £ (less from the package forecast)", "400_000"),
        ("prior_year_outturn", outturn, "last year's PHC outturn, £, for growth on last year", "31_000_000"),
    ):
        if values:
            lines.append(_line(f"    {key}:", f"by service ({services}): {note}", PARAMS))
            lines += [f"      {service}: {value}" for service, value in values.items()]
        else:
            lines.append(_line(f"    {key}: {{}}", f"by service ({services}): {note}", PARAMS))
            lines.append(_more(f"e.g. adult_chc: {example}", PARAMS))
    return lines


def _parameters(params: Parameters) -> list[str]:
    default = Parameters()
    cip_default = ", ".join(f"{k} {_number(v)}" for k, v in default.cip_probability_pct.items())
    likelihood_default = ", ".join(f"{k} {_number(v)}" for k, v in default.likelihood_pct.items())
    methods = " | ".join(FORECAST_METHODS)
    lines = [
        "",
        _line("parameters:", "all optional", PARAMS),
        _line(f"  agency_cap_pct: {_number(params.agency_cap_pct)}", f"% of planned pay, for organisations without agency_cap (default {_number(default.agency_cap_pct)})", PARAMS),
        _line(f"  recurrent_efficiency_target_pct: {_number(params.recurrent_efficiency_target_pct)}", f"% of the year's efficiency that should be recurrent (default {_number(default.recurrent_efficiency_target_pct)})", PARAMS),
        _line(f"  materiality: {_pounds(params.materiality)}", f"£: movements smaller than this show ■ (default {_pounds(default.materiality)})", PARAMS),
        _line(f"  agreement_materiality: {_pounds(params.agreement_materiality)}", f"£: flows between organisations whose two sides differ by more are flagged (default {_pounds(default.agreement_materiality)})", PARAMS),
        _line("  forecast_method:", f"per line group, one of {methods}", PARAMS),
        _more("line groups: default, " + ", ".join(LINE_GROUPS), PARAMS),
    ]
    lines += [f"    {_text(group)}: {method}" for group, method in params.forecast_method.items()]
    lines += [
        _line(f"  run_rate_months: {params.run_rate_months}", f"months averaged by the run-rate forecast (default {default.run_rate_months})", PARAMS),
        _line(f"  exit_run_rate: {params.exit_run_rate}", f"last_quarter | m12_forecast: the exit run rate's month (default {default.exit_run_rate})", PARAMS),
        _line("  cip_probability_pct:", f"risk-adjusted CIP delivery, % by scheme rating ({' | '.join(CIP_RATINGS)})", PARAMS),
        _more(f"default {cip_default}", PARAMS),
        *_percentages(params.cip_probability_pct),
        _line("  likelihood_pct:", "words allowed in risks.xlsx `likelihood`, and their %", PARAMS),
        _more(f"default {likelihood_default}", PARAMS),
        *_percentages(params.likelihood_pct),
    ]
    return lines + _phc(params.phc)


def system_yaml(system: SystemConfig) -> str:
    """The commented system.yaml text of `system`; parse_system reads it back as `system`."""
    lines = [
        *_header(system),
        _line(f"system: {_text(system.system)}", "the system's name, shown on every sheet of the board pack"),
        *_organisations(system),
        *_targets(system),
        *_groups(system),
        *_capital(system),
        *_parameters(system.parameters),
        *pooled_yaml(system.partners, system.share_rules),
    ]
    return "\n".join(lines) + "\n"
