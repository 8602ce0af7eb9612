"""Which evidence files (佐证材料) we accept, told by their content, never by their name. Pure.

PDF, PNG, JPEG, Office Open XML (docx/xlsx/pptx: a zip whose [Content_Types].xml names the
document's main part), the older OLE Office files (doc/xls/ppt), OFD and WPS Office's wps/et/dps.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", ".pdf")
PNG = FileKind("image/png", ".png")
JPEG = FileKind("image/jpeg", ".jpg")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx")
DOC = FileKind("application/msword", ".doc")
XLS = FileKind("application/vnd.ms-excel", ".xls")
PPT = FileKind("application/vnd.ms-powerpoint", ".ppt")
# China's own formats: OFD (GB/T 33190, a zip whose root holds OFD.xml) and WPS Office's
# 文字/表格/演示 files (OLE compound files like doc/xls/ppt, told apart by their name).
OFD = FileKind("application/ofd", ".ofd")
WPS = FileKind("application/kswps", ".wps")
ET = FileKind("application/kset", ".et")
DPS = FileKind("application/ksdps", ".dps")
KINGSOFT = {".wps": WPS, ".et": ET, ".dps": DPS}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main part each Office Open XML document declares in [Content_Types].xml.
OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
# The stream each OLE Office file carries, as its directory spells it (UTF-16LE).
OLE_STREAMS = (("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS), ("PowerPoint Document", PPT))
CONTENT_TYPES_LIMIT = 1024 * 1024


def detect(data: bytes, filename: str | None = None) -> FileKind | None:
    """The accepted kind this content is, or None (an .exe named .pdf is None). The name only
    tells WPS Office files from other OLE files: the content must be an OLE compound file."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _ooxml(data) or _ofd(data)
    if data.startswith(OLE_MAGIC):
        return _kingsoft(filename) or _ole(data)
    return None


def _ooxml(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            with archive.open("[Content_Types].xml") as member:
                types = member.read(CONTENT_TYPES_LIMIT)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        return None
    return next((kind for marker, kind in OOXML_MAIN.items() if marker in types), None)


def _ofd(data: bytes) -> FileKind | None:
    """An OFD document: a zip with OFD.xml at its root, naming its <ofd:OFD> entry point."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            with archive.open("OFD.xml") as member:
                head = member.read(CONTENT_TYPES_LIMIT)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        return None
    return OFD if b"OFD" in head and b"DocBody" in head else None


def _kingsoft(filename: str | None) -> FileKind | None:
    name = (filename or "").lower()
    return next((kind for ext, kind in KINGSOFT.items() if name.endswith(ext)), None)


def _ole(data: bytes) -> FileKind | None:
    for stream, kind in OLE_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return kind
    return None


def clean_filename(name: str | None, kind: FileKind) -> str:
    """The name as the user chose it (Chinese kept), without folders or control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    if not name:
        name = "file" + kind.extension
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name


HEAD_BYTES = 16


def inline_kind(head: bytes) -> FileKind | None:
    """PDF, PNG or JPEG, told by a stored file's first HEAD_BYTES: the only kinds a page may show inline."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


# Extensions that name the same type as the detected one: the user's own is kept.
SAME_TYPE = {".jpg": {".jpg", ".jpeg"}}


def download_name(name: str | None, extension: str) -> str:
    """The name a file is served under: the user's name with the extension of the detected type.

    '报告.bat' holding a PDF is served as '报告.pdf': a download never carries an extension
    (.bat, .exe, .html, .svg…) that would make the browser or the desktop run it.
    """
    name = (name or "").strip()
    stem, dot, own = name.rpartition(".")
    if dot and f".{own.lower()}" in SAME_TYPE.get(extension, {extension}):
        return name
    stem = stem if dot and stem else name
    return (stem or "file") + extension
