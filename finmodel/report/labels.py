"""The words the board pack shows for the contract's codes (codes stay in the CSV)."""

from __future__ import annotations

LINE_GROUPS = {
    "income": "Income",
    "pay": "Pay",
    "non_pay": "Non-pay",
    "non_operating": "Non-operating items",
    "allocation": "Allocation",
    "acute": "Acute",
    "mental_health": "Mental Health",
    "community": "Community Health",
    "continuing_care": "Continuing Care (PHC)",
    "primary_care": "Primary Care",
    "prescribing": "Prescribing",
    "other_commissioned": "Other Commissioned",
    "other_programme": "Other Programme",
    "delegated_primary_care": "Delegated Primary Care",
    "running_costs": "ICB Running Costs",
    "pooled_risk_share": "Pooled budget risk share",
    "surplus": "Surplus/(deficit)",
}

# A trust's I&E (results/subjective.py): the Provider subjective sheet and provider summaries.
SUBJECTIVE = {
    "clinical_icb": "Clinical income from the ICB",
    "clinical_other": "Clinical income from other commissioners",
    "erf": "Elective recovery fund (ERF)",
    "commissioning": "Commissioning income",
    "national_funding": "National funding",
    "other_operating": "Other operating income",
    "income": "Total income",
    "pay": "Pay",
    "non_pay": "Operating non-pay",
    "operating_expenditure": "Total operating expenditure",
    "ebitda": "EBITDA",
    "ebitda_margin": "EBITDA margin",
    "non_operating": "Non-operating items",
    "pooled_risk_share": "Pooled budget risk share",
    "surplus": "Surplus/(deficit)",
}

# Lower-case forms for sentences: the lines whose full-year plan was re-based.
LINE_WORDS = {
    "clinical_icb": "clinical income from the ICB",
    "clinical_other": "clinical income from other commissioners",
    "erf": "elective recovery fund (ERF) income",
    "national_funding": "national funding",
    "other_operating": "other operating income",
    "income": "income",
    "pay": "pay",
    "non_pay": "operating non-pay",
    "non_operating": "non-operating items",
    "allocation": "the allocation",
    "acute": "acute services",
    "mental_health": "mental health services",
    "community": "community health services",
    "continuing_care": "continuing care (PHC)",
    "primary_care": "primary care",
    "prescribing": "prescribing",
    "other_commissioned": "other commissioned services",
    "other_programme": "other programme spend",
    "delegated_primary_care": "delegated primary care",
    "running_costs": "ICB running costs",
}

DRIVERS = {
    "industrial_action_cost": "Industrial action cost",
    "industrial_action_funding": "Industrial action funding",
    "inflation": "Inflation",
    "agency_escalation": "Agency and escalation",
    "efficiency": "Efficiency shortfall",
    "vacancies": "Vacancies",
    "phc": "PHC",
    "other": "Other",
    "total_excl_erf": "Total excluding ERF",
    "erf": "ERF/PbR",
    "total": "Total",
}

# Lower-case forms for sentences in the narrative.
DRIVER_WORDS = {
    "industrial_action_cost": "industrial action costs",
    "industrial_action_funding": "industrial action funding",
    "inflation": "inflation",
    "agency_escalation": "agency and escalation",
    "efficiency": "the efficiency shortfall",
    "vacancies": "vacancies",
    "phc": "personal health commissioning",
    "erf": "ERF/PbR income",
    "other": "other items",
}

PHC_SERVICES = {
    "adult_chc": "NHS Continuing Healthcare (adults)",
    "cypcc": "Children and young people's continuing care",
    "fast_track": "Fast Track",
    "interim": "Interim funding pending assessment",
    "fnc": "Funded Nursing Care",
    "s117": "Section 117 aftercare",
    "phb": "Personal health budgets",
}

RISK_CATEGORIES = {
    "inflation": "Inflation",
    "cip_delivery": "CIP delivery",
    "erf": "ERF",
    "agency_escalation": "Agency and escalation beds",
    "phc": "PHC",
    "industrial_action": "Industrial action",
    "other": "Other",
}

CIP_RATINGS = {
    "fully_developed": "Fully developed",
    "plans_in_progress": "Plans in progress",
    "opportunity": "Opportunity",
    "unidentified": "Unidentified",
}

FORECAST_METHODS = {
    "submitted": "Submitted",
    "plan": "Remaining plan",
    "run_rate": "Run rate",
    "trend": "Trend",
    "seasonal": "Seasonal",
    "model": "By line",
}

FRAMEWORKS = {"on": "On framework", "off": "Off framework"}

CIP_CATEGORIES = {"pay": "Pay", "non_pay": "Non-pay", "income": "Income"}
RISK_TYPES = {"risk": "Risk", "mitigation": "Mitigation"}
MITIGATION_STATUSES = {"identified": "Identified", "in_progress": "In progress", "delivered": "Delivered"}
YES_NO = {True: "Yes", False: "No"}

PROVIDER_TOTAL = "Provider total"
ICS_TOTAL = "ICS total"

# The KPIs sheet's row labels (results/kpis.py computes the figures), in board order.
KPIS = {
    "ytd_var": "YTD position variance (surplus/(deficit))",
    "ytd_var_change": "Change from last month",
    "fot_var": "Year-end outturn variance (FOT - plan)",
    "fot_var_change": "Change from last month",
    "agency_avg": "Agency spend per month (YTD average)",
    "agency_avg_change": "Change from last month (less spend is favourable)",
    "agency_fot": "Agency forecast outturn",
    "cip_ytd_actual": "Efficiency delivered (YTD actual)",
    "cip_ytd_var": "Efficiency variance to plan (YTD)",
    "cip_ytd_var_change": "Variance movement from last month",
    "recurrent_pct": "Recurrent efficiencies (% of total delivered)",
    "capital_cdel_var": "Capital CDEL (excl IFRS 16) outturn variance",
    "capital_other_var": "Other capital outturn variance",
}
