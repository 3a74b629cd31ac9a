"""Validation's codes carried into the ledger: a shortcut that never changes a figure."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finmodel import read
from finmodel.close_inputs import TextCodes
from finmodel.ledger import build_ledger
from finmodel.validate import parallel, validate_close
from finmodel.validate.wire import Masked, pack_frame, unpack_frame


@pytest.fixture(scope="module")
def inputs(example_ics: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    folder = example_ics[-1]  # only read
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
        patch.setattr(parallel, "claim", lambda folder, index: index == 0)  # the worker reads all but the first
        found, _ = validate_close(folder, workers=2)
    assert found is not None
    return found


def test_the_worker_gave_codes_for_the_ledgers_text(inputs) -> None:  # type: ignore[no-untyped-def]
    assert {name for name, _ in inputs.text_codes} >= {"income", "nonpay"}
    assert all(inputs.codes_of(name, column) is not None for name, column in inputs.text_codes)


def test_the_ledger_is_the_same_with_codes_and_without(inputs) -> None:  # type: ignore[no-untyped-def]
    with_codes = build_ledger(inputs)
    without = build_ledger(dataclasses.replace(inputs, text_codes={}))
    pd.testing.assert_frame_equal(with_codes, without, check_exact=True)
    for column in with_codes.columns:
        if isinstance(with_codes[column].dtype, pd.CategoricalDtype):
            assert with_codes[column].cat.categories.equals(without[column].cat.categories), column


def test_codes_of_a_frame_since_replaced_are_not_used(inputs) -> None:  # type: ignore[no-untyped-def]
    name, column = next(iter(inputs.text_codes))
    frame = getattr(inputs, name).copy()
    frame[column] = frame[column].str.upper()
    replaced = dataclasses.replace(inputs, **{name: frame})
    assert replaced.codes_of(name, column) is None  # the codes describe the old column
    assert build_ledger(replaced).equals(build_ledger(dataclasses.replace(replaced, text_codes={})))


def test_a_frame_crosses_column_by_column_unchanged():
    frame = pd.DataFrame(
        {
            "org": pd.array(["B", "A", "B", None], dtype="str"),
            "plan": np.array([1, 2, 3, 4], dtype="int64"),
            "shifts": pd.arrays.IntegerArray(np.array([1, 0, 3, 0]), np.array([False, True, False, True])),
            "recurrent": np.array([True, False, True, True]),
            "end_date": pd.Series([None, "x", 1.5, None], dtype=object),
        }
    )
    packed = pack_frame(frame)
    assert packed is not None and isinstance(packed.columns["shifts"], Masked)
    back, codes = unpack_frame(packed)
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    assert list(codes) == []  # org has a missing value: no codes for the ledger


def test_codes_are_sorted_as_the_text():
    frame = pd.DataFrame({"org": pd.array(["ICB", "ACUTE1", "CMH", "ACUTE1"], dtype="str")})
    back, codes = unpack_frame(pack_frame(frame))  # type: ignore[arg-type]
    known = codes["org"]
    assert isinstance(known, TextCodes) and known.uniques.tolist() == ["ACUTE1", "CMH", "ICB"]
    assert known.codes.tolist() == [2, 0, 1, 0] and known.array is back["org"].array


# --- a table's own codes, from the parse (Table.codes) ------------------------------------

_TEXTS = st.sampled_from(["Nursing", " Nursing", "Nursing ", "AHP", "Médical", "Total", "nursing", "", None, 3, 2.5])


def _pay_table(tmp_path: Path, cells: list[object], block_rows: int):  # type: ignore[no-untyped-def]
    """A pay sheet whose staff_group column holds ``cells``, read in blocks of ``block_rows``."""
    from finmodel.contract import WORKBOOKS
    from finmodel.read import read_workbook
    from finmodel.validate import table as table_module
    from finmodel.validate.close_context import close_context
    from finmodel.validate.log import FindingLog
    from tests.malformed import TINY, set_cell, write_close

    books = copy.deepcopy(TINY)
    rows = books["pay"]["pay"]
    for index, value in enumerate(cells[: len(rows) - 1]):
        set_cell(books, "pay", "pay", index + 2, "staff_group", value)
    folder = write_close(tmp_path, books)
    spec = next(w for w in WORKBOOKS if w.filename == "pay.xlsx").sheets[0]
    ctx, _, _ = close_context(folder, FindingLog())
    raw, _ = read_workbook(folder / "pay.xlsx", [spec.name])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(table_module, "BLOCK_ROWS", block_rows)
        return table_module.read_table(raw.sheets[spec.name], spec, ctx, FindingLog())  # type: ignore[union-attr]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(_TEXTS, min_size=1, max_size=40), block_rows=st.integers(1, 9))
def test_a_tables_codes_are_its_text_sorted_whatever_the_blocks(tmp_path: Path, cells: list[object], block_rows: int) -> None:
    table = _pay_table(tmp_path / f"b{block_rows}-{len(cells)}-{abs(hash(tuple(map(str, cells))))}", cells, block_rows)
    assert {"org", "staff_group", "pay_type"} <= set(table.codes)  # text columns known from the parse
    for name, (codes, uniques) in table.codes.items():
        values = table.values[name]
        assert codes.shape == values.shape and (uniques[codes] == values).all(), name
        # Distinct, sorted as pd.factorize(sort=True) sorts them, and only what the kept rows
        # hold (a total row's "Total" is dropped with its row, and so from the codes).
        expected_codes, expected = pd.factorize(values.astype(object), sort=True)
        assert uniques.tolist() == expected.tolist() and codes.tolist() == expected_codes.tolist(), name


def test_the_duplicate_check_finds_the_same_copies_by_codes(tmp_path: Path) -> None:
    from finmodel.validate.checks.copies import duplicate_rows

    # Rows 2 and 3 of the tiny pay sheet differ only in pay_type; " Nursing" parses as "Nursing".
    table = _pay_table(tmp_path, ["Nursing", " Nursing", "AHP"], 2)
    copied = dataclasses.replace(table, rows=np.append(table.rows, 99), codes={},
                                 values={n: np.append(v, v[:1]) for n, v in table.values.items()},
                                 blank={n: np.append(v, v[:1]) for n, v in table.blank.items()},
                                 bad={n: np.append(v, v[:1]) for n, v in table.bad.items()})
    by_values = duplicate_rows(copied, None)  # type: ignore[arg-type]
    codes = {n: pd.factorize(v, sort=True) for n, v in copied.values.items() if n in table.codes}
    by_codes = duplicate_rows(dataclasses.replace(copied, codes=codes), None)  # type: ignore[arg-type]
    assert [f.message for f in by_codes.findings()] == [f.message for f in by_values.findings()]
    assert [f.value for f in by_codes.findings()] == ["a copy of row 2"]


def test_a_tables_codes_cross_to_the_parent_and_back(tmp_path: Path) -> None:
    from finmodel.validate.wire import Codes, _pack_table, _unpack_table

    table = _pay_table(tmp_path, ["Nursing", "AHP", "Nursing"], 2)
    expected = {n: (c.tolist(), u.tolist()) for n, (c, u) in table.codes.items()}
    values = {n: v.copy() for n, v in table.values.items()}
    packed = _pack_table(dataclasses.replace(table))
    assert packed.codes == {} and all(isinstance(packed.values[n], Codes) and packed.values[n].in_order for n in expected)
    back = _unpack_table(packed)
    assert {n: (c.tolist(), u.tolist()) for n, (c, u) in back.codes.items()} == expected
    assert all((back.values[n] == values[n]).all() for n in values)


def test_a_frames_text_codes_from_its_table_are_those_hashing_would_give(tmp_path: Path) -> None:
    from finmodel.validate.close_context import close_context
    from finmodel.validate.log import FindingLog
    from finmodel.validate.prebuild import frames_of, known_codes, text_codes
    from finmodel.validate.workbook import read_one
    from tests.malformed import TINY, set_cell, write_close

    books = copy.deepcopy(TINY)
    set_cell(books, "pay", "pay", 2, "staff_group", " Nursing")  # parses as "Nursing"
    rows = books["pay"]["pay"]
    for index, row in enumerate(rows):  # a driver column with one blank, which the frame fills
        row.append("driver" if index == 0 else None if index == 1 else "vacancies")
    folder = write_close(tmp_path, books)
    ctx, _, _ = close_context(folder, FindingLog())
    read = read_one(folder / "pay.xlsx", ctx)
    frame = frames_of(read, ctx)["pay"]
    known = known_codes(read, "pay", frame)
    assert {"org", "staff_group", "pay_type"} <= set(known)
    assert "driver" in read.tables[("pay.xlsx", "pay")].codes and "driver" not in known  # filled: not the column as read
    fast, slow = text_codes("pay", frame, known), text_codes("pay", frame)
    assert fast.keys() == slow.keys()
    for key, codes in fast.items():
        assert codes.array is slow[key].array and codes.uniques.tolist() == slow[key].uniques.tolist()
        assert codes.codes.tolist() == slow[key].codes.tolist(), key
    # A frame whose column is not the table's as read is never given the table's codes.
    changed = frame.assign(staff_group=frame["staff_group"].str.upper())
    assert "staff_group" not in known_codes(read, "pay", changed)
    # The worker's answer carries the same codes either way.
    from finmodel.validate.wire import pack_frame, unpack_frame

    with_known, without = unpack_frame(pack_frame(frame, known)), unpack_frame(pack_frame(frame))  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(with_known[0], without[0], check_exact=True)
    assert {k: (v.codes.tolist(), v.uniques.tolist()) for k, v in with_known[1].items()} == {k: (v.codes.tolist(), v.uniques.tolist()) for k, v in without[1].items()}


_CELL = st.one_of(
    st.text(max_size=5), st.floats(allow_nan=False), st.integers(-10, 10), st.booleans(), st.none(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6).flatmap(lambda width: st.lists(st.lists(_CELL, min_size=width, max_size=width), min_size=1, max_size=30)))
def test_a_block_of_rows_holds_each_cell_where_the_row_by_row_copy_put_it(rows: list[list[object]]):
    block = read._block(rows)
    expected = np.empty((len(rows), len(rows[0])), dtype=object)
    expected[:] = rows
    assert block.shape == expected.shape and block.dtype == object
    assert all(a is b for a, b in zip(block.ravel().tolist(), expected.ravel().tolist()))  # the very same cell objects


def test_ragged_rows_are_refused_not_copied_into_cells():
    with pytest.raises(ValueError, match="rows of"):
        read._block([["a", "b"], ["c"]])
