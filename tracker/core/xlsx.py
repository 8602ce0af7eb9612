"""The exports' streamed .xlsx writer: a thin adapter over XlsxWriter's constant-memory mode.

openpyxl's write-only mode builds two cell objects and hashes a style per cell (about 25 µs a
cell: 15 s for the quarterly compilation at four times the benchmark scale); XlsxWriter in
constant-memory mode (about 10 µs a cell) writes each row out as soon as the next begins, so a
60,000-row sheet never sits in memory whole. This module fixes what the exports share: a Style becomes one XlsxWriter
format, created once; a Layout is the one page and view setup (column widths, a merged title row,
a frozen header, an autofilter, A4 landscape one page wide with repeated title rows and a footer).

Strings are written as strings, never as formulas, URLs or numbers; a string a spreadsheet would
run as a formula (tracker.core.cells) also gets the quote prefix, as if typed after an apostrophe.
Characters XML cannot carry (control characters other than tab and line breaks) are dropped and
text is cut at CELL_LIMIT.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import IO, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from tracker.core.cells import is_risky

CELL_LIMIT = 32_000          # Excel refuses cells over 32,767 characters: longer text is cut there
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_VERTICAL = {"center": "vcenter"}   # XlsxWriter's name for vertical centring


@dataclass(frozen=True)
class Style:
    bold: bool = False
    size: float = 11
    fill: str | None = None            # RGB, e.g. "FFC7CE"
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    number_format: str | None = None
    quote_prefix: bool = False


@dataclass(frozen=True)
class Layout:
    """How a sheet looks and prints: the exports' one layout, A4 landscape, one page wide."""

    widths: Sequence[float]
    frozen_rows: int = 0               # rows kept in view above the pane
    merged: Sequence[str] = ()         # e.g. "A1:N1"; the top-left cell's value fills the range
    autofilter: str | None = None      # e.g. "A2:N200"
    title_rows: tuple[int, int] | None = None   # printed on every page
    footer: str = ""                   # centre of the footer; &P page, &N pages


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    return str(xl_col_to_name(index - 1))


def text(value: str) -> str:
    """A string as a cell can hold it: no characters XML cannot carry, at most CELL_LIMIT characters."""
    return _ILLEGAL.sub("", value[:CELL_LIMIT])


class Book:
    """One workbook written to `out` (a binary file) sheet by sheet; `close()` finishes the file."""

    def __init__(self, out: IO[bytes]) -> None:
        self._workbook = Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
        self._styles: dict[Style, int] = {}
        self._formats: list[Format] = []
        self.style(Style())

    def style(self, style: Style) -> int:
        """The index cells name the style by (its format created on first use)."""
        if style not in self._styles:
            self._styles[style] = len(self._formats)
            self._formats.append(self._workbook.add_format(_properties(style)))
        return self._styles[style]

    def quoted(self, style: int) -> int:
        """The same style with the quote prefix."""
        base = next(s for s, index in self._styles.items() if index == style)
        return self.style(replace(base, quote_prefix=True))

    def format(self, style: int) -> Format:
        return self._formats[style]

    @contextmanager
    def sheet(self, name: str, layout: Layout) -> Iterator[Sheet]:
        yield Sheet(self, self._workbook.add_worksheet(name), layout)

    def close(self) -> None:
        self._workbook.close()


class Sheet:
    """Rows in order; `row(values, styles)` writes one at once (None: an empty cell)."""

    def __init__(self, book: Book, worksheet: Worksheet, layout: Layout) -> None:
        self._book, self._worksheet = book, worksheet
        self._quoted: dict[int, int] = {}
        self._number = -1
        self._merged = {xl_cell_to_rowcol(ref.split(":")[0]): ref for ref in layout.merged}
        _set_up(worksheet, layout)

    def row(self, values: Sequence[Any], styles: Sequence[int], height: float | None = None) -> None:
        self._number += 1
        n, sheet, book = self._number, self._worksheet, self._book
        if height:
            sheet.set_row(n, height)
        for column, (value, style) in enumerate(zip(values, styles)):
            if isinstance(value, str) and is_risky(value):
                style = self._quoted_style(style)
            merged = self._merged.get((n, column)) if self._merged else None
            if merged:
                sheet.merge_range(merged, "", book.format(style))
            if value is None or value == "":
                if style:
                    sheet.write_blank(n, column, None, book.format(style))
            elif isinstance(value, str):
                sheet.write_string(n, column, text(value), book.format(style))
            elif isinstance(value, bool):
                sheet.write_boolean(n, column, value, book.format(style))
            elif isinstance(value, (int, float)):
                if math.isfinite(value):
                    sheet.write_number(n, column, value, book.format(style))
                elif style:
                    sheet.write_blank(n, column, None, book.format(style))
            else:
                sheet.write_string(n, column, text(str(value)), book.format(style))

    def _quoted_style(self, style: int) -> int:
        if style not in self._quoted:
            self._quoted[style] = self._book.quoted(style)
        return self._quoted[style]


def _properties(style: Style) -> dict[str, Any]:
    properties: dict[str, Any] = {"bold": style.bold, "font_size": style.size, "text_wrap": style.wrap,
                                  "quote_prefix": style.quote_prefix}
    if style.fill:
        properties["bg_color"] = "#" + style.fill
    if style.horizontal:
        properties["align"] = style.horizontal
    if style.vertical:
        properties["valign"] = _VERTICAL.get(style.vertical, style.vertical)
    if style.number_format:
        properties["num_format"] = style.number_format
    return properties


def _set_up(sheet: Worksheet, layout: Layout) -> None:
    for index, width in enumerate(layout.widths):
        sheet.set_column(index, index, width)
    if layout.frozen_rows:
        sheet.freeze_panes(layout.frozen_rows, 0)
    if layout.autofilter:
        sheet.autofilter(layout.autofilter)
    if layout.title_rows:
        top, bottom = layout.title_rows
        sheet.repeat_rows(top - 1, bottom - 1)
    sheet.set_paper(9)                 # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)           # one page wide, as many long as it takes
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if layout.footer:
        sheet.set_footer("&C" + text(layout.footer))
