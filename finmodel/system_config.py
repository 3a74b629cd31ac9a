"""system.yaml: the year's organisations, agreed targets and parameters.

The pydantic models here are the schema finance staff edit (its JSON schema is published
in docs/). Money is exact pounds in the file and integer pence in the model.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from finmodel.calendar import FinancialYear
from finmodel.contract import (
    CIP_RATINGS,
    CONTINUING_CARE,
    FORECAST_METHODS,
    ICB_SERVICE_LINES,
    ORG_TYPES,
    PHC_SERVICES,
    ORG_CODE_PATTERN,
    is_provider,
)
from finmodel.findings import Finding, shown
from finmodel.money import pounds_to_pence
from finmodel.pooled_config import Partner, ShareRule, pooled_findings
from finmodel.typos import meant
from finmodel.yaml_input import MAX_YAML_BYTES, located, parse_yaml, read_yaml_file

MAX_SYSTEM_YAML_BYTES = MAX_YAML_BYTES
SYSTEM_YAML = "system.yaml"

# Line groups a forecast method may be chosen for (the ledger's `line_group`).
PROVIDER_LINE_GROUPS = ("income", "pay", "non_pay", "non_operating")
ICB_LINE_GROUPS = ("allocation", *ICB_SERVICE_LINES[:3], CONTINUING_CARE, *ICB_SERVICE_LINES[3:])
LINE_GROUPS = tuple(dict.fromkeys(PROVIDER_LINE_GROUPS + ICB_LINE_GROUPS))


def _to_pence(value: Any) -> int:
    """Pounds (whole or at most two decimals, '_' allowed) -> pence. Floats are read by repr."""
    if isinstance(value, bool):
        raise ValueError("expected an amount in pounds, not true/false")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, (str, Decimal)):
        text = str(value).replace("_", "").replace(",", "").strip()
        try:
            amount = Decimal(text)
        except Exception as exc:
            raise ValueError(f"expected an amount in pounds, found {value!r}") from exc
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise ValueError(f"expected pounds with at most two decimals, found {value!r}")
        return pounds_to_pence(amount)
    raise ValueError(f"expected an amount in pounds, found {value!r}")


Pence = Annotated[int, BeforeValidator(_to_pence)]
Percent = Annotated[Decimal, Field(ge=0, le=100)]

# The ledger's detail columns an organisation may be split into segments by (ledger.py's
# text columns, less org, source and line group, which are not detail a team codes).
SEGMENT_COLUMNS = ("cost_centre", "subjective", "description", "line", "driver", "staff_group", "pay_type", "kind")


def _detail_text(value: Any) -> Any:
    """A segment code as the detail cell holds it: cost centres are often numbers in YAML."""
    if isinstance(value, bool):
        raise ValueError("expected the detail value (text), not true/false")
    return str(value) if isinstance(value, int) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Segment(_Strict):
    code: Annotated[str, BeforeValidator(_detail_text)] = Field(
        min_length=1, max_length=100, description="the detail value of the segment's rows (e.g. the cost centre)"
    )
    label: str = Field("", max_length=100, description="shown in the board pack; absent = the code")
    order: int | None = Field(None, description="place among the organisation's segments; absent = the order listed")
    prior_year_outturn: Pence | None = Field(None, description="last year's surplus/(deficit) of the segment, £")

    @property
    def shown(self) -> str:
        return self.label or self.code


class Organisation(_Strict):
    code: str = Field(pattern=ORG_CODE_PATTERN, description="upper case, used in every workbook's org column")
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field("", max_length=40, description="for the column headers of tight tables (KPIs); absent = name")
    type: Literal[ORG_TYPES]  # type: ignore[valid-type]
    agency_cap: Pence | Literal["none"] | None = Field(
        None, description="NHS England's annual agency cap in £, phased evenly; 'none' = no cap; absent = % of planned pay"
    )
    prior_year_outturn: Pence | None = Field(None, description="last year's surplus/(deficit), £")
    segment_by: Literal[SEGMENT_COLUMNS] | None = Field(  # type: ignore[valid-type]
        None, description="the detail column whose values are the organisation's segments (usually cost_centre); absent = none"
    )
    segments: tuple[Segment, ...] = Field(
        (), description="the segments, by code; absent = every value found in segment_by, in sorted order"
    )

    @model_validator(mode="after")
    def _segments_need_a_column(self) -> Organisation:
        if self.segments and self.segment_by is None:
            raise ValueError("segments are listed but segment_by is not set: name the detail column, e.g. segment_by: cost_centre")
        codes = [s.code for s in self.segments]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"segment codes repeat: {repeated}")
        outturns = [s.prior_year_outturn for s in self.segments]
        if self.prior_year_outturn is not None and outturns and None not in outturns:
            total = sum(o for o in outturns if o is not None)
            if total != self.prior_year_outturn:  # segments add up to their organisation, last year too
                raise ValueError(
                    f"the segments' prior_year_outturn add up to {total / 100:,.2f}, not the organisation's {self.prior_year_outturn / 100:,.2f}"
                )
        return self

    @property
    def shown_short(self) -> str:
        """The name for a tight table's column header."""
        return self.short_name or self.name

    @property
    def ordered_segments(self) -> tuple[Segment, ...]:
        """The listed segments in board order: those with an ``order`` by it, then the rest as listed."""
        ranked = sorted(enumerate(self.segments), key=lambda p: (p[1].order is None, p[1].order or 0, p[0]))
        return tuple(s for _, s in ranked)

    @property
    def is_provider(self) -> bool:
        return is_provider(self.type)

    @property
    def is_icb(self) -> bool:
        return self.type == "icb"


class TargetRevision(_Strict):
    from_month: int = Field(ge=1, le=12)
    reason: str = ""
    targets: dict[str, Pence]


class Capital(_Strict):
    ifrs16_allocation: Pence = 0


class PriceUplift(_Strict):
    pct: Decimal = Field(Decimal(0), ge=-100, le=1000)
    from_month: int = Field(1, ge=1, le=12)


class PhcGrowth(_Strict):
    new_per_month: Decimal = Field(Decimal(0), ge=0)
    average_weekly: Pence = 0


class PhcParameters(_Strict):
    high_cost_weekly: Pence = 7_550 * 100
    bands: tuple[Pence, ...] = (9_500 * 100, 11_500 * 100, 13_500 * 100, 15_500 * 100)
    price_uplift: PriceUplift = PriceUplift()
    growth: dict[Literal[PHC_SERVICES], PhcGrowth] = {}  # type: ignore[valid-type]
    qipp: dict[Literal[PHC_SERVICES], Pence] = Field(  # type: ignore[valid-type]
        {}, description="savings still to come to year end by service, £ (less QIPP in the package forecast)"
    )
    prior_year_outturn: dict[Literal[PHC_SERVICES], Pence] = {}  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _bands_rise(self) -> PhcParameters:
        if list(self.bands) != sorted(set(self.bands)):
            raise ValueError("bands must rise strictly")
        return self


def _default_probabilities() -> dict[str, Decimal]:
    return {"fully_developed": Decimal(100), "plans_in_progress": Decimal(75), "opportunity": Decimal(50), "unidentified": Decimal(0)}


def _default_likelihoods() -> dict[str, Decimal]:
    return {"low": Decimal(25), "medium": Decimal(50), "high": Decimal(75), "almost_certain": Decimal(95)}


class Parameters(_Strict):
    agency_cap_pct: Percent = Decimal("3.7")
    recurrent_efficiency_target_pct: Percent = Decimal(60)
    materiality: Pence = 500_000 * 100
    # A pair of organisations whose reports of the flow between them differ by more than this
    # (YTD or FOT) is flagged in the agreement of balances (domain.md).
    agreement_materiality: Pence = Field(250_000 * 100, ge=0)
    forecast_method: dict[str, Literal[FORECAST_METHODS]] = {"default": "submitted"}  # type: ignore[valid-type]
    run_rate_months: int = Field(3, ge=1, le=12)
    cip_probability_pct: dict[Literal[CIP_RATINGS], Percent] = Field(default_factory=_default_probabilities)  # type: ignore[valid-type]
    likelihood_pct: dict[str, Percent] = Field(default_factory=_default_likelihoods)
    phc: PhcParameters = PhcParameters()
    # The basis of the exit run rate (results/underlying.py): the last full quarter closed, or M12's forecast.
    exit_run_rate: Literal["last_quarter", "m12_forecast"] = Field(
        "last_quarter",
        description="the exit run rate = the recurrent monthly position x 12, from last_quarter (the monthly average of "
        "the last full quarter closed: M1-M3 .. M10-M12; the closed months before M3) or m12_forecast (month 12 as forecast)",
    )

    @model_validator(mode="after")
    def _known_line_groups(self) -> Parameters:
        unknown = sorted(set(self.forecast_method) - {"default", *LINE_GROUPS})
        if unknown:
            raise ValueError(f"forecast_method has unknown line groups {', '.join(unknown)}; use default or one of {', '.join(LINE_GROUPS)}")
        return self

    def cip_probability(self, rating: str) -> Decimal:
        return self.cip_probability_pct.get(rating, _default_probabilities()[rating])  # type: ignore[call-overload]

    def forecast_method_for(self, line_group: str) -> str:
        return self.forecast_method.get(line_group, self.forecast_method.get("default", "submitted"))


class SystemConfig(_Strict):
    year: str = Field(description="the financial year, e.g. 2023/24")
    system: str = Field(min_length=1, max_length=200, description="the system's name, shown on every sheet")
    organisations: tuple[Organisation, ...] = Field(min_length=1)
    targets: dict[str, Pence]
    target_revisions: tuple[TargetRevision, ...] = ()
    groups: dict[str, tuple[str, ...]] = {}
    capital: Capital = Capital()
    parameters: Parameters = Parameters()
    partners: tuple[Partner, ...] = Field((), description="bodies outside the ICS that pool money with it (councils)")
    share_rules: tuple[ShareRule, ...] = Field((), description="who bears what part of a pooled fund's or a baselined service's variance")

    @field_validator("year")
    @classmethod
    def _a_year(cls, year: str) -> str:
        FinancialYear.parse(year)
        return year

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> SystemConfig:
        # parse_system asks for the faults as findings, each at its key path, all at once;
        # anyone else constructing a SystemConfig gets them raised.
        found = consistency_findings(self)
        if found and isinstance(info.context, dict) and isinstance(info.context.get("consistency"), list):
            info.context["consistency"].extend(found)
        elif found:
            raise ValueError("; ".join(f.message for f in found))
        return self

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.parse(self.year)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.organisations)

    def organisation(self, code: str) -> Organisation:
        return next(o for o in self.organisations if o.code == code)

    @property
    def providers(self) -> tuple[Organisation, ...]:
        return tuple(o for o in self.organisations if o.is_provider)

    @property
    def icbs(self) -> tuple[Organisation, ...]:
        return tuple(o for o in self.organisations if o.is_icb)

    def target(self, code: str, month: int) -> int:
        """Agreed full-year target (pence) in force at close `month`: the latest revision wins."""
        value = self.targets[code]
        for revision in sorted(self.target_revisions, key=lambda r: r.from_month):
            if revision.from_month <= month and code in revision.targets:
                value = revision.targets[code]
        return value


def consistency_findings(config: SystemConfig) -> list[Finding]:
    """Organisation codes unique, each with an agreed target, and every code that targets,
    target revisions and groups name one of them: each fault at its key path."""
    codes = [o.code for o in config.organisations]
    listing = ", ".join(dict.fromkeys(codes))
    found: list[Finding] = []

    def fault(path: str, value: str, expected: str) -> None:
        found.append(Finding(SYSTEM_YAML, "", None, path, "system_yaml", shown(value), expected))

    for i, code in enumerate(codes):
        if code in codes[:i]:
            fault(f"organisations.{i}.code", code, f"each organisation's code once (organisations.{codes.index(code)} is also {code})")
    for code in codes:
        if code not in config.targets:
            fault("targets", "", f"an agreed target for {code} (write {code}: 0 for break-even)")

    def known(path: str, code: str) -> None:
        if code not in codes:
            fault(path, code, f"an organisation code of system.yaml: {listing}{meant(code, tuple(codes))}")

    for code in config.targets:
        known(f"targets.{code}", code)
    for r, revision in enumerate(config.target_revisions):
        for code in revision.targets:
            known(f"target_revisions.{r}.targets.{code}", code)
    for name, members in config.groups.items():
        for m, code in enumerate(members):
            known(f"groups.{name}.{m}", code)
    return found


def parse_system(text: str) -> tuple[SystemConfig | None, list[Finding]]:
    """Validate system.yaml text; every fault named by its key path."""
    raw, found = parse_yaml(text, SYSTEM_YAML)
    if found:
        return None, found
    if not isinstance(raw, dict):
        return None, [Finding(SYSTEM_YAML, "", None, "(top level)", "system_yaml", shown(raw), "a mapping of keys such as year, system, organisations")]
    consistency: list[Finding] = []
    try:
        config = SystemConfig.model_validate(raw, context={"consistency": consistency})
    except ValidationError as exc:
        return None, located(exc, SYSTEM_YAML, "system_yaml", SystemConfig)
    icbs = tuple(o.code for o in config.icbs)
    pooled = pooled_findings(config.codes, icbs, config.partners, config.share_rules, config.parameters.phc.prior_year_outturn)
    found = consistency + pooled
    return (None, found) if found else (config, [])


def load_system(path: Path) -> tuple[SystemConfig | None, list[Finding]]:
    text, _, found = read_yaml_file(path, "system.yaml in the year folder")
    if text is None:
        return None, [replace(f, workbook=SYSTEM_YAML) for f in found]
    return parse_system(text)
