"""Reading a plan file as offices send it: text in any common encoding, Word (.docx), Excel (.xlsx).

Text may be UTF-8 (with or without BOM), GB18030/GBK (what Word and Notepad save on
Chinese Windows) or UTF-16. A .docx gives its paragraphs and tables in document order,
a table row as one line of tab-separated cells; an .xlsx gives each sheet's rows the
same way. A file of another kind is named for what it is, never read as garbage.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from . import problems as P
from .problems import Problem

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SIGNATURES = (  # (leading bytes, what it is)
    (b"%PDF", P.KIND_PDF),
    (b"\xd0\xcf\x11\xe0", P.KIND_OLD_OFFICE),
    (b"{\\rtf", P.KIND_RTF),
    (b"\x89PNG", P.KIND_IMAGE),
    (b"\xff\xd8\xff", P.KIND_IMAGE),
    (b"Rar!", P.KIND_ARCHIVE),
    (b"7z\xbc\xaf", P.KIND_ARCHIVE),
)


def decode_plan(data: bytes) -> tuple[str, list[Problem]]:
    """Text bytes → text: BOMs, UTF-16 and GB18030 detected; bytes no encoding explains become a problem."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    elif data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), []
    elif _looks_like_utf16(data):
        little = data.find(b"\n\x00") % 2 == 0
        return data.decode("utf-16-le" if little else "utf-16-be", errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return data.decode("gb18030"), []
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, first_bad) + 1
        return data.decode("utf-8", errors="replace"), [P.error("not_utf8", line, P.NOT_UTF8)]


def read_document(data: bytes) -> tuple[str, list[Problem]]:
    """Any uploaded file → its text as lines (tables as tab-separated rows), or a problem naming its kind."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return "", [P.error("wrong_kind", None, kind)]
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data)
    return decode_plan(data)


def _looks_like_utf16(data: bytes) -> bool:
    """Chinese UTF-16 holds few NUL bytes, but its line breaks are \n\0 (or \0\n): text never is."""
    return len(data) % 2 == 0 and (b"\n\x00" in data or b"\x00\n" in data)


def _read_zip(data: bytes) -> tuple[str, list[Problem]]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return "", [P.error("wrong_kind", None, P.KIND_BROKEN)]
    try:
        if "word/document.xml" in names:
            return _docx_text(data), []
        if "xl/workbook.xml" in names:
            return _xlsx_text(data), []
    except Exception:  # a damaged Office file: python-docx and openpyxl raise many kinds
        return "", [P.error("wrong_kind", None, P.KIND_BROKEN)]
    if "OFD.xml" in names:
        return "", [P.error("wrong_kind", None, P.KIND_OFD)]
    return "", [P.error("wrong_kind", None, P.KIND_ARCHIVE)]


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            lines.extend(_row_line(row) for row in Table(element, document).rows)
    return "\n".join(lines)


def _row_line(row) -> str:
    """A table row as one line: merged cells once, a cell's paragraphs joined (names cut by Enter)."""
    cells, seen = [], None
    for cell in row.cells:
        if cell._tc is seen:
            continue
        seen = cell._tc
        cells.append("".join(p.text.strip() for p in cell.paragraphs))
    return "\t".join(cells).rstrip("\t")


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join(_cell_text(value) for value in row).rstrip("\t"))
        lines.append("")
    return "\n".join(lines)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).replace("\r", "").replace("\n", "").replace("\t", " ")
