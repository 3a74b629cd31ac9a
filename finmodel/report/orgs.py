"""An organisation table's rows in words: results/board.py decides the rows, their order
and their totals; this gives each total the label the board reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from finmodel.report import labels
from finmodel.results import CloseResults
from finmodel.results.board import BoardRow, board_order, board_rows, non_providers, providers

T = TypeVar("T")
Entry = BoardRow  # a row as the sheets lay it out: code, label, record, total

__all__ = ["Entry", "board_order", "entries", "memo_row", "non_providers", "providers"]

_TOTAL_LABELS = {"provider_total": labels.PROVIDER_TOTAL, "ics_total": labels.ICS_TOTAL}


def memo_row(code: str, label: str, record: T) -> BoardRow[T]:
    """A memo row shown under an organisation's own row (it is in no total)."""
    return BoardRow(code, "memo", record, label)


def entries(results: CloseResults, records: Mapping[str, T], key: str, **options: object) -> list[BoardRow[T]]:
    """``results.board.board_rows`` with the totals labelled (same options)."""
    rows = board_rows(results, records, key, **options)  # type: ignore[arg-type]
    return [replace(r, label=_TOTAL_LABELS[r.kind]) if r.kind in _TOTAL_LABELS else r for r in rows]
