"""The ledger as one compressed, self-describing blob: quick to store, exact to load.

A close's ledger can hold a million rows. Written as table rows it takes seconds
(docs/store.md has the measurements); packed column by column it takes well under one:

- a text column is its distinct values (a JSON list, in order of first appearance) plus one
  small unsigned code per row; a Categorical (the ledger's own text columns) is its
  categories, in their order, and its codes as they are;
- an int64 column is stored in the narrowest little-endian integer type that holds its
  smallest and largest value, and widened back to int64 on load, so pence stay exact;
- the whole payload is compressed with zlib.

Packing is deterministic: the same frame always gives the same payload, and so the same
SHA-256. The hash is taken *before* compression so that it names the ledger itself, whatever
zlib build compressed it, and so that a damaged blob is caught on load.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

ENCODING = "finmodel-ledger/1+zlib"
_MAGIC = b"FMLEDGER"
_HEADER_LENGTH_BYTES = 4
# Level 1: on a 1M-row ledger it is more than twice as fast as level 6 for about 12% more
# bytes (docs/store.md); a close is written once and read a few times.
_ZLIB_LEVEL = 1
_TEXT_DTYPES = ("object", "str", "string", "category")
_CODE_TYPES = (("<u1", 1 << 8), ("<u2", 1 << 16), ("<u4", 1 << 32))
_INT_TYPES = ("<i1", "<i2", "<i4", "<i8")


@dataclass(frozen=True)
class PackedLedger:
    data: bytes  # the compressed payload, as stored
    rows: int
    sha256: str  # of the uncompressed payload


class LedgerFormatError(ValueError):
    """A blob that is not a ledger this code wrote, or that has been damaged."""


def pack_ledger(frame: pd.DataFrame) -> PackedLedger:
    """Pack a frame whose columns are all text (str values) or int64. The index is not kept."""
    names = list(frame.columns)
    if len(set(names)) != len(names) or any(not isinstance(name, str) for name in names):
        raise ValueError(f"ledger columns must have distinct text names, got {names!r}")
    columns: list[dict[str, object]] = []
    parts: list[bytes] = []
    for name in names:
        column_header, column_parts = _pack_column(name, frame[name])
        columns.append(column_header)
        parts.extend(column_parts)
    header = {"format": ENCODING, "rows": len(frame), "columns": columns}
    header_bytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("ascii")
    payload = b"".join([_MAGIC, len(header_bytes).to_bytes(_HEADER_LENGTH_BYTES, "little"), header_bytes, *parts])
    return PackedLedger(
        data=zlib.compress(payload, _ZLIB_LEVEL),
        rows=len(frame),
        sha256=hashlib.sha256(payload).hexdigest(),
    )


def unpack_ledger(data: bytes, expected_sha256: str | None = None) -> pd.DataFrame:
    """The frame packed into ``data``, with a fresh RangeIndex; checks the hash when given."""
    try:
        payload = zlib.decompress(data)
    except zlib.error as error:
        raise LedgerFormatError(f"ledger blob does not decompress: {error}") from None
    if expected_sha256 is not None and hashlib.sha256(payload).hexdigest() != expected_sha256:
        raise LedgerFormatError("ledger blob does not match its SHA-256: it has been damaged")
    header, offset = _read_header(payload)
    rows = header["rows"]
    view = memoryview(payload)
    series: dict[str, pd.Series] = {}
    for column in header["columns"]:
        values, offset = _unpack_column(column, rows, view, offset)
        series[column["name"]] = values
    if offset != len(payload):
        raise LedgerFormatError("ledger blob has bytes after its last column")
    if not series:
        return pd.DataFrame(index=pd.RangeIndex(rows))
    return pd.DataFrame(series, columns=list(series), copy=False)


def _pack_column(name: str, values: pd.Series) -> tuple[dict[str, object], list[bytes]]:
    dtype = str(values.dtype)
    if dtype == "int64":
        numbers = values.to_numpy()
        stored_as = _narrowest_int(numbers)
        return {"name": name, "kind": "int64", "stored_as": stored_as}, [numbers.astype(stored_as).tobytes()]
    if dtype not in _TEXT_DTYPES:
        raise ValueError(
            f"ledger column {name!r} has dtype {dtype}: the store keeps text and int64 columns only "
            "(money in pence as int64)"
        )
    if dtype == "category":
        codes, distinct = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    if len(codes) and codes.min() < 0:
        raise ValueError(f"ledger column {name!r} has missing values: a blank text cell is ''")
    distinct_values = distinct.tolist()
    if any(not isinstance(value, str) for value in distinct_values):
        raise ValueError(f"ledger column {name!r} mixes text with other values")
    # ASCII JSON escapes every non-ASCII character, so even a lone surrogate round-trips.
    distinct_bytes = json.dumps(distinct_values, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    code_type = next(code_type for code_type, limit in _CODE_TYPES if len(distinct_values) <= limit)
    header = {"name": name, "kind": "text", "dtype": dtype, "codes": code_type, "distinct_bytes": len(distinct_bytes)}
    return header, [distinct_bytes, codes.astype(code_type).tobytes()]


def _narrowest_int(numbers: np.ndarray) -> str:
    if numbers.size == 0:
        return _INT_TYPES[0]
    low, high = int(numbers.min()), int(numbers.max())
    return next(t for t in _INT_TYPES if np.iinfo(t).min <= low and high <= np.iinfo(t).max)


def _read_header(payload: bytes) -> tuple[dict, int]:
    start = len(_MAGIC) + _HEADER_LENGTH_BYTES
    if not payload.startswith(_MAGIC) or len(payload) < start:
        raise LedgerFormatError("not a finmodel ledger blob")
    length = int.from_bytes(payload[len(_MAGIC) : start], "little")
    try:
        header = json.loads(payload[start : start + length].decode("ascii"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise LedgerFormatError("ledger blob header is damaged") from None
    found = header.get("format") if isinstance(header, dict) else None
    if found != ENCODING:
        raise LedgerFormatError(f"ledger blob format {found!r} is not {ENCODING}")
    return header, start + length


def _take(view: memoryview, offset: int, size: int) -> tuple[memoryview, int]:
    if offset + size > len(view):
        raise LedgerFormatError("ledger blob is shorter than its header says")
    return view[offset : offset + size], offset + size


def _unpack_column(column: dict, rows: int, view: memoryview, offset: int) -> tuple[pd.Series, int]:
    if column["kind"] == "int64":
        stored_as = np.dtype(column["stored_as"])
        raw, offset = _take(view, offset, rows * stored_as.itemsize)
        return pd.Series(np.frombuffer(raw, dtype=stored_as).astype(np.int64), copy=False), offset
    raw_distinct, offset = _take(view, offset, column["distinct_bytes"])
    distinct = json.loads(bytes(raw_distinct).decode("ascii"))
    code_type = np.dtype(column["codes"])
    raw_codes, offset = _take(view, offset, rows * code_type.itemsize)
    codes = np.frombuffer(raw_codes, dtype=code_type).astype(np.intp)
    if rows and int(codes.max()) >= len(distinct):
        raise LedgerFormatError(f"ledger column {column['name']!r} has codes beyond its values")
    if column["dtype"] == "object":
        lookup = np.empty(len(distinct), dtype=object)
        lookup[:] = distinct
        return pd.Series(lookup[codes], dtype=object, copy=False), offset
    if column["dtype"] == "category":
        if len(set(distinct)) != len(distinct):
            raise LedgerFormatError(f"ledger column {column['name']!r} repeats a category")
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(distinct, dtype="str")), copy=False), offset
    return pd.Series(pd.array(distinct, dtype=column["dtype"]).take(codes), copy=False), offset
