"""A streamed .xlsx writer: each row goes straight into the zipped sheet XML as it is written.

openpyxl's write-only mode builds two cell objects and hashes a style per cell (about 25 µs a
cell: 15 s for the quarterly compilation at four times the benchmark scale); here a cell is one
formatted string and a style an index fixed in advance, so a 60,000-row sheet takes a few
seconds and never sits in memory whole. It knows only what the exports use: column widths,
row heights, cell styles (font, fill, alignment, number format), a merged title row, a frozen
header, an autofilter, A4 print setup with repeated title rows and a footer.

Strings are written inline as text, never as formulas; a string a spreadsheet would run as a
formula (tracker.core.cells) also gets the quote prefix, as if typed after an apostrophe.
Characters XML cannot carry (control characters other than tab and line breaks) are dropped.
"""
from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import IO, Any

from tracker.core.cells import is_risky

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CELL_LIMIT = 32_000          # Excel refuses cells over 32,767 characters: longer text is cut there
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


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
    merged: Sequence[str] = ()         # e.g. "A1:N1"
    autofilter: str | None = None      # e.g. "A2:N200"
    title_rows: tuple[int, int] | None = None   # printed on every page
    footer: str = ""                   # centre of the footer; &P page, &N pages


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text(value: str) -> str:
    """A string as XML character data, at most CELL_LIMIT characters."""
    return _ILLEGAL.sub("", value[:CELL_LIMIT]).translate(_ESCAPES)


class Book:
    """One workbook written to `out` (a binary file) sheet by sheet; `close()` finishes the file."""

    def __init__(self, out: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        self._styles: dict[Style, int] = {Style(): 0}
        self._sheets: list[tuple[str, Layout]] = []

    def style(self, style: Style) -> int:
        """The index cells name the style by (registered on first use)."""
        return self._styles.setdefault(style, len(self._styles))

    @contextmanager
    def sheet(self, name: str, layout: Layout) -> Iterator[Sheet]:
        self._sheets.append((name, layout))
        with self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w") as stream:
            sheet = Sheet(self, stream, layout, first=len(self._sheets) == 1)
            yield sheet
            sheet.finish()

    def close(self) -> None:
        names = "".join(f'<sheet name="{name.translate(_ATTRIBUTE)}" sheetId="{n}" r:id="rId{n}"/>'
                        for n, (name, _) in enumerate(self._sheets, start=1))
        defined = "".join(_defined_names(n, name, layout) for n, (name, layout) in enumerate(self._sheets))
        files = {
            "[Content_Types].xml": _content_types(len(self._sheets)),
            "_rels/.rels": f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELATIONSHIPS}'
                           '/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView/>'
                               f'</bookViews><sheets>{names}</sheets>'
                               + (f"<definedNames>{defined}</definedNames>" if defined else "") + "</workbook>",
            "xl/_rels/workbook.xml.rels": _workbook_relationships(len(self._sheets)),
            "xl/styles.xml": _stylesheet(list(self._styles)),
        }
        for path, xml in files.items():
            self._zip.writestr(path, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
        self._zip.close()


class Sheet:
    """Rows in order; `row(values, styles)` writes one at once (None: an empty cell)."""

    def __init__(self, book: Book, stream: IO[bytes], layout: Layout, first: bool) -> None:
        self._book, self._stream, self._layout = book, stream, layout
        self._letters = [column_letter(n) for n in range(1, len(layout.widths) + 1)]
        self._quoted: dict[int, int] = {}
        self._number = 0
        self._pending: list[str] = []
        self._write(_sheet_head(layout, selected=first))

    def row(self, values: Sequence[Any], styles: Sequence[int], height: float | None = None) -> None:
        self._number += 1
        n = self._number
        cells = []
        for letter, value, style in zip(self._letters, values, styles):
            if value is None or value == "":
                if style:
                    cells.append(f'<c r="{letter}{n}" s="{style}"/>')
            elif isinstance(value, str):
                if is_risky(value):
                    style = self._quoted_style(style)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                cells.append(f'<c r="{letter}{n}" s="{style}" t="inlineStr"><is><t{space}>{text(value)}</t></is></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{n}" s="{style}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{letter}{n}" s="{style}" t="n"><v>{value}</v></c>')
            elif isinstance(value, float):   # Excel keeps 15-16 significant digits, as openpyxl writes them
                number = f"{value:.16g}" if math.isfinite(value) else ""
                cells.append(f'<c r="{letter}{n}" s="{style}" t="n"><v>{number}</v></c>')
            else:
                cells.append(f'<c r="{letter}{n}" s="{style}" t="inlineStr"><is><t>{text(str(value))}</t></is></c>')
        size = f' ht="{height}" customHeight="1"' if height else ""
        self._pending.append(f'<row r="{n}"{size}>{"".join(cells)}</row>')
        if len(self._pending) >= 500:
            self._flush()

    def _quoted_style(self, style: int) -> int:
        if style not in self._quoted:
            base = next(s for s, index in self._book._styles.items() if index == style)
            self._quoted[style] = self._book.style(replace(base, quote_prefix=True))
        return self._quoted[style]

    def _flush(self) -> None:
        self._write("".join(self._pending))
        self._pending.clear()

    def _write(self, xml: str) -> None:
        self._stream.write(xml.encode("utf-8"))

    def finish(self) -> None:
        self._flush()
        self._write(_sheet_tail(self._layout))


def _sheet_head(layout: Layout, selected: bool) -> str:
    pane = ""
    if layout.frozen_rows:
        top = f"A{layout.frozen_rows + 1}"
        pane = (f'<pane ySplit="{layout.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>')
    tab = ' tabSelected="1"' if selected else ""
    columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                      for n, width in enumerate(layout.widths, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
            f'xmlns:r="{RELATIONSHIPS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
            f'<pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView{tab} workbookViewId="0">{pane}</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{columns}</cols><sheetData>")


def _sheet_tail(layout: Layout) -> str:
    parts = ["</sheetData>"]
    if layout.autofilter:
        parts.append(f'<autoFilter ref="{layout.autofilter}"/>')
    if layout.merged:
        parts.append(f'<mergeCells count="{len(layout.merged)}">'
                     + "".join(f'<mergeCell ref="{ref}"/>' for ref in layout.merged) + "</mergeCells>")
    parts.append('<printOptions horizontalCentered="1"/>'
                 '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.5" footer="0.5"/>'
                 '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    if layout.footer:
        parts.append(f"<headerFooter><oddFooter>&amp;C{text(layout.footer)}</oddFooter></headerFooter>")
    parts.append("</worksheet>")
    return "".join(parts)


def _defined_names(index: int, name: str, layout: Layout) -> str:
    quoted = "'" + name.replace("'", "''") + "'"
    names = []
    if layout.autofilter:
        first, last = layout.autofilter.split(":")
        names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                     f"{text(quoted)}!{_absolute(first)}:{_absolute(last)}</definedName>")
    if layout.title_rows:
        top, bottom = layout.title_rows
        names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                     f"{text(quoted)}!${top}:${bottom}</definedName>")
    return "".join(names)


def _absolute(reference: str) -> str:
    letters = reference.rstrip("0123456789")
    return f"${letters}${reference[len(letters):]}"


def _content_types(sheets: int) -> str:
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{TYPES}.worksheet+xml"/>'
                        for n in range(1, sheets + 1))
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{TYPES}.styles+xml"/>{overrides}</Types>')


def _workbook_relationships(sheets: int) -> str:
    links = "".join(f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                    for n in range(1, sheets + 1))
    return (f'<Relationships xmlns="{PACKAGE}">{links}<Relationship Id="rId{sheets + 1}" '
            f'Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>')


def _stylesheet(styles: list[Style]) -> str:
    """Fonts, fills and number formats shared by the styles, then one cell format (xf) per style, in index order."""
    fonts: dict[tuple[bool, float], int] = {}
    fills: dict[str, int] = {}
    formats: dict[str, int] = {}
    xfs = []
    for style in styles:
        font = fonts.setdefault((style.bold, style.size), len(fonts))
        fill = fills.setdefault(style.fill, len(fills) + 2) if style.fill else 0   # 0 none, 1 gray125 (required)
        number = formats.setdefault(style.number_format, len(formats) + 164) if style.number_format else 0
        align = {"horizontal": style.horizontal, "vertical": style.vertical, "wrapText": "1" if style.wrap else None}
        alignment = " ".join(f'{k}="{v}"' for k, v in align.items() if v)
        flags = (' applyFont="1"' if font else "") + (' applyFill="1"' if fill else "") \
            + (' applyNumberFormat="1"' if number else "") + (' applyAlignment="1"' if alignment else "") \
            + (' quotePrefix="1"' if style.quote_prefix else "")
        body = f"<alignment {alignment}/></xf>" if alignment else "/>"
        xfs.append(f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"{flags}'
                   + (">" + body if alignment else body))
    font_xml = "".join(f'<font>{"<b/>" if bold else ""}<sz val="{size}"/><name val="Calibri"/><family val="2"/>'
                       '<scheme val="minor"/></font>' for bold, size in fonts)
    fill_xml = ('<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
                + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/>'
                          "</patternFill></fill>" for rgb in fills))
    number_xml = (f'<numFmts count="{len(formats)}">' + "".join(
        f'<numFmt numFmtId="{n}" formatCode="{code.translate(_ATTRIBUTE)}"/>' for code, n in formats.items())
        + "</numFmts>") if formats else ""
    return (f'<styleSheet xmlns="{MAIN}">{number_xml}<fonts count="{len(fonts)}">{font_xml}</fonts>'
            f'<fills count="{len(fills) + 2}">{fill_xml}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
