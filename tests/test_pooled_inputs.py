"""pooled.xlsx and system.yaml's partners and share rules: real workbooks written and read,
every fault located."""

from __future__ import annotations

from pathlib import Path

from finmodel.ledger import build_ledger
from finmodel.results import compute_results
from finmodel.system_config import parse_system
from malformed import TINY_SYSTEM, located, tiny, validate_books

POOLED_SYSTEM = TINY_SYSTEM + """\
partners:
  - {code: LA1, name: North Council, type: local_authority}
share_rules:
  - name: BCF risk share
    fund: BCF
    tiers: [{shares: {ICB: 50, LA1: 50}}]
"""


def _pooled(months: range = range(1, 13)) -> dict[str, list[list[object]]]:
    """Contributions £60k + £60k; one scheme planned £10k a month, £12k spent in M1 (the
    close month) and forecast at plan: FOT £12k + £110k = £122k, an overspend of £2,000."""
    schemes = [["fund", "scheme_id", "scheme", "month", "plan", "actual", "forecast"]]
    schemes += [["BCF", "S1", "Reablement", m, 10_000, 12_000 if m == 1 else None, None] for m in months]
    return {
        "funds": [["fund", "name", "host", "agreement"], ["BCF", "Better Care Fund", "LA1", "bcf"]],
        "contributions": [["fund", "partner", "plan"], ["BCF", "ICB", 60_000], ["BCF", "LA1", 60_000]],
        "schemes": schemes,
    }


def test_a_pooled_workbook_reads_and_its_fund_shares_its_overspend(tmp_path: Path):
    books = {**tiny(), "pooled": _pooled()}
    inputs, findings = validate_books(tmp_path, books, POOLED_SYSTEM)
    assert inputs is not None, findings
    assert inputs.pooled_contributions["plan"].tolist() == [6_000_000, 6_000_000]
    assert inputs.pooled_contributions["month"].tolist() == [0, 0]  # the full year
    results = compute_results(inputs, build_ledger(inputs))
    (fund,) = results.pooled_funds
    assert (fund.contributed, fund.fot, fund.variance) == (12_000_000, 12_200_000, -200_000)
    (share,) = results.pool_shares
    assert share.effects == (("ICB", -100_000),)  # half of the £2,000 overspend


def test_no_pooled_workbook_and_no_rules_is_the_close_as_before(tmp_path: Path):
    inputs, findings = validate_books(tmp_path, tiny())
    assert inputs is not None and len(inputs.pooled_funds) == 0
    results = compute_results(inputs, build_ledger(inputs))
    assert results.pooled_funds == () and results.pool_shares == () and results.partners == ()


def test_an_undeclared_fund_or_partner_is_located(tmp_path: Path):
    pooled = _pooled()
    pooled["contributions"].append(["BCX", "LA2", 1_000])
    pooled["schemes"][1][0] = "BFC"
    inputs, findings = validate_books(tmp_path, {**tiny(), "pooled": pooled}, POOLED_SYSTEM)
    assert inputs is None
    assert located(findings) == {
        ("pooled.xlsx", "contributions", 4, "fund", "unknown_fund"),
        ("pooled.xlsx", "contributions", 4, "partner", "unknown_partner"),
        ("pooled.xlsx", "schemes", 2, "fund", "unknown_fund"),
    }
    partner = next(f for f in findings if f.kind == "unknown_partner")
    assert partner.expected == "an organisation or partner code of system.yaml: ACUTE1, ICB, LA1 (did you mean 'LA1'?)"


def test_a_scheme_missing_a_month_is_an_error_like_a_ledger_line(tmp_path: Path):
    inputs, findings = validate_books(tmp_path, {**tiny(), "pooled": _pooled(range(1, 12))}, POOLED_SYSTEM)
    assert inputs is None
    assert [(f.workbook, f.sheet, f.column, f.kind, f.value) for f in findings] == [
        ("pooled.xlsx", "schemes", "month", "missing_months", "BCF S1: no row for M12"),
    ]


def test_a_closed_month_without_its_actual_is_an_error(tmp_path: Path):
    pooled = _pooled()
    pooled["schemes"][1][5] = None  # M1's actual, the close month
    inputs, findings = validate_books(tmp_path, {**tiny(), "pooled": pooled}, POOLED_SYSTEM)
    assert inputs is None and located(findings) == {("pooled.xlsx", "schemes", 2, "actual", "actual_missing")}


def test_a_rule_naming_a_fund_pooled_xlsx_does_not_have_is_an_error(tmp_path: Path):
    inputs, findings = validate_books(tmp_path, tiny(), POOLED_SYSTEM)
    assert inputs is None
    assert [(f.workbook, f.column, f.kind, f.value) for f in findings] == [("system.yaml", "share_rules.0.fund", "unknown_fund", "BCF")]
    assert findings[0].expected == "a fund on the funds sheet of pooled.xlsx: none: pooled.xlsx is not in the close folder"


def test_system_yaml_partner_and_rule_codes_are_checked_at_their_key_paths():
    text = TINY_SYSTEM + """\
partners:
  - {code: ICB, name: Clash, type: local_authority}
  - {code: LA1, name: North, type: local_authority}
share_rules:
  - name: CHC
    service: adult_chc
    baseline: prior_year_outturn
    tiers: [{shares: {ICB: 50, LA9: 50}}]
"""
    config, findings = parse_system(text)
    assert config is None
    assert [(f.column, f.kind, f.value) for f in findings] == [
        ("partners.0.code", "partner_clash", "ICB"),
        ("share_rules.0.tiers.0.shares.LA9", "unknown_partner", "LA9"),
        ("share_rules.0.baseline", "missing_value", "prior_year_outturn"),
    ]


def test_shares_that_do_not_add_up_to_100_are_refused_where_they_are():
    text = TINY_SYSTEM + """\
share_rules:
  - name: BCF
    fund: BCF
    tiers: [{shares: {ICB: 50, ACUTE1: 40}}]
"""
    config, findings = parse_system(text)
    assert config is None
    assert [(f.column, f.kind) for f in findings] == [("share_rules.0.tiers.0", "system_yaml")]
    assert "add up to 90%, not 100%" in findings[0].expected


def test_the_guides_pooled_example_parses_as_it_says():
    import re

    guide = (Path(__file__).parent.parent / "docs" / "system-yaml.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", guide, flags=re.S) if b.startswith("partners:")]
    from tests.builders import TINY_SYSTEM as WITH_PHC  # it has parameters.phc.prior_year_outturn for adult_chc

    config, findings = parse_system(WITH_PHC + block)
    assert findings == [] and [p.code for p in config.partners] == ["LA_NORTH", "LA_SOUTH", "LA_EAST"]
    chc = config.share_rules[1]
    assert [t.up_to_pence for t in chc.tiers] == [1_000_000 * 100, None] and chc.baseline == "prior_year_outturn"
