"""Pooled budgets and share rules against figures worked out by hand (pounds x100 = pence)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from finmodel.ledger import build_ledger
from finmodel.pooled_config import ShareRule, Tier
from finmodel.results import compute_results
from finmodel.results.board import ics_position
from finmodel.results.pooled import POOLED_LINE
from finmodel.results.pooled_shares import rule_parts, split_exact
from tests.builders import TINY_SYSTEM, make_inputs, year_rows

P = 100

PARTNERS = """
partners:
  - {code: LA1, name: North Council, type: local_authority}
  - {code: LA2, name: South Council, type: local_authority}
  - {code: LA3, name: East Council, type: local_authority}
"""
FIFTY_FIFTY = PARTNERS + """
share_rules:
  - name: BCF risk share
    fund: BCF
    tiers: [{shares: {ICB: 50, LA1: 50}}]
"""
CHC_TIERS = PARTNERS + """
share_rules:
  - name: CHC gain share
    service: adult_chc
    baseline: 10_000_000
    applies_to: underspend
    tiers:
      - {up_to: 1_000_000, shares: {ICB: 50, councils: 50}}
      - {shares: {ICB: 70, councils: 30}}
    splits:
      councils: {LA1: 40, LA2: 35, LA3: 25}
"""


def _ledger_base(extra: str, phc_plan: int = 0):
    income = year_rows("ICB", 3_000_000, [3_000_000] * 3, category="allocation")
    nonpay = year_rows("ICB", 2_000_000, [2_000_000] * 3, category="community")
    phc = year_rows("ICB", phc_plan, [phc_plan] * 3, service="adult_chc")
    return make_inputs(3, income=income, nonpay=nonpay, phc_budget=phc, system_text=TINY_SYSTEM + extra)


def _frame(rows: list[dict], columns: tuple[str, ...], money: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in money:
        frame[column] = (frame[column] * P).astype("int64")
    return frame


def _bcf_overspending_600k(extra: str = FIFTY_FIFTY):
    """Contributions ICB £1.0m + LA1 £1.0m = £2.0m. Scheme A: plan £150k a month, actual
    £150k x 3, forecast £200k x 9 -> FOT £2.25m. Scheme B: £200k planned in M1, £350k spent.
    Spend FOT £2.25m + £0.35m = £2.6m: the fund overspends £2.0m - £2.6m = -£600,000."""
    inputs = _ledger_base(extra)
    schemes = []
    for m in range(1, 13):
        schemes.append({"fund": "BCF", "scheme_id": "A", "scheme": "Reablement", "month": m, "plan": 150_000,
                        "actual": 150_000 if m <= 3 else 0, "forecast": 0 if m <= 3 else 200_000})
        schemes.append({"fund": "BCF", "scheme_id": "B", "scheme": "Carers", "month": m, "plan": 200_000 if m == 1 else 0,
                        "actual": 350_000 if m == 1 else 0, "forecast": 0})
    return dataclasses.replace(
        inputs,
        pooled_funds=_frame([{"fund": "BCF", "name": "Better Care Fund", "host": "LA1", "agreement": "bcf"}], ("fund", "name", "host", "agreement")),
        pooled_contributions=_frame(
            [{"fund": "BCF", "partner": "ICB", "plan": 1_000_000, "month": 0}, {"fund": "BCF", "partner": "LA1", "plan": 1_000_000, "month": 0}],
            ("fund", "partner", "plan", "month"), ("plan",),
        ),
        pooled_schemes=_frame(schemes, ("fund", "scheme_id", "scheme", "month", "plan", "actual", "forecast"), ("plan", "actual", "forecast")),
    )


def _close(inputs):
    return compute_results(inputs, build_ledger(inputs))


def test_a_pool_overspending_600k_shared_50_50_moves_the_icb_and_the_ics_by_300k():
    with_rule = _close(_bcf_overspending_600k())
    without = _close(dataclasses.replace(_bcf_overspending_600k(), system=_ledger_base("").system))
    (fund,) = with_rule.pooled_funds
    assert (fund.contributed, fund.plan, fund.fot, fund.variance) == (2_000_000 * P, 2_000_000 * P, 2_600_000 * P, -600_000 * P)
    (share,) = with_rule.pool_shares
    assert {p.partner: p.amount for p in share.parts} == {"ICB": -300_000 * P, "LA1": -300_000 * P}
    assert share.effects == (("ICB", -300_000 * P),)  # a fund's spend is in nobody's ledger
    icb, before = with_rule.position("ICB"), without.position("ICB")
    assert icb.surplus.fot - before.surplus.fot == -300_000 * P
    assert icb.line(POOLED_LINE).fot_variance == -300_000 * P and icb.line(POOLED_LINE).year_plan == 0
    # The council's £300,000 is in no organisation's position: the ICS moves by the ICB's share alone.
    assert ics_position(with_rule).surplus.fot - ics_position(without).surplus.fot == -300_000 * P
    assert icb.surplus.ytd_actual == before.surplus.ytd_actual  # a forecast only
    assert sum(icb.monthly_forecast) - sum(before.monthly_forecast) == -300_000 * P
    assert without.pool_shares == () and without.position("ICB") == before


def test_a_chc_underspend_against_a_baseline_in_two_tiers_with_the_councils_part_split_40_35_25():
    """adult_chc: plan £700k a month, actual at plan, forecast at plan: FOT £8.4m against a
    baseline of £10m -> underspend £1.6m. First £1m 50/50: ICB £500k, councils £500k (LA1
    £200k, LA2 £175k, LA3 £125k). The other £600k 70/30: ICB £420k, councils £180k (LA1 £72k,
    LA2 £63k, LA3 £45k). The ICB's ledger holds the whole £1.6m, so its FOT falls by what it
    passes on: £1.6m - £0.92m = £680,000."""
    results = _close(_ledger_base(CHC_TIERS, phc_plan=700_000))
    (share,) = results.pool_shares
    assert (share.kind, share.holder, share.baseline, share.fot) == ("service", "ICB", 10_000_000 * P, 8_400_000 * P)
    assert share.variance == 1_600_000 * P
    totals: dict[str, int] = {}
    for part in share.parts:
        totals[part.partner] = totals.get(part.partner, 0) + part.amount
    assert totals == {"ICB": 920_000 * P, "LA1": 272_000 * P, "LA2": 238_000 * P, "LA3": 170_000 * P}
    assert {p.via for p in share.parts if p.partner.startswith("LA")} == {"councils"}
    assert share.effects == (("ICB", -680_000 * P),)
    assert results.position("ICB").line(POOLED_LINE).fot == 680_000 * P  # a cost of £680k


def test_an_underspend_rule_shares_nothing_of_an_overspend():
    results = _close(_ledger_base(CHC_TIERS, phc_plan=900_000))  # FOT £10.8m: £800k over the baseline
    (share,) = results.pool_shares
    assert share.variance == -800_000 * P and share.parts == () and share.effects == ()
    assert results.position("ICB").line(POOLED_LINE) is None


def test_a_council_share_split_40_35_25_adds_up_to_the_penny():
    # £1,000.01 = 100,001p: 40,000.4p, 35,000.35p, 25,000.25p; floors add to 100,000p and the
    # one penny left goes to the largest remainder (0.4, LA1).
    shares = (("LA1", Decimal(40)), ("LA2", Decimal(35)), ("LA3", Decimal(25)))
    assert split_exact(100_001, shares) == (("LA1", 40_001), ("LA2", 35_000), ("LA3", 25_000))
    assert split_exact(-100_001, shares) == (("LA1", -40_001), ("LA2", -35_000), ("LA3", -25_000))
    # A third each of £1: 33.33..p three times; the penny left goes to the first listed.
    assert split_exact(100, (("A", Decimal("33.33")), ("B", Decimal("33.33")), ("C", Decimal("33.34")))) == (("A", 33), ("B", 33), ("C", 34))


@st.composite
def _percentages(draw, codes: tuple[str, ...]) -> dict[str, Decimal]:
    """Two to four shares in hundredths of a percent, adding up to exactly 100%."""
    n = draw(st.integers(2, len(codes)))
    cuts = sorted(draw(st.lists(st.integers(1, 9_999), min_size=n - 1, max_size=n - 1, unique=True)))
    bounds = [0, *cuts, 10_000]
    return {codes[i]: Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(n)}


@st.composite
def _rules(draw) -> ShareRule:
    count = draw(st.integers(1, 3))
    ups = sorted(draw(st.lists(st.integers(1, 5_000_000), min_size=count - 1, max_size=count - 1, unique=True)))
    tiers = [Tier(up_to=Decimal(u), shares=draw(_percentages(("ICB", "LA1", "ACUTE1", "councils")))) for u in ups]
    tiers.append(Tier(shares=draw(_percentages(("ICB", "LA1", "councils", "ACUTE2")))))
    splits = {"councils": draw(_percentages(("LA1", "LA2", "LA3")))}
    applies = draw(st.sampled_from(("overspend", "underspend", "both")))
    return ShareRule(name="r", fund="BCF", applies_to=applies, tiers=tuple(tiers), splits=splits)


@settings(max_examples=300, deadline=None)
@given(rule=_rules(), variance=st.integers(-10**10, 10**10))
def test_every_rules_parts_add_up_to_the_variance_it_shares_exactly(rule: ShareRule, variance: int):
    parts = rule_parts(rule, variance)
    applies = rule.applies_to == "both" or (rule.applies_to == "underspend") == (variance > 0)
    assert sum(p.amount for p in parts) == (variance if applies else 0)
    assert all(p.amount * variance >= 0 for p in parts)  # no part goes against the variance


def test_a_providers_share_is_in_its_own_i_and_e_below_ebitda():
    """ICB 50%, ACUTE1 25%, LA1 25% of the -£600,000: ACUTE1 bears £150,000, on its own row
    of the trust's I&E, and its surplus/(deficit) there is its position's."""
    from finmodel.results.subjective import provider_lines

    three_ways = FIFTY_FIFTY.replace("{ICB: 50, LA1: 50}", "{ICB: 50, ACUTE1: 25, LA1: 25}")
    results = _close(_bcf_overspending_600k(three_ways))
    assert dict(results.pool_shares[0].effects) == {"ICB": -300_000 * P, "ACUTE1": -150_000 * P}
    rows = {r.code: r for r in provider_lines(results, "ACUTE1")}
    assert rows[POOLED_LINE].fot == -150_000 * P and rows[POOLED_LINE].year_plan == 0
    assert rows["surplus"].fot == results.position("ACUTE1").surplus.fot
    assert rows["ebitda"].fot - rows["surplus"].fot == 150_000 * P  # below EBITDA
