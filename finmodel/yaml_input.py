"""The one reader of YAML that users write (system.yaml, scenario files).

Every file is untrusted: it is size-capped, must be UTF-8, may not use anchors and aliases
(a 'billion laughs' file uses them to explode) and may not repeat a key in one mapping
(PyYAML would silently keep the last value: a target typed twice would move without a
word). Faults come back as located findings, never as exceptions, and pydantic's errors
are turned into findings here too, so both files speak with one voice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from finmodel.findings import Finding, shown
from finmodel.yaml_words import expected_words

MAX_YAML_BYTES = 1_000_000


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses aliases and repeated keys."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(None, None, "aliases (*name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # the base class says so, located
            if key in seen:
                raise DuplicateKey(str(key), seen[key], key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, first_line: int, line: int) -> None:
        super().__init__(f"key {key!r} repeated")
        self.key, self.first_line, self.line = key, first_line, line


def too_large(file_name: str, size: int, unit: str = "bytes") -> Finding:
    return Finding(file_name, "", None, "", "too_large", f"{size:,} {unit}", "under 1 MB")


def parse_yaml(text: str, file_name: str) -> tuple[Any, list[Finding]]:
    """YAML text -> plain data, or None with the located fault."""
    if len(text.encode("utf-8", "replace")) > MAX_YAML_BYTES:
        return None, [too_large(file_name, len(text), "characters")]
    try:
        return yaml.load(text, Loader=_StrictLoader), []  # noqa: S506 - a SafeLoader subclass
    except DuplicateKey as exc:
        return None, [Finding(file_name, "", exc.line, exc.key, "duplicate_key", exc.key,
                              f"each key once in its mapping (it is first given on line {exc.first_line})")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Finding(file_name, "", line, "", "yaml_syntax", "", f"valid YAML ({problem})")]


def read_yaml_file(path: Path, expected: str) -> tuple[str | None, bytes, list[Finding]]:
    """A YAML file's text and bytes, with missing / too large / not UTF-8 as findings."""
    path = Path(path)
    if not path.is_file():
        return None, b"", [Finding(path.name, "", None, "", "missing_file", str(path), expected)]
    if path.stat().st_size > MAX_YAML_BYTES:
        return None, b"", [too_large(path.name, path.stat().st_size)]
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), data, []
    except UnicodeDecodeError:
        return None, data, [Finding(path.name, "", None, "", "not_text", "", "UTF-8 text")]


def located(exc: ValidationError, file_name: str, kind: str, root: type[BaseModel] | None = None) -> list[Finding]:
    """pydantic's errors as findings, each named by its key path in the file, in the
    finance team's words (``root``, the file's model, lets an unknown key list the keys
    allowed where it stands)."""
    found = []
    for error in exc.errors():
        path = ".".join(str(p) for p in error["loc"])
        value = error.get("input")
        if error["type"] == "extra_forbidden" and error["loc"]:
            value, finding_kind = error["loc"][-1], "unknown_key"
        else:
            finding_kind = kind
        if isinstance(value, (dict, list, tuple)):
            value = ""
        found.append(Finding(file_name, "", None, path or "(top level)", finding_kind, shown(value), expected_words(error, root)))
    return found
