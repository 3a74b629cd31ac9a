"""pydantic's complaints about a YAML file, said in the finance team's words.

No validation library's wording reaches the user: each error type pydantic reports is
turned into what was expected there, and an unknown key names the keys allowed at that
place (and the nearest one, for a slip of the keyboard).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

# Patterns the models use, as a person would describe them.
_PATTERNS = {
    r"^[A-Z][A-Z0-9_]{0,19}$": "an organisation code: capital letters, digits and _, starting with a letter (e.g. ACUTE1)",
}


def _model_at(root: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the last key of ``path``, following lists and mappings."""
    annotation: Any = root
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = next((f for n, f in annotation.model_fields.items() if part in (n, f.alias)), None)
            if field is None:
                return None
            annotation = field.annotation
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else None
            if annotation is Ellipsis:
                annotation = args[0]
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Optional[X], Annotated[X, ...] and X | None as X (the first model among them)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = (models or options)[0]
        else:
            return annotation


def allowed_keys(root: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    model = _model_at(root, path)
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def unknown_key(key: str, allowed: list[str]) -> str:
    """``a known key: unknown key 'short_nam' is not one of code, name, … (did you mean 'short_name'?)``"""
    if not allowed:
        return f"a known key: unknown key {key!r}"
    text = f"a known key: unknown key {key!r} is not one of {', '.join(allowed)}"
    nearest = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return text + (f" (did you mean {nearest[0]!r}?)" if nearest else "")


def _choices(ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    return f"one of {expected}" if expected else "one of the values listed in the docs"


def expected_words(error: dict[str, Any], root: type[BaseModel] | None) -> str:
    """What was expected where pydantic found fault, in plain words."""
    kind, ctx = error["type"], error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        return unknown_key(str(loc[-1]) if loc else "", allowed_keys(root, loc[:-1]) if root else [])
    if kind == "missing":
        return "a value here: this key is required"
    if kind == "literal_error":
        return _choices(ctx)
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(ctx.get("pattern")), f"text in the form {ctx.get('pattern')}")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "a whole number"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"):
        return "a number"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most", "less_than": "less than"}
        bound = next(iter(ctx.values()), "")
        return f"a number {words[kind]} {bound}"
    if kind in ("too_short", "too_long"):
        size = ctx.get("min_length" if kind == "too_short" else "max_length", "")
        return f"{'at least' if kind == 'too_short' else 'at most'} {size} {'items' if ctx.get('field_type') in ('List', 'Tuple', 'Dictionary') else 'characters'}"
    if kind in ("string_too_short", "string_too_long"):
        size = ctx.get("min_length" if kind == "string_too_short" else "max_length", "")
        return f"text of {'at least' if kind == 'string_too_short' else 'at most'} {size} characters"
    if kind in ("string_type", "string_unicode"):
        return "text"
    if kind in ("bool_parsing", "bool_type"):
        return "true or false"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return "a mapping of keys (key: value)"
    if kind in ("list_type", "tuple_type", "iterable_type", "set_type"):
        return "a list of values"
    if kind == "decimal_max_places":
        return f"at most {ctx.get('decimal_places')} decimal places"
    message = str(error.get("msg", ""))
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")  # our own validators' words
    if message.startswith("Assertion failed, "):
        return message.removeprefix("Assertion failed, ")
    return re.sub(r"^(Input should be|Input should have|Value should be)\s+", "", message) or "a valid value"
