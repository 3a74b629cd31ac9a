"""Validation's codes carried into the ledger: a shortcut that never changes a figure."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finmodel.close_inputs import TextCodes
from finmodel.example import write_example
from finmodel.ledger import build_ledger
from finmodel.validate import parallel, validate_close
from finmodel.validate.wire import Masked, pack_frame, unpack_frame


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = write_example(tmp_path_factory.mktemp("example"))[-1]
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
