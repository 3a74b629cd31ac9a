"""A custom table file: a board's own layout of rows and columns, as YAML (docs/custom-tables.md).

The pydantic models are the file's schema (published as docs/custom-table.schema.json);
faults are findings named by their key path, in the finance team's words, as system.yaml's
are. What the file names (organisations, groups, segments) is checked against the close in
checks.py.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from finmodel.findings import Finding, shown
from finmodel.yaml_input import located, parse_yaml

KIND = "custom_table"  # the finding kind of every fault in a custom table file
REPORTS_FOLDER = "reports"  # in the year folder, beside system.yaml
PLACEHOLDERS = ("{close}", "{month}", "{year}")  # what a title may say: 2023/24 M10, M10, 2023/24
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


def _text(value: Any) -> Any:
    """A segment code as the detail cell holds it: cost centres are often numbers in YAML."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Code = Annotated[str, BeforeValidator(_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RowSpec(_Strict):
    """One entry of ``rows``: exactly one of org, orgs, group, groups, total, subtotal."""

    org: str | None = Field(None, description="an organisation's row, by its code")
    orgs: Literal["providers", "others", "all"] | None = Field(
        None, description="every provider, every other organisation, or all, in system.yaml order"
    )
    segments: bool = Field(False, description="with org or orgs: each organisation's segments as indented rows under it")
    segment: Code | None = Field(None, description="with org: one segment's row, by its code")
    group: str | None = Field(None, description="a group of system.yaml: the sum of its members")
    groups: Literal["all"] | None = Field(None, description="every group of system.yaml, in its order")
    total: Literal["providers", "ics"] | None = Field(None, description="the provider total or the ICS total")
    subtotal: str | None = Field(None, min_length=1, max_length=100, description="a subtotal's label; its members are `of`")
    of: tuple[str, ...] = Field((), description="with subtotal: the organisation codes it adds up")
    label: str = Field("", max_length=100, description="the row's label as shown; absent = the organisation's, segment's or group's name")
    code: str = Field("", max_length=100, description="with subtotal: its row code in the CSV; absent = its label")

    @model_validator(mode="after")
    def _one_kind(self) -> RowSpec:
        kinds = [k for k in ("org", "orgs", "group", "groups", "total", "subtotal") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"each row names exactly one of org, orgs, group, groups, total, subtotal; found {kinds or 'none'}")
        if self.segment is not None and self.org is None:
            raise ValueError("segment goes with org: {org: ICB, segment: '100'}")
        if self.segments and self.org is None and self.orgs is None:
            raise ValueError("segments: true goes with org or orgs")
        if self.segment is not None and self.segments:
            raise ValueError("give either segment (one) or segments: true (all), not both")
        if (self.subtotal is None) != (not self.of):
            raise ValueError("a subtotal needs `of`, the organisations it adds up (and `of` goes only with subtotal)")
        if self.label and (self.orgs or self.groups):
            raise ValueError("label names one row: it cannot go with orgs or groups")
        if self.code and self.subtotal is None:
            raise ValueError("code goes only with subtotal (other rows keep their standard codes)")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("org", "orgs", "group", "groups", "total", "subtotal") if getattr(self, k) is not None)


Measure = Literal["plan", "actual", "variance", "outturn", "growth", "movement"]
Period = Literal["ytd", "year"]
WhichClose = Literal["this", "previous", "prior_year"]
Of = Literal["surplus", "income", "expenditure"]


class ColumnSpec(_Strict):
    """One entry of ``columns``: a measure of a period at a close."""

    measure: Measure = Field(
        description="plan, actual (ytd), variance, outturn (year: the FOT, or last year's outturn), "
        "growth (FOT - prior-year outturn) or movement (this close's variance - the previous close's)"
    )
    period: Period = Field(description="ytd (months 1..M) or year (the full year)")
    close: WhichClose = Field("this", description="this close, the previous close (last month), or the prior year")
    of: Of = Field("surplus", description="surplus/(deficit), income or expenditure (expenditure shown negative)")
    label: str = Field("", max_length=60, description="the column header; absent = made from the measure and close")
    band: str = Field("", max_length=60, description="the header band above it; absent = the period")
    code: str = Field("", pattern=r"^$|^[a-z][a-z0-9_]{0,59}$", description="its CSV column code; absent = made from the keys")

    @model_validator(mode="after")
    def _meaningful(self) -> ColumnSpec:
        m, p, c = self.measure, self.period, self.close
        problems = {
            "actual is year to date: use measure outturn for the full year": m == "actual" and p == "year",
            "outturn is a full-year measure: use period year": m == "outturn" and p == "ytd",
            "the prior year has only its outturn: measure outturn, period year, of surplus": c == "prior_year"
            and (m != "outturn" or self.of != "surplus"),
            "growth is FOT - prior-year outturn: period year, of surplus, close this": m == "growth"
            and (p != "year" or self.of != "surplus" or c != "this"),
            "movement is this close's variance - the previous close's: give close this": m == "movement" and c != "this",
        }
        wrong = [text for text, bad in problems.items() if bad]
        if wrong:
            raise ValueError(wrong[0])
        return self

    @property
    def column_code(self) -> str:
        if self.code:
            return self.code
        of = "" if self.of == "surplus" else f"{self.of}_"
        close = "" if self.close == "this" else f"_{self.close}"
        return f"{self.period}_{of}{self.measure}{close}"


class CustomTableFile(_Strict):
    title: str = Field(min_length=1, max_length=200, description="shown above the table; may say {close}, {month} or {year}; the unit is added")
    sheet: str = Field("", max_length=31, description="the sheet's name (its CSV is tables/<sheet in snake case>.csv); absent = from the file name")
    unit: Literal["£m", "£000"] = Field("£m", description="how money is shown: £m to one decimal, £000 to none")
    names: Literal["full", "short"] = Field("full", description="organisations' labels: name, or short_name of system.yaml")
    rows: tuple[RowSpec, ...] = Field(min_length=1)
    columns: tuple[ColumnSpec, ...] = Field(min_length=1, max_length=30)
    notes: tuple[str, ...] = Field((), description="lines printed under the table")

    @model_validator(mode="after")
    def _consistent(self) -> CustomTableFile:
        codes = [c.column_code for c in self.columns]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"column codes repeat: {repeated}; give each column its own code")
        left = re.sub("|".join(re.escape(p) for p in PLACEHOLDERS), "", self.title)
        if "{" in left or "}" in left:
            raise ValueError(f"the title may say only {', '.join(PLACEHOLDERS)} in braces")
        if SHEET_FORBIDDEN.search(self.sheet):
            raise ValueError("a sheet name cannot hold any of [ ] : * ? / \\")
        return self


def parse_custom_table(text: str, file_name: str) -> tuple[CustomTableFile | None, list[Finding]]:
    """Validate a custom table file's text; every fault named by its key path."""
    raw, found = parse_yaml(text, file_name)
    if found:
        return None, found
    if not isinstance(raw, dict):
        return None, [Finding(file_name, "", None, "(top level)", KIND, shown(raw), "a mapping of keys such as title, rows, columns")]
    try:
        return CustomTableFile.model_validate(raw), []
    except ValidationError as exc:
        return None, located(exc, file_name, KIND, CustomTableFile)
