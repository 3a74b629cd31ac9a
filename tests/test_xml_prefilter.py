"""The far-reference prefilter never says "no" where the extent scan's expression matches, and
the unplaced-cell prefilter never says "no" where a cell's start tag does not begin with its
``r`` attribute."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import re

from finmodel.xml_prefilter import contains, may_hold_far_ref, may_hold_unplaced_cell
from finmodel.xml_scan import _CELL_START, _FAR_REF  # noqa: PLC2701 - the expressions the prefilters stand in front of

NARROW_ROWS = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>1</v></c><c r="K%d"><v>2.5</v></c></row>' % (i, i, i) for i in range(1, 200))


def test_a_narrow_sheet_is_ruled_out():
    # Columns A..K, rows under a million: nothing the expression could match.
    assert _FAR_REF.search(NARROW_ROWS) is None
    assert may_hold_far_ref(NARROW_ROWS) is False


def test_each_far_shape_is_a_maybe_wherever_it_sits():
    for far in (b'<c r="AB12">', b"<c r='XFD1048576'>", b'<c r="A1048576">', b'<c r="ZZ9">', b'<c r = "XFD1">', b'<c r="xfd1">',
                b'<row r="1048576">', b'<c r="ZZZZ1">', b'<c r=\t"AB2">'):
        for cut in (0, 1, len(NARROW_ROWS) // 2, len(NARROW_ROWS)):
            segment = NARROW_ROWS[:cut] + far + NARROW_ROWS[cut:]
            assert _FAR_REF.search(segment) is not None
            assert may_hold_far_ref(segment), (far, cut)


def test_six_digit_rows_and_one_letter_are_ruled_out():
    # r="A999999" is row 999,999 in column A: narrow, so not a far reference.
    assert may_hold_far_ref(NARROW_ROWS + b'<c r="A999999"><v>1</v></c>' + b"x" * 20) is False


# Pieces the expression cares about, shuffled into any order: it must find nothing
# wherever the prefilter says so.
PIECES = st.sampled_from([
    b"r=", b'"', b"'", b"A", b"B", b"Z", b"a", b"z", b"1", b"0", b"9", b"1234567", b"<c ", b"<row ", b">", b" ", b"\t", b"\n", b"x", b"r", b"=",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60), st.integers(min_value=0, max_value=80))
def test_no_means_the_expression_finds_nothing(pieces, padding):
    segment = b"." * padding + b"".join(pieces)
    if not may_hold_far_ref(segment):
        assert _FAR_REF.search(segment) is None


CELL_PIECES = st.sampled_from([b"<c", b"<x:c", b"</c>", b"<col", b" ", b"\t", b"\n", b"r", b"=", b">", b"s", b'"A1"', b"x"])


def test_cells_that_start_with_their_reference_are_ruled_out():
    assert may_hold_unplaced_cell(NARROW_ROWS) is False
    assert may_hold_unplaced_cell(b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>' * 50)  # prefixed: placed cell by cell


def test_a_segment_ending_inside_a_cell_tag_is_a_maybe():
    # hypothesis found it: the tail's zero padding after '<c r' was taken for a space
    assert may_hold_unplaced_cell(b"<c r") and may_hold_unplaced_cell(NARROW_ROWS + b"<c r")
    assert may_hold_unplaced_cell(NARROW_ROWS + b'<c r\x01="A9">')  # a control byte is not XML's space


def test_each_unplaced_cell_is_a_maybe_wherever_it_sits():
    for cell in (b"<c><v>1</v></c>", b'<c s="1"><v>1</v></c>', b"<x:c><x:v>1</x:v></x:c>", b'<c\tr="A1">', b'<c rr="A1">'):
        for cut in (0, 1, len(NARROW_ROWS) // 2, len(NARROW_ROWS)):
            assert may_hold_unplaced_cell(NARROW_ROWS[:cut] + cell + NARROW_ROWS[cut:]), (cell, cut)


@settings(max_examples=400, deadline=None)
@given(st.lists(CELL_PIECES, max_size=60), st.integers(min_value=0, max_value=80))
def test_no_means_every_cell_tag_begins_with_its_reference(pieces, padding):
    segment = b"." * padding + b"".join(pieces)
    if not may_hold_unplaced_cell(segment):
        for start in _CELL_START.finditer(segment):
            assert re.match(rb"<(?:\w+:)?c r[=\s]", segment[start.start() :]), segment


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b"f", b">", b'"', b"e", b"'", b"<c>", b"hid", b"den", b"h", b"x" * 700]), max_size=40),
    # the scan's needles, and needles made only of bytes the XML is full of (looked for from their first)
    st.sampled_from([b"f>", b'"e"', b"'e'", b"hidden", b"<c", b'c>"', b"><c>"]),
)
def test_contains_is_in(pieces, needle):
    segment = b"".join(pieces) * 3
    assert contains(segment, needle) == (needle in segment)


def test_contains_finds_a_needle_at_either_end_of_a_long_segment():
    body = NARROW_ROWS * 30  # over 4 KB: the array path
    for needle in (b"f>", b'"e"'):
        assert not contains(body, needle)
        assert contains(needle + body, needle) and contains(body + needle, needle)
