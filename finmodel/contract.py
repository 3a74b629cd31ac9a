"""The input contract: workbook, sheet and column names and their codes.

This is the one source of truth for every name finance staff build their exports to
(``inputs.md`` of the spec). Validation, the ``init`` templates, the example ICS and the
docs all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ORG_TYPES = ("acute", "community_mh", "ambulance", "specialist", "icb", "other")
PROVIDER_TYPES = ("acute", "community_mh", "ambulance", "specialist")
# An organisation code as system.yaml declares it and every workbook's org column writes it:
# upper case, so a code typed in any workbook matches exactly (system.yaml and scenario
# files check their codes against this one pattern).
ORG_CODE_PATTERN = r"^[A-Z][A-Z0-9_]{0,19}$"
# The three amounts of every ledger line, in the order the workbooks and frames hold them.
MONEY_COLUMNS = ("plan", "actual", "forecast")


def is_provider(org_type: str) -> bool:
    """A provider trust (acute, community/MH, ambulance, specialist): in the provider total.

    The ICB commissions and ``other`` bodies are neither; both are reported on their own rows.
    """
    return org_type in PROVIDER_TYPES


DRIVERS = (
    "industrial_action_cost",
    "industrial_action_funding",
    "inflation",
    "agency_escalation",
    "efficiency",
    "vacancies",
    "phc",
    "erf",
    "other",
)
PROVIDER_INCOME_CATEGORIES = ("clinical_icb", "clinical_other", "erf", "national_funding", "other_operating")
ICB_INCOME_CATEGORIES = ("allocation",)
INCOME_CATEGORIES = PROVIDER_INCOME_CATEGORIES + ICB_INCOME_CATEGORIES
PAY_TYPES = ("substantive", "bank", "agency", "other")
NONPAY_KINDS = ("operating", "non_operating")
ICB_SERVICE_LINES = (
    "acute",
    "mental_health",
    "community",
    "primary_care",
    "prescribing",
    "other_commissioned",
    "other_programme",
    "delegated_primary_care",
    "running_costs",
)
# Continuing care is an ICB service line too, but only phc.xlsx may book it.
CONTINUING_CARE = "continuing_care"
FRAMEWORKS = ("on", "off")
CIP_CATEGORIES = ("pay", "non_pay", "income")
CIP_RATINGS = ("fully_developed", "plans_in_progress", "opportunity", "unidentified")
YES_NO = ("yes", "no")
PHC_SERVICES = ("adult_chc", "cypcc", "fast_track", "interim", "fnc", "s117", "phb")
CAPITAL_PROGRAMMES = ("cdel", "ifrs16", "other")
RISK_TYPES = ("risk", "mitigation")
RISK_CATEGORIES = ("inflation", "cip_delivery", "erf", "agency_escalation", "phc", "industrial_action", "other")
MITIGATION_STATUSES = ("identified", "in_progress", "delivered")
# Whether a ledger row's amount recurs next year (domain.md, "Underlying position"); blank = recurrent.
RECURRENCES = ("recurrent", "non_recurrent")
POOLED_AGREEMENTS = ("bcf", "s75")  # the Better Care Fund, a section 75 agreement
FORECAST_METHODS = ("submitted", "plan", "run_rate", "trend", "seasonal")

ColumnKind = Literal[
    "org",  # an organisation code from system.yaml
    "party",  # an organisation or partner code from system.yaml (pooled.xlsx; checked by the pooled rules)
    "month",  # 1..12, M1..M12, M01..M12 or a date inside the year
    "money",  # pounds, read to exact pence
    "code",  # one of `codes`
    "text",  # free text
    "id",  # free text that must be unique in its sheet
    "date",  # a calendar date (UK day-first when written as text)
    "fraction",  # a number 0..1
    "likelihood",  # 0..100 or a word from system.yaml
    "count",  # a whole number >= 0
]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = True
    codes: tuple[str, ...] = ()
    meaning: str = ""


@dataclass(frozen=True)
class Sheet:
    workbook: str  # file name, e.g. "pay.xlsx"
    name: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


@dataclass(frozen=True)
class Workbook:
    name: str  # e.g. "pay"; the file is f"{name}.xlsx"
    required: bool
    sheets: tuple[Sheet, ...]

    @property
    def filename(self) -> str:
        return f"{self.name}.xlsx"

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


# A ledger row's recurrence (income, pay, nonpay): optional, blank = recurrent.
RECURRENCE = Column("recurrence", "code", False, RECURRENCES, "recurrent (blank) or non_recurrent: a one-off item")
# The other side of a flow between organisations (domain.md, "agreement of balances"): on
# the ledger rows, not on agency.xlsx (detail of the pay lines, never in the ledger).
COUNTERPARTY = Column("counterparty", "text", False, meaning="the other side: an organisation code of system.yaml, or free text for a body outside")


def _ledger_columns(*own: Column, org_required: bool = True, ledger_row: bool = True) -> tuple[Column, ...]:
    return (
        Column("org", "org", org_required, meaning="organisation code from system.yaml"),
        Column("month", "month", meaning="1..12, M1..M12, M01..M12 or a date inside the year"),
        *own,
        Column("plan", "money", False, meaning="£; blank means 0"),
        Column("actual", "money", False, meaning="£; required for months 1..M, blank after M"),
        Column("forecast", "money", False, meaning="£; only after M; blank = forecast at plan"),
        Column("driver", "code", False, DRIVERS, "variance driver tag"),
        Column("cost_centre", "text", False),
        Column("subjective", "text", False),
        Column("description", "text", False),
        *((COUNTERPARTY, RECURRENCE) if ledger_row else ()),  # the ledger's rows only
    )


def _sheet(workbook: str, name: str, columns: tuple[Column, ...]) -> Sheet:
    return Sheet(f"{workbook}.xlsx", name, columns)


INCOME = Workbook(
    "income",
    True,
    (_sheet("income", "income", _ledger_columns(Column("category", "code", True, INCOME_CATEGORIES))),),
)
PAY = Workbook(
    "pay",
    True,
    (
        _sheet(
            "pay",
            "pay",
            (
                *_ledger_columns(
                    Column("staff_group", "text", True, meaning="e.g. Medical, Nursing, AHP, Admin"),
                    Column("pay_type", "code", True, PAY_TYPES),
                ),
            ),
        ),
    ),
)
NONPAY = Workbook(
    "nonpay",
    True,
    (
        _sheet(
            "nonpay",
            "nonpay",
            (
                *_ledger_columns(
                    Column("category", "text", True, meaning="free text for providers; an ICB service line for the ICB"),
                    Column("kind", "code", True, NONPAY_KINDS),
                ),
            ),
        ),
    ),
)
AGENCY = Workbook(
    "agency",
    True,
    (
        _sheet(
            "agency",
            "agency",
            _ledger_columns(
                Column("staff_group", "text", True),
                Column("framework", "code", True, FRAMEWORKS),
                Column("supplier", "text", False),
                Column("shifts", "count", False),
                ledger_row=False,
            ),
        ),
    ),
)
CIP = Workbook(
    "cip",
    True,
    (
        _sheet(
            "cip",
            "schemes",
            (
                Column("org", "org"),
                Column("scheme_id", "id"),
                Column("scheme", "text"),
                Column("category", "code", True, CIP_CATEGORIES),
                Column("recurrent", "code", True, YES_NO),
                Column("rating", "code", True, CIP_RATINGS),
                Column("impacts_org", "org", False, meaning="ICB schemes whose saving lands in a provider"),
            ),
        ),
        _sheet(
            "cip",
            "delivery",
            (
                Column("scheme_id", "text"),
                Column("month", "month"),
                Column("plan", "money", False),
                Column("actual", "money", False),
                Column("forecast", "money", False),
            ),
        ),
    ),
)
PHC = Workbook(
    "phc",
    True,
    (
        _sheet(
            "phc",
            "budget",
            (
                Column("org", "org", False, meaning="the commissioner, where there are several"),
                Column("service", "code", True, PHC_SERVICES),
                Column("month", "month"),
                Column("plan", "money", False),
                Column("actual", "money", False),
                Column("forecast", "money", False),
                Column("driver", "code", False, DRIVERS, "defaults to phc"),
            ),
        ),
        _sheet(
            "phc",
            "packages",
            (
                Column("package_id", "id"),
                Column("org", "org", False, meaning="the commissioner, where there are several"),
                Column("service", "code", True, PHC_SERVICES),
                Column("weekly_cost", "money"),
                Column("start_date", "date"),
                Column("end_date", "date", False, meaning="blank = open"),
                Column("icb_share", "fraction", False, meaning="0..1, default 1"),
                Column("setting", "text", False),
            ),
        ),
    ),
)
CAPITAL = Workbook(
    "capital",
    False,
    (
        _sheet(
            "capital",
            "capital",
            (
                Column("org", "org"),
                Column("programme", "code", True, CAPITAL_PROGRAMMES),
                Column("plan", "money", False),
                Column("forecast", "money", False),
                Column("actual_ytd", "money", False),
                Column("description", "text", False),
            ),
        ),
    ),
)
RISKS = Workbook(
    "risks",
    False,
    (
        _sheet(
            "risks",
            "register",
            (
                Column("id", "id"),
                Column("org", "org"),
                Column("type", "code", True, RISK_TYPES),
                Column("category", "code", True, RISK_CATEGORIES),
                Column("description", "text", False),
                Column("value", "money"),
                Column("likelihood", "likelihood"),
                Column("status", "code", False, MITIGATION_STATUSES, "for mitigations"),
            ),
        ),
    ),
)
# A pooled fund of NHS organisations and councils (domain.md "Pooled budgets"): optional.
# fund, host and partner are codes checked against system.yaml and the funds sheet
# (validate/checks/pooled.py), so they are read as text here; host and partner are "party"
# columns only so that the templates offer system.yaml's codes in a drop-down.
POOLED = Workbook(
    "pooled",
    False,
    (
        _sheet(
            "pooled",
            "funds",
            (
                Column("fund", "id", meaning="the fund's code, used on the other two sheets and in share rules"),
                Column("name", "text"),
                Column("host", "party", meaning="the organisation or partner hosting the fund"),
                Column("agreement", "code", True, POOLED_AGREEMENTS, "bcf (Better Care Fund) or s75"),
            ),
        ),
        _sheet(
            "pooled",
            "contributions",
            (
                Column("fund", "text", meaning="a fund of the funds sheet"),
                Column("partner", "party", meaning="who pays in: an NHS organisation of the system, or a council"),
                Column("plan", "money", meaning="£ full year, or the month's part where month is given"),
                Column("month", "month", False, meaning="optional phasing; blank = the full year"),
            ),
        ),
        _sheet(
            "pooled",
            "schemes",
            (
                Column("fund", "text", meaning="a fund of the funds sheet"),
                Column("scheme_id", "text"),
                Column("scheme", "text"),
                Column("month", "month"),
                Column("plan", "money", False, meaning="£ spend; blank means 0"),
                Column("actual", "money", False, meaning="£; required for months 1..M, blank after M"),
                Column("forecast", "money", False, meaning="£; only after M; blank = forecast at plan"),
            ),
        ),
    ),
)

# What a ledger line is on each monthly sheet: the organisation and what is booked; with the
# cost_centre where the sheet has one (validate/checks/lines.py). A planned line needs a row
# for every month.
LINE_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("income.xlsx", "income"): ("org", "category"),
    ("pay.xlsx", "pay"): ("org", "staff_group", "pay_type"),
    ("nonpay.xlsx", "nonpay"): ("org", "category", "kind"),
    ("agency.xlsx", "agency"): ("org", "staff_group", "framework"),
    ("cip.xlsx", "delivery"): ("scheme_id",),
    ("phc.xlsx", "budget"): ("org", "service"),
    ("pooled.xlsx", "schemes"): ("fund", "scheme_id"),
}

WORKBOOKS: tuple[Workbook, ...] = (INCOME, PAY, NONPAY, AGENCY, CIP, PHC, CAPITAL, RISKS, POOLED)
WORKBOOK_BY_NAME = {w.name: w for w in WORKBOOKS}
