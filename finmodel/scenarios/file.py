"""A scenario file (YAML under scenarios/): what the recovery group changes on a close.

The pydantic models here, with each shock's own (scenarios/shocks/), are the file's schema
(docs/scenarios.md documents every key; docs/scenario.schema.json is generated from them).
Money is exact pounds in the file and integer pence in the model, as in system.yaml, and
faults come back as located findings (workbook = the file's name, column = the key path)
with YAML aliases refused. This module checks the file on its own; whether its ids,
organisations and months fit the close it is run on is ``check.py``'s job.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, create_model, field_validator, model_validator

from finmodel.calendar import FinancialYear
from finmodel.contract import MITIGATION_STATUSES, RISK_CATEGORIES, RISK_TYPES
from finmodel.findings import Finding, shown
from finmodel.scenarios.fields import Amount, ItemId, Likelihood, OrgCode, SharePercent, Strict
from finmodel.scenarios.shocks import SHOCKS
from finmodel.yaml_input import MAX_YAML_BYTES, located, parse_yaml, read_yaml_file

MAX_SCENARIO_BYTES = MAX_YAML_BYTES
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$"  # it names an output file: no spaces or slashes
CLOSE_PATTERN = r"^\s*(\d{4}/\d{2})\s+[Mm](\d{1,2})\s*$"
DEFAULT_ITERATIONS = 10_000
# The Monte Carlo seed of every run whose file sets none, and so of the standard scenarios
# (the register as it stands) in the board pack: the single source of that seed.
DEFAULT_SEED = 20240131
MAX_ITERATIONS = 1_000_000

class RegisterChange(Strict):
    """A change to one item of the close's register, found by its id."""

    include: bool = Field(True, description="false switches the item off in every case")
    likelihood: Likelihood | None = None
    value: Amount | None = None
    status: Literal[MITIGATION_STATUSES] | None = None  # type: ignore[valid-type]


class NewItem(Strict):
    """A risk or mitigation the register does not hold yet."""

    id: ItemId
    org: OrgCode
    type: Literal[RISK_TYPES]  # type: ignore[valid-type]
    category: Literal[RISK_CATEGORIES]  # type: ignore[valid-type]
    description: str = Field("", max_length=500)
    value: Amount
    likelihood: Likelihood
    status: Literal[MITIGATION_STATUSES] | Literal[""] = ""  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _status_only_for_mitigations(self) -> NewItem:
        if self.type == "risk" and self.status:
            raise ValueError("status is for mitigations only")
        return self


class RiskShare(Strict):
    org: OrgCode
    partner: OrgCode
    share_pct: SharePercent = Field(description="% of the organisation's gap to target the partner takes on")
    applies_to: Literal["overspend", "underspend", "both"] = "overspend"
    description: str = Field("", max_length=200)

    @model_validator(mode="after")
    def _two_organisations(self) -> RiskShare:
        if self.org == self.partner:
            raise ValueError("org and partner must be different organisations")
        return self


class MonteCarlo(Strict):
    iterations: int | None = Field(None, ge=1, le=MAX_ITERATIONS, description=f"default {DEFAULT_ITERATIONS:,}")
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description=f"default {DEFAULT_SEED}")
    correlation_groups: dict[Annotated[str, Field(min_length=1, max_length=60)], tuple[ItemId, ...]] = {}

    @model_validator(mode="after")
    def _each_item_in_one_group(self) -> MonteCarlo:
        seen: dict[str, str] = {}
        for group, ids in self.correlation_groups.items():
            if not ids:
                raise ValueError(f"correlation group {group!r} names no items")
            for item in ids:
                if item in seen and seen[item] != group:
                    raise ValueError(f"{item} is in two correlation groups ({seen[item]!r} and {group!r})")
                seen[item] = group
        return self


class _Head(Strict):
    """The keys before the shocks: what the file is, which close, and the register."""

    name: str | None = Field(None, pattern=NAME_PATTERN, description="default: the file name without .yaml")
    description: str = Field("", max_length=2_000)
    close: str | None = Field(None, pattern=CLOSE_PATTERN, description="e.g. 2023/24 M10; default: the latest close")
    # `register` would shadow pydantic's own attribute, so the key is an alias.
    changes: dict[ItemId, RegisterChange] = Field({}, alias="register", description="changes to the close's register, by id")
    new_items: tuple[NewItem, ...] = ()

    @field_validator("close")
    @classmethod
    def _a_close(cls, value: str | None) -> str | None:
        if value is not None:
            match = re.match(CLOSE_PATTERN, value)
            assert match is not None  # the field's pattern ran first
            FinancialYear.parse(match.group(1))
            if not 1 <= int(match.group(2)) <= 12:
                raise ValueError(f"a close like 2023/24 M10, with a month M1..M12, found {value!r}")
        return value

    @field_validator("new_items")
    @classmethod
    def _unique_ids(cls, items: tuple[NewItem, ...]) -> tuple[NewItem, ...]:
        ids = [i.id for i in items]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"ids repeat: {repeated}")
        return items


# One key per registered shock, in the registry's order (shocks/__init__.py): a new shock
# needs no line here. A list of rules defaults to none, a single rule (cip_delivery) to None.
_Shocks = create_model("_Shocks", __base__=Strict, **{shock.key: shock.field() for shock in SHOCKS})  # type: ignore[call-overload]


# The file's keys in order: _Head's, then the shocks', then these (pydantic takes the
# fields of the bases in reverse order of the MRO). No docstring: the schema is the same
# as when every key was written out here.
class ScenarioFile(_Shocks, _Head):  # type: ignore[misc, valid-type]
    risk_share: tuple[RiskShare, ...] = ()
    monte_carlo: MonteCarlo = MonteCarlo()

    @model_validator(mode="after")
    def _new_is_not_changed(self) -> ScenarioFile:
        both = sorted({i.id for i in self.new_items} & set(self.changes))
        if both:
            raise ValueError(f"{both} are both new items and changes to the register")
        return self


@dataclass(frozen=True)
class Scenario:
    """A validated scenario file, with the name and hash its results are stored under."""

    file_name: str  # e.g. "example-recovery.yaml": the workbook of its findings
    sha256: str  # of the file's bytes
    content: ScenarioFile

    @property
    def name(self) -> str:
        return self.content.name or Path(self.file_name).stem

    @property
    def close(self) -> tuple[str, int] | None:
        """(year label, month) the file names, or None for the latest close."""
        if self.content.close is None:
            return None
        year, month = self.content.close.split()
        return FinancialYear.parse(year).label, int(month.strip().lstrip("Mm"))

    @property
    def iterations(self) -> int | None:
        return self.content.monte_carlo.iterations

    @property
    def seed(self) -> int | None:
        return self.content.monte_carlo.seed


def parse_scenario(text: str, file_name: str, sha256: str | None = None) -> tuple[Scenario | None, list[Finding]]:
    """Validate scenario text; every fault named by its key path in the file."""
    raw, found = parse_yaml(text, file_name)
    if found:
        return None, found
    if raw is None:
        raw = {}  # an empty file is the register as it stands, with the defaults
    if not isinstance(raw, dict):
        return None, [Finding(file_name, "", None, "(top level)", "scenario_yaml", shown(raw), "a mapping of keys such as name, register, industrial_action")]
    try:
        content = ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        return None, located(exc, file_name, "scenario_yaml", ScenarioFile)
    scenario = Scenario(file_name, sha256 or hashlib.sha256(text.encode("utf-8", "replace")).hexdigest(), content)
    if content.name is None and not _valid_name(scenario.name):
        return None, [Finding(file_name, "", None, "name", "scenario_yaml", scenario.name,
                              "a name of letters, digits, '.', '_' or '-' (the file's own name is not one: add name:)")]
    return scenario, []


def _valid_name(name: str) -> bool:
    return re.match(NAME_PATTERN, name) is not None


def load_scenario(path: Path) -> tuple[Scenario | None, list[Finding]]:
    """Read and validate a scenario file; its hash is of the bytes on disk."""
    text, data, found = read_yaml_file(path, "a scenario file (YAML)")
    if text is None:
        return None, found
    return parse_scenario(text, Path(path).name, hashlib.sha256(data).hexdigest())
