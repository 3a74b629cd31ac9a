"""Segments: they add up exactly to their organisation (hypothesis, on random ledgers), a
listed segment with no rows and rows in a segment not listed are located warnings, and the
System I&E shows them as indented rows under their organisation."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finmodel.ledger import build_ledger
from finmodel.results import compute_results
from finmodel.results.segments import NOT_ASSIGNED, segment_findings
from finmodel.system_config import parse_system
from finmodel.system_template import system_yaml
from tests import regional_fixture
from tests.builders import make_inputs, system

SEGMENTED = """
year: 2023/24
system: Segmented ICS
organisations:
  - {code: ACUTE1, name: Acute One, type: acute, segment_by: cost_centre}
  - code: ICB
    name: The ICB
    type: icb
    segment_by: cost_centre
    segments: [{code: A, label: Place A}, {code: B, label: Place B, order: 0}]
targets: {ACUTE1: 0, ICB: 0}
"""

pounds = st.integers(min_value=-5_000_000, max_value=5_000_000).map(lambda p: p / 100)  # to the penny
centres = st.sampled_from(["A", "B", "C", ""])


@st.composite
def ledgers(draw):
    month = draw(st.integers(min_value=1, max_value=12))
    rows = {"income": [], "pay": [], "nonpay": []}
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        org = draw(st.sampled_from(["ACUTE1", "ICB"]))
        kind = draw(st.sampled_from(["income", "pay", "nonpay"] if org == "ACUTE1" else ["income", "nonpay"]))
        row = {"org": org, "month": draw(st.integers(1, 12)), "plan": draw(pounds), "actual": draw(pounds),
               "forecast": draw(st.one_of(st.none(), pounds)), "cost_centre": draw(centres)}
        if kind == "income":
            row["category"] = "allocation" if org == "ICB" else "clinical_icb"
        elif kind == "pay":
            row.update(staff_group="Nursing", pay_type="substantive")
        else:
            row.update(category="acute" if org == "ICB" else "Drugs", kind="operating")
        rows[kind].append(row)
    return month, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_segments_add_up_exactly_to_their_organisation(drawn):
    month, rows = drawn
    inputs = make_inputs(month, **rows, system_text=SEGMENTED)
    results = compute_results(inputs, build_ledger(inputs))
    for org in ("ACUTE1", "ICB"):
        parts = [s for s in results.segments if s.org == org]
        whole = results.position(org)
        for field in ("ytd_plan", "ytd_actual", "year_plan", "forecast"):
            assert sum(getattr(s.income, field) for s in parts) == getattr(whole.income, field)
            assert sum(getattr(s.expenditure, field) for s in parts) == getattr(whole.expenditure, field)
        assert sum(s.surplus.fot for s in parts) == whole.surplus.fot
    icb = [s.segment for s in results.segments if s.org == "ICB"]
    assert icb[:2] == ["B", "A"]  # listed, B first by its order; then values found, blank last
    assert icb[2:] == sorted(set(icb[2:]) - {""}) + ([""] if "" in icb[2:] else [])


def test_segment_labels_and_codes():
    inputs = make_inputs(1, income=[{"org": "ACUTE1", "month": 1, "plan": 10, "actual": 10, "category": "clinical_icb"}],
                         system_text=SEGMENTED)
    results = compute_results(inputs, build_ledger(inputs))
    acute = [s for s in results.segments if s.org == "ACUTE1"]
    assert [(s.code, s.label, s.listed) for s in acute] == [("ACUTE1.", NOT_ASSIGNED, False)]


def test_a_listed_segment_with_no_rows_and_rows_not_listed_are_located_warnings():
    extra = [{"org": "ICB", "month": 1, "plan": 1_000, "actual": 1_000, "category": "acute", "cost_centre": "555"}]
    inputs = regional_fixture.regional_inputs(4, system_text=regional_fixture.SYSTEM_TEXT.replace('{code: "400", label: West place, prior_year_outturn: 0}', '{code: "400", label: West place, prior_year_outturn: 0}\n      - {code: "450", label: Nowhere}').replace("prior_year_outturn: -1_000_000", ""), extra_nonpay=extra)
    found = segment_findings(build_ledger(inputs), inputs.system)
    assert [(f.workbook, f.sheet, f.column, f.kind, f.value, f.severity) for f in found] == [
        ("system.yaml", "", "organisations.3.segments.4.code", "segment_no_data", "450", "warning"),
        ("nonpay.xlsx", "nonpay", "cost_centre", "segment_not_listed", "555", "warning"),
    ]
    assert found[0].message == (
        "system.yaml, column 'organisations.3.segments.4.code': found '450'; expected rows of ICB with cost_centre '450' "
        "in income.xlsx, pay.xlsx or nonpay.xlsx (a segment with no data)"
    )
    assert found[1].message == (
        "nonpay.xlsx, sheet 'nonpay', column 'cost_centre': found '555'; expected one of ICB's segments in system.yaml "
        "(100, 200, 300, 400, 450, 900); shown as a segment of its own"
    )
    results = compute_results(inputs, build_ledger(inputs))
    assert [s.segment for s in results.segments] == ["100", "200", "300", "400", "450", "900", "555"]


def test_phc_rows_by_cost_centre_are_not_assigned_without_a_warning_on_a_column_phc_has_not():
    # phc.xlsx has no cost_centre: its rows are "Not assigned", and a warning at
    # "phc.xlsx, sheet 'budget', column 'cost_centre'" could never be cleared.
    phc = [{"org": "ICB", "month": 1, "plan": 500, "actual": 500, "service": "adult_chc"}]
    inputs = make_inputs(1, phc_budget=phc, system_text=SEGMENTED.replace("segments: [{code: A, label: Place A}, {code: B, label: Place B, order: 0}]", "segments: [{code: A}]"))
    ledger = build_ledger(inputs)
    found = segment_findings(ledger, inputs.system)
    assert [f for f in found if f.workbook == "phc.xlsx"] == []
    results = compute_results(inputs, ledger)
    icb = {s.label: s for s in results.segments if s.org == "ICB"}
    assert icb[NOT_ASSIGNED].expenditure.ytd_actual == 500_00


def test_the_example_has_no_segment_findings():
    inputs = regional_fixture.regional_inputs(4)
    assert segment_findings(build_ledger(inputs), inputs.system) == []


def test_system_yaml_segment_faults():
    def fault(text):
        config, found = parse_system(text)
        assert config is None
        return found[0]

    base = regional_fixture.SYSTEM_TEXT
    assert "segment_by is not set" in fault(base.replace("    segment_by: cost_centre\n", "")).expected
    assert fault(base.replace("segment_by: cost_centre", "segment_by: colour")).column == "organisations.3.segment_by"
    assert "segment codes repeat: ['200']" in fault(base.replace('code: "300"', 'code: "200"')).expected
    assert "add up to -1,100,000.00, not the organisation's -1,000,000.00" in fault(base.replace("prior_year_outturn: 0}", "prior_year_outturn: -100_000}")).expected


def test_init_writes_the_new_keys_back():
    config = system(regional_fixture.SYSTEM_TEXT)
    again, found = parse_system(system_yaml(config))
    assert found == [] and again == config
    assert config.organisation("ACUTE1").shown_short == "North" and config.organisation("ICB").segments[0].code == "100"


def test_system_ie_shows_segments_indented_under_their_organisation():
    from finmodel.report import build_tables

    tables = {t.key: t for t in build_tables(regional_fixture.regional_pack())}
    ie = tables["system_ie"]
    codes = [r.code for r in ie.rows]
    assert codes == ["ACUTE1", "ACUTE2", "CMH", "PROVIDERS", "ICB", "ICB.100", "ICB.200", "ICB.300", "ICB.400", "ICB.900", "ICS", "Acute providers"]
    assert [r.indent for r in ie.rows if r.code.startswith("ICB.")] == [1] * 5
    # Segments are in no total: the ICS is the organisations' sum.
    orgs = ("ACUTE1", "ACUTE2", "CMH", "ICB")
    assert ie.cell("ICS", "ytd_surplus_actual") == sum(ie.cell(c, "ytd_surplus_actual") for c in orgs)
    # A segment's gross income and expenditure are shown: they are parts of one organisation.
    assert ie.cell("ICB.900", "ytd_income_actual") == 8_000_000_00
    comparison = tables["system_ie_comparison"]
    assert [r.code for r in comparison.rows] == codes
    assert comparison.cell("ICB.100", "growth_on_prior_year") == (-9_840_000 + 400_000) * 100
    assert comparison.cell("ICB", "fot_var_movement") == (-200_000 + 210_000) * 100
    assert comparison.cell("CMH", "prior_year_outturn") is None and comparison.cell("CMH", "growth_on_prior_year") is None
