"""system.yaml's partners and share rules: who outside the ICS pools money with it, and who
bears what part of a pooled fund's or a baselined service's over- or underspend.

The same ``ShareRule`` is a scenario file's ``pooled_share`` rule (scenarios/shocks/
pooled_share.py). The parts are worked out in results/pooled_shares.py; this module only
says what a rule may be. Codes a rule names are checked against the organisations and
partners by ``pooled_findings`` (each finding at its key path), because a rule alone cannot
know them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from finmodel.contract import ORG_CODE_PATTERN, PHC_SERVICES
from finmodel.findings import Finding
from finmodel.money import pounds_to_pence

PARTNER_TYPES = ("local_authority", "other")
APPLIES_TO = ("overspend", "underspend", "both")
# A ledger line a rule may baseline: the ICB's service lines, as the position groups them.
BASELINE_LINES = (
    "acute", "mental_health", "community", "continuing_care", "primary_care", "prescribing",
    "other_commissioned", "other_programme", "delegated_primary_care", "running_costs",
)
SharePct = Annotated[Decimal, Field(gt=0, le=100)]
# Pounds to the penny, as system.yaml writes money; a rule's figures are pence from here on.
Pounds = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)]
Code = Annotated[str, Field(min_length=1, max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _hundred(shares: Mapping[str, Decimal], what: str) -> None:
    total = sum(shares.values(), Decimal(0))
    if total != 100:
        raise ValueError(f"{what} add up to {total.normalize():f}%, not 100%")


class Partner(_Strict):
    code: str = Field(pattern=ORG_CODE_PATTERN, description="upper case, as pooled.xlsx and share rules write it")
    name: str = Field(min_length=1, max_length=200)
    type: Literal[PARTNER_TYPES]  # type: ignore[valid-type]


class Tier(_Strict):
    up_to: Pounds | None = Field(
        None, description="the tier covers the variance up to this many pounds in all (cumulative); absent = the rest"
    )
    shares: dict[Code, SharePct] = Field(
        min_length=1, description="partner or organisation code (or a split's name) -> % of this tier; they add up to 100"
    )

    @model_validator(mode="after")
    def _adds_up(self) -> Tier:
        _hundred(self.shares, "the tier's shares")
        return self

    @property
    def up_to_pence(self) -> int | None:
        return None if self.up_to is None else pounds_to_pence(self.up_to)


class ShareRule(_Strict):
    name: str = Field(min_length=1, max_length=100, description="the rule's name, shown in the board pack")
    fund: Code | None = Field(None, description="a fund of pooled.xlsx: its variance = contributions - forecast spend")
    service: Literal[PHC_SERVICES] | None = Field(None, description="a PHC service: its FOT against the baseline")  # type: ignore[valid-type]
    line: Literal[BASELINE_LINES] | None = Field(None, description="an ICB ledger line: its FOT against the baseline")  # type: ignore[valid-type]
    org: str | None = Field(None, pattern=ORG_CODE_PATTERN, description="whose service or line; default the first ICB")
    baseline: Pounds | Literal["prior_year_outturn"] | None = Field(
        None, description="£ spend the service or line is measured against, or prior_year_outturn (PHC services)"
    )
    applies_to: Literal[APPLIES_TO] = Field("both", description="which variance is shared; the other is not")  # type: ignore[valid-type]
    tiers: tuple[Tier, ...] = Field(description="in order; every tier but the last has up_to")
    splits: dict[Code, dict[Code, SharePct]] = Field(
        {}, description="a share's name -> how its part is split again among partners (%, adding up to 100)"
    )

    @model_validator(mode="after")
    def _one_subject(self) -> ShareRule:
        subjects = [s for s in (self.fund, self.service, self.line) if s is not None]
        if len(subjects) != 1:
            raise ValueError("a share rule names exactly one of fund, service or line")
        if self.fund is not None and (self.baseline is not None or self.org is not None):
            raise ValueError("a fund's rule has no baseline or org: its variance is contributions - forecast spend")
        if self.fund is None and self.baseline is None:
            raise ValueError("a service's or line's rule needs a baseline: pounds, or prior_year_outturn")
        if self.line is not None and self.baseline == "prior_year_outturn":
            raise ValueError("prior_year_outturn is known for PHC services only: give a line's baseline in pounds")
        self._tiers_rise()
        for name, parts in self.splits.items():
            _hundred(parts, f"the split of {name}")
        return self

    def _tiers_rise(self) -> None:
        bounds = [t.up_to for t in self.tiers]
        if not bounds:
            raise ValueError("a share rule needs at least one tier of shares")
        if any(b is None for b in bounds[:-1]) or bounds[-1] is not None:
            raise ValueError("every tier but the last needs up_to, and the last (the rest) has none")
        given = [b for b in bounds if b is not None]
        if given != sorted(set(given)):
            raise ValueError("tiers' up_to must rise strictly")

    @property
    def baseline_pence(self) -> int | None:
        return pounds_to_pence(self.baseline) if isinstance(self.baseline, Decimal) else None

    def codes(self) -> Iterable[tuple[str, str]]:
        """(key path within the rule, code) of every partner or organisation it names."""
        for t, tier in enumerate(self.tiers):
            for code in tier.shares:
                if code not in self.splits:
                    yield f"tiers.{t}.shares.{code}", code
        for name, parts in self.splits.items():
            for code in parts:
                yield f"splits.{name}.{code}", code


def pooled_findings(
    orgs: tuple[str, ...], icbs: tuple[str, ...], partners: tuple[Partner, ...], rules: tuple[ShareRule, ...], prior: Iterable[str] = ()
) -> list[Finding]:
    """Partner codes apart from organisation codes and unique; every code a rule names declared;
    a service or line is an ICB's; a prior-year baseline is given in parameters.phc."""
    found = _partner_codes(orgs, partners)
    seen = {p.code for p in partners}
    declared = set(orgs) | seen
    listing = ", ".join(sorted(declared))
    known_prior = set(prior)
    for r, rule in enumerate(rules):
        for where, code in rule.codes():
            if code not in declared:
                found.append(_fault(f"share_rules.{r}.{where}", "unknown_partner", code, f"an organisation or partner of system.yaml: {listing}"))
        first_icb = icbs[0] if icbs else ""
        holder = rule.org or first_icb
        if rule.fund is None and holder not in icbs:
            found.append(_fault(f"share_rules.{r}.org", "org_type_mismatch", holder, f"an ICB, whose service or line it is: {', '.join(icbs) or 'none in system.yaml'}"))
        # parameters.phc keeps last year's outturn for the first ICB only (results/phc.py).
        if rule.baseline == "prior_year_outturn" and (rule.service not in known_prior or holder != first_icb):
            expected = f"parameters.phc.prior_year_outturn for {rule.service} (kept for the first ICB), or a baseline in pounds"
            found.append(_fault(f"share_rules.{r}.baseline", "missing_value", "prior_year_outturn", expected))
    names = [rule.name for rule in rules]
    for r, name in enumerate(names):
        if names.index(name) != r:
            found.append(_fault(f"share_rules.{r}.name", "duplicate_id", name, "a rule name used once"))
    return found


def _partner_codes(orgs: tuple[str, ...], partners: tuple[Partner, ...]) -> list[Finding]:
    found: list[Finding] = []
    seen: set[str] = set()
    for i, partner in enumerate(partners):
        if partner.code in orgs:
            found.append(_fault(f"partners.{i}.code", "partner_clash", partner.code, "a partner code that is not an organisation's code"))
        elif partner.code in seen:
            found.append(_fault(f"partners.{i}.code", "partner_clash", partner.code, "a partner code listed once"))
        seen.add(partner.code)
    return found


def _fault(path: str, kind: str, found: str, expected: str) -> Finding:
    return Finding("system.yaml", "", None, path, kind, found, expected)
