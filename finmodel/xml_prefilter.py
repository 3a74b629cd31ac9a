"""Whether a segment of sheet XML could hold a far cell reference, or a cell placed by its
order rather than by its reference, at numpy speed.

The extent scan (``xml_scan.Extent``) looks for cell references that could reach far
(``r="AB12"``, ``r="A1234567"``) with a regular expression, which stops at every ``r=``
of every cell: 3.3 ms per MB of XML, a third of the whole safety scan of a million-row
sheet. Nearly every segment holds none, and this finds that out in 1.3 ms per MB: it looks
at the same places with array comparisons, and says "maybe" wherever the expression could
match, so the expression runs (and decides) only there. It never says "no" where the
expression would have matched: a reference it cannot rule out is searched as before.

The reader places a cell without an ``r`` reference after the cell before it, so a row of
thousands of such cells is as wide as thousands of columns: ``may_hold_unplaced_cell`` finds
the segments that need placing cell by cell (none, in what Excel writes).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_R, _EQUALS, _QUOTE, _APOSTROPHE = ord("r"), ord("="), ord('"'), ord("'")
_LOWER_A, _ZERO, _LT, _COLON, _C, _SPACE, _GT = ord("a"), ord("0"), ord("<"), ord(":"), ord("c"), ord(" "), ord(">")
_REACH = 10  # bytes after the "=" that decide: quote, a letter or two, then 7 digits


def may_hold_far_ref(segment: bytes) -> bool:
    """False only when no ``r=``, quote and then two letters, or seven digits after at most
    one letter, is anywhere in the segment (the shapes every match of ``xml_scan._FAR_REF``
    starts with, letters in either case), and no attribute is written with space around
    its "=" (XML allows it, Excel never writes it: the expression decides those)."""
    return _tail_or_whole(segment, _maybe)


def may_hold_unplaced_cell(segment: bytes) -> bool:
    """False only when every cell's start tag in the segment (``<c``) begins with its ``r``
    attribute, as Excel, LibreOffice, openpyxl and xlsxwriter write it. A cell without one
    sits after the cell before it (``xml_scan._places`` works out where); so may any cell of
    a part that writes its tags with a prefix (``<x:c>``), which is always placed that way."""
    return _tail_or_whole(segment, _unplaced)


def _tail_or_whole(segment: bytes, test: Callable[[np.ndarray], bool]) -> bool:
    # The last bytes are looked at again with padding (zero bytes match nothing), so a
    # reference near the end is neither missed nor read past the segment.
    tail = segment[-2 * _REACH :] + bytes(_REACH)
    return test(np.frombuffer(tail, dtype=np.uint8)) or (len(segment) > _REACH and test(np.frombuffer(segment, dtype=np.uint8)))


def _space(x: np.ndarray) -> np.ndarray:
    return x <= _SPACE  # XML's four spaces, and control bytes (which count as space here)


def _xml_space(x: np.ndarray) -> np.ndarray:
    return (x == _SPACE) | (x == 0x09) | (x == 0x0A) | (x == 0x0D)  # XML's spaces: a tag's name ends at one of them


def _letter(x: np.ndarray) -> np.ndarray:
    return ((x | 0x20) - _LOWER_A) < 26  # uint8 wraps: A..Z and a..z only


def _digit(x: np.ndarray) -> np.ndarray:
    return (x - _ZERO) < 10


def _maybe(a: np.ndarray) -> bool:
    """Whether a far reference of that shape has its "=" at any p with p + 10 inside ``a``."""
    last = len(a) - _REACH
    if last <= 1:
        return False
    at = np.flatnonzero(a[1:last] == _EQUALS) + 1
    before, after = a[at - 1], a[at + 1]
    if (_space(before) | _space(after)).any():
        return True
    at = at[(before == _R) & ((after == _QUOTE) | (after == _APOSTROPHE))] + 2  # the value's first byte
    letter = _letter(a[at])
    if (letter & _letter(a[at + 1])).any():
        return True  # two letters: column AA or beyond
    at = at + letter  # a row's seven digits, after the column's letter if there is one
    digits = _digit(a[at])
    for step in range(1, 7):
        digits &= _digit(a[at + step])
    return bool(digits.any())  # row 1,000,000 or beyond


def _unplaced(a: np.ndarray) -> bool:
    """Whether a cell start tag without a leading ``r`` attribute, or any prefixed cell tag
    (``<x:c>``, ``</x:c>``: such parts are placed cell by cell), has its "c" at a p with
    1 <= p <= len(a) - 10. From the places of "c" only: a few per cell, where comparing the
    whole segment at each offset around every byte took three times as long."""
    last = len(a) - _REACH
    if last <= 1:
        return False
    at = np.flatnonzero(a[1 : last + 1] == _C) + 1
    after = a[at + 1]
    at = at[(after == _GT) | _space(after)]  # c, then > or space: a cell's tag, not <col or </cols>
    before = a[at - 1]
    if (before == _COLON).any():
        return True
    at = at[before == _LT]  # each "<c"
    if (a[at + 1] != _SPACE).any():
        return True  # <c> or <c followed by a tab or a new line
    # After "r", only "=" or XML's own spaces: a control byte (or the tail's zero padding,
    # where the segment ends at '<c r') is not one, so it is a maybe, never "placed".
    return bool(((a[at + 2] != _R) | ~((a[at + 3] == _EQUALS) | _xml_space(a[at + 3]))).any())


# The bytes sheet XML is made of, most of them in every cell: its tags (<row r="2" spans="1:12">,
# <c r="A2" s="1" t="s">, <v>), references and numbers. A needle is looked for from its first
# byte not among these ("f" of "f>", "e" of '"e"', "h" of "hidden"), which value-only XML holds
# hardly ever, so the candidates are few and each is checked in place.
_SHEET_XML_BYTES = frozenset(b'<>/="\' 0123456789.-:ABCDEFGHIJKLMNOPQRSTUVWXYZcnoprstvw\r\n\t')


def contains(segment: bytes, needle: bytes) -> bool:
    """``needle in segment`` for a needle of two to eight bytes, several times faster on sheet
    XML: ``bytes`` searches for "f>", '"e"' or "hidden" stop at every ">", quote or "n", of
    which the XML is full. Here one array comparison finds the needle's rarest byte (``_anchor``)
    and only those few places are checked for the rest. On XML full of that byte (text in
    inline strings) it is slower, never wrong: every place is still checked."""
    if len(segment) < 4096 or not 2 <= len(needle) <= 8:
        return needle in segment
    a = np.frombuffer(segment, dtype=np.uint8)
    anchor = _anchor(needle)
    starts = np.flatnonzero(a[anchor : len(a) - len(needle) + 1 + anchor] == needle[anchor])
    for offset, byte in enumerate(needle):
        if offset != anchor and starts.size:
            starts = starts[a[starts + offset] == byte]
    return bool(starts.size)


def _anchor(needle: bytes) -> int:
    """The place in ``needle`` of its first byte that sheet XML seldom holds (else its first)."""
    return next((i for i, byte in enumerate(needle) if byte not in _SHEET_XML_BYTES), 0)
