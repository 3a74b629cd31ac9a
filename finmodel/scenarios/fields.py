"""The value types of a scenario file, shared by its models (file.py) and the shocks'.

Money is exact pounds in the file and integer pence in the model, as in system.yaml;
months are 1..12 or M1..M12 as the input workbooks allow; a likelihood is 0..100 or a
word that system.yaml's likelihood_pct maps (the word is checked against the close).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from finmodel.calendar import parse_month_code
from finmodel.contract import ORG_CODE_PATTERN
from finmodel.system_config import Pence, Percent

OrgCode = Annotated[str, Field(pattern=ORG_CODE_PATTERN)]
ItemId = Annotated[str, Field(min_length=1, max_length=60)]
Amount = Annotated[Pence, Field(ge=0)]


class Strict(BaseModel):
    """A part of the file: unknown keys are refused, and the parsed value never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _month(value: Any) -> Any:
    """1..12 or M1..M12, as the input workbooks allow."""
    if isinstance(value, str):
        number = parse_month_code(value)
        if number is None and value.strip().isdigit():
            number = int(value)
        if number is None:
            raise ValueError(f"expected a month 1..12 or M1..M12, found {value!r}")
        return number
    return value


Month = Annotated[int, BeforeValidator(_month), Field(ge=1, le=12)]


def _likelihood(value: Any) -> Decimal | str:
    """0..100, or a word that system.yaml's likelihood_pct maps (checked against the close)."""
    if isinstance(value, bool) or value is None:
        raise ValueError("expected a likelihood 0..100 or a word such as medium")
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            raise ValueError("expected a likelihood 0..100 or a word such as medium")
        try:
            value = Decimal(word.removesuffix("%"))
        except ArithmeticError:
            return word
    if not isinstance(value, (int, float, Decimal)):
        raise ValueError("expected a likelihood 0..100 or a word such as medium")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(f"expected a likelihood 0..100, found {value}")
    return number


Likelihood = Annotated[Decimal | str, BeforeValidator(_likelihood)]


def _two_places(value: Decimal) -> Decimal:
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("at most two decimal places")
    return value


SharePercent = Annotated[Percent, AfterValidator(_two_places)]


def percent_label(value: Decimal) -> str:
    """A percentage in a label: ``-7.5%``, ``25%``."""
    return f"{value.normalize():f}%"
