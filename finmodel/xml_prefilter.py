"""Whether a segment of sheet XML could hold a far cell reference, at numpy speed.

The extent scan (``xml_scan.Extent``) looks for cell references that could reach far
(``r="AB12"``, ``r="A1234567"``) with a regular expression, which stops at every ``r=``
of every cell: 3.3 ms per MB of XML, a third of the whole safety scan of a million-row
sheet. Nearly every segment holds none, and this finds that out in 1.3 ms per MB: it looks
at the same places with array comparisons, and says "maybe" wherever the expression could
match, so the expression runs (and decides) only there. It never says "no" where the
expression would have matched: a reference it cannot rule out is searched as before.
"""

from __future__ import annotations

import numpy as np

_R, _EQUALS, _QUOTE, _APOSTROPHE = ord("r"), ord("="), ord('"'), ord("'")
_A, _ZERO = ord("A"), ord("0")
_REACH = 10  # bytes after the "r" that decide: r, =, quote, letter, then a letter or 7 digits


def may_hold_far_ref(segment: bytes) -> bool:
    """False only when no ``r=``, quote, letter and then a second letter or seven digits is
    anywhere in the segment: the shape every match of ``xml_scan._FAR_REF`` starts with."""
    # The last bytes are looked at again with padding (zero bytes match nothing), so a
    # reference near the end is neither missed nor read past the segment.
    tail = segment[-2 * _REACH :] + bytes(_REACH)
    return _maybe(np.frombuffer(tail, dtype=np.uint8)) or (len(segment) > _REACH and _maybe(np.frombuffer(segment, dtype=np.uint8)))


def _maybe(a: np.ndarray) -> bool:
    """Whether a reference of that shape starts at any p with p + 10 inside ``a``."""
    last = len(a) - _REACH
    if last <= 0:
        return False
    # r at p, = at p+1, a letter at p+3 (uint8 wraps, so "- A < 26" holds for A..Z only).
    found = (a[3 : last + 3] - _A) < 26
    found &= a[1 : last + 1] == _EQUALS
    found &= a[:last] == _R
    at = np.flatnonzero(found)
    quote = a[at + 2]
    at = at[(quote == _QUOTE) | (quote == _APOSTROPHE)] + 4  # the byte after the first letter
    following = a[at]
    if ((following - _A) < 26).any():
        return True  # two letters: column AA or beyond
    digits = (following - _ZERO) < 10
    for step in range(1, 7):
        digits &= (a[at + step] - _ZERO) < 10
    return bool(digits.any())  # a letter and seven digits: row 1,000,000 or beyond


def contains(segment: bytes, needle: bytes) -> bool:
    """``needle in segment`` for a needle of two or three bytes, two to three times faster
    on sheet XML: ``bytes`` searches for "f>" or '"e"' stop at every ">" or quote, of which
    the XML is full, where array comparisons go through it at a steady pace."""
    if len(segment) < 4096 or not 2 <= len(needle) <= 3:
        return needle in segment
    a = np.frombuffer(segment, dtype=np.uint8)
    end = len(a) - len(needle) + 1
    found = a[:end] == needle[0]
    for offset in range(1, len(needle)):
        found &= a[offset : end + offset] == needle[offset]
    return bool(found.any())
