"""A custom table's rows: what each entry of ``rows`` stands for, with its figures.

Organisations and segments take their figures from the results (results/previous.py);
the provider total, the ICS total, groups and subtotals are the field-wise sums of their
organisations' figures (lines.add_up), as in every standard table, so a subtotal is
exactly the sum of what it names. The file is checked first (checks.py): here every code
it names is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmodel.report import labels
from finmodel.report.custom.file import CustomTableFile, RowSpec
from finmodel.results import CloseResults
from finmodel.results.board import ICS, PROVIDERS, Gross, board_order, gross, non_providers, providers
from finmodel.results.lines import add_up
from finmodel.results.previous import Figures, all_figures
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class CustomRow:
    code: str  # organisation code, <ORG>.<segment>, PROVIDERS, ICS, a group's name or a subtotal's code
    label: str
    kind: str  # org, segment, provider_total, ics_total, group, subtotal
    record: Figures
    # A sum over organisations: this close's gross income and expenditure with the flows
    # between them eliminated (results/board.gross); None when they cannot be.
    gross: Gross | None = None

    @property
    def total(self) -> bool:
        return self.kind in ("provider_total", "ics_total", "subtotal")

    @property
    def several(self) -> bool:
        """A sum over organisations, whose gross income and expenditure would count flows twice."""
        return self.kind in ("ics_total", "group", "subtotal")


@dataclass(frozen=True)
class Context:
    results: CloseResults
    previous: CloseResults | None  # the comparable previous close
    system: SystemConfig
    short: bool  # organisations by short name

    def figures(self) -> dict[str, Figures]:
        return all_figures(self.results, self.previous, self.system)


def _org_label(ctx: Context, code: str) -> str:
    if ctx.short and code in ctx.system.codes:
        return ctx.system.organisation(code).shown_short
    return ctx.results.org(code).name


def _sum(figures: dict[str, Figures], codes: list[str], code: str) -> Figures:
    return add_up([figures[c] for c in codes], code=code)


def _org_rows(ctx: Context, spec: RowSpec, code: str, figures: dict[str, Figures]) -> list[CustomRow]:
    segments = [s for s in ctx.results.segments if s.org == code]
    if spec.segment is not None:
        s = next(s for s in segments if s.segment == spec.segment)
        return [CustomRow(s.code, spec.label or s.label, "segment", figures[s.code])]
    own = [CustomRow(code, spec.label or _org_label(ctx, code), "org", figures[code])]
    return own + ([CustomRow(s.code, s.label, "segment", figures[s.code]) for s in segments] if spec.segments else [])


def _rows_of(ctx: Context, spec: RowSpec, figures: dict[str, Figures]) -> list[CustomRow]:
    r = ctx.results
    if spec.org is not None:
        return _org_rows(ctx, spec, spec.org, figures)
    if spec.orgs is not None:
        chosen = {"providers": providers(r), "others": non_providers(r), "all": board_order(r)}[spec.orgs]
        return [row for o in chosen for row in _org_rows(ctx, spec, o.code, figures)]
    if spec.total == "providers":
        codes = [o.code for o in providers(r)]
        return [CustomRow(PROVIDERS, spec.label or labels.PROVIDER_TOTAL, "provider_total", _sum(figures, codes, PROVIDERS))] if codes else []
    if spec.total == "ics":
        codes = [o.code for o in board_order(r)]
        return [CustomRow(ICS, spec.label or labels.ICS_TOTAL, "ics_total", _sum(figures, codes, ICS), gross(r))]
    if spec.subtotal is not None:
        code = spec.code or spec.subtotal
        orgs = {o.code for o in r.organisations}
        whole = gross(r, tuple(spec.of)) if set(spec.of) <= orgs else None  # of segments or of totals: none
        return [CustomRow(code, spec.label or spec.subtotal, "subtotal", _sum(figures, list(spec.of), code), whole)]
    groups = dict(r.groups)
    names = list(groups) if spec.groups else [spec.group]
    return [CustomRow(n, spec.label or n, "group", _sum(figures, list(groups[n]), n), gross(r, groups[n])) for n in names if groups[n]]


def custom_rows(table: CustomTableFile, ctx: Context) -> list[CustomRow]:
    """Every row of the table, in the order the file lists them."""
    figures = ctx.figures()
    return [row for spec in table.rows for row in _rows_of(ctx, spec, figures)]
