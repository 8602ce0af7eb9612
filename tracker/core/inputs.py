"""What a request hands us, checked before it reaches the database or a redirect. Pure.

`whole_number` is the one way a query or form value becomes an integer: ASCII digits only,
within the range of the database's INTEGER (PostgreSQL refuses larger ones with an error).
`safe_next` is the one check of a `next` address: a path on this site, nothing else.
"""
from __future__ import annotations

from urllib.parse import urlsplit

MAX_INT = 2**31 - 1     # INTEGER on PostgreSQL (and every id column)


def whole_number(text: object, *, low: int = 0, high: int = MAX_INT) -> int | None:
    """'42' → 42; None for anything else: blank, signs, spaces, '²', '1e9', or outside low…high."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    number = int(text)
    return number if low <= number <= high else None


def safe_next(target: object) -> str | None:
    """The target if it is a path on this site ('/plan?x=1'); None otherwise.

    Refused: a scheme or a host ('https://evil', '//evil'), a backslash ('/\\evil', which
    browsers read as '//evil'), and any control character — browsers drop tabs and newlines,
    so '/\\t/evil' would become '//evil', and a newline cannot go into a Location header.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
