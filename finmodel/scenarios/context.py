"""What checking a scenario file and turning its shocks into money need of a stored close.

A frozen value over the close's results and its system.yaml, with the lookups every check
shares (organisations by type, the register by id, the likelihood words) and the makers of
the located findings (workbook = the scenario file, column = the key path).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from finmodel.contract import is_provider
from finmodel.findings import Finding, Severity
from finmodel.results import CloseResults
from finmodel.results.risks import RiskItem
from finmodel.system_config import SystemConfig
from finmodel.typos import meant

LIKELIHOOD_WORDS = "0..100 or a word of system.yaml's likelihood_pct"


@dataclass(frozen=True)
class CloseContext:
    results: CloseResults
    system: SystemConfig
    file_name: str = ""  # the scenario file checked against the close: the workbook of its findings

    @property
    def month(self) -> int:
        """The close month: months up to it hold actuals."""
        return self.results.month

    @cached_property
    def codes(self) -> list[str]:
        return [o.code for o in self.results.organisations]

    @cached_property
    def types(self) -> dict[str, str]:
        return {o.code: o.type for o in self.results.organisations}

    @cached_property
    def icbs(self) -> list[str]:
        return [o for o in self.codes if self.types[o] == "icb"]

    @cached_property
    def providers(self) -> list[str]:
        return [o for o in self.codes if is_provider(self.types[o])]

    @cached_property
    def register(self) -> dict[str, RiskItem]:
        return {i.id: i for i in self.results.risk_register}

    def fault(self, column: str, kind: str, value: object, expected: str, severity: Severity = "error") -> Finding:
        return Finding(self.file_name, "", None, column, kind, str(value), expected, severity)

    def org(self, column: str, code: str, allowed: list[str] | None = None, what: str = "an organisation of the close") -> list[Finding]:
        """An organisation code that must be in the close (and, given allowed, of the right type)."""
        choices = self.codes if allowed is None else allowed  # a provider is asked for: the ICB is not offered
        if code not in self.codes:
            return [self.fault(column, "unknown_org", code, f"{what}: one of {', '.join(choices)}{meant(str(code), tuple(choices))}")]
        if code not in choices:
            return [self.fault(column, "org_type_mismatch", code, f"{what}: one of {', '.join(choices)}")]
        return []

    def likelihood(self, column: str, value: object) -> list[Finding]:
        """A likelihood word must be one system.yaml maps (numbers were checked with the file)."""
        words = self.system.parameters.likelihood_pct
        if isinstance(value, str) and value not in words:
            return [self.fault(column, "bad_likelihood", value, f"{LIKELIHOOD_WORDS}: {', '.join(sorted(words))}")]
        return []
