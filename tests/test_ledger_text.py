"""The ledger's text columns: Categoricals with sorted categories, blanks as '' never NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.ledger import _text_column


def test_pieces_join_into_one_sorted_categorical():
    column = _text_column([(pd.Series(["pay", "agency", "pay"]), 3), ("income", 2), (np.array(["bank"]), 1)])
    assert column.categories.tolist() == ["agency", "bank", "income", "pay"]
    assert column.tolist() == ["pay", "agency", "pay", "income", "income", "bank"]
    # codes follow the text order, which is what lets the ledger sort on them
    assert column.codes.tolist() == [3, 0, 3, 2, 2, 1]


def test_a_missing_detail_cell_becomes_blank_text():
    column = _text_column([(pd.Series(["Ward 7", None, np.nan], dtype=object), 3), ("", 0)])
    assert column.tolist() == ["Ward 7", "", ""]
    assert column.categories.tolist() == ["", "Ward 7"] and (column.codes >= 0).all()


def test_an_empty_ledger_has_no_categories():
    column = _text_column([(pd.Series([], dtype=object), 0), ("income", 0)])
    assert len(column) == 0 and column.categories.tolist() == []
