"""Formula-safe export cells: text from users or the plan never becomes a live formula.

Excel, WPS and LibreOffice run a cell that begins with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula (CSV injection, OWASP). Every xlsx and CSV export of every
domain writes its values through `xlsx_value` / `csv_field` (the streamed writer,
tracker.core.xlsx, asks `is_risky` itself):
  - xlsx: such a string is stored as a text cell (type "s") with the quote prefix, as if
    typed after an apostrophe, so it shows verbatim and never evaluates;
  - CSV: such a field is prefixed with an apostrophe (the usual remedy, which Excel hides).
Numbers, dates and None pass through unchanged; only strings are ever touched.
"""
from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """A string a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS)


def csv_field(value: Any) -> Any:
    """The value as a CSV field that no spreadsheet evaluates."""
    return "'" + value if is_risky(value) else value


def xlsx_value(cell: Any) -> Any:
    """Marks an openpyxl cell (normal or write-only) holding a risky string as text; returns it."""
    if is_risky(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell

