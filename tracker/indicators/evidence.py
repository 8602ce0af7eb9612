"""Evidence files for indicator values: type checked by content, stored under a random name.

Kept in TRACKER_UPLOAD_DIR/indicators (outside static/); the original name is only a label.
Written and found by the one evidence store (reporting/evidence.py); its content check (filetypes) too.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.reporting import filetypes
from tracker.reporting.evidence import store_file, stored_path

MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
NOT_ALLOWED = N_("只接受 PDF、PNG、JPEG、Excel（.xlsx）或 Word（.docx）文件。")


@dataclass(frozen=True)
class StoredFile:
    name: str       # as the user called it, for display and download
    path: str       # the random name it is stored under
    kind: str       # a key of MIME


def kind_of(data: bytes) -> str | None:
    """The file's type from its content, never from its name; None for any type not accepted here."""
    kind = filetypes.detect(data)
    extension = kind.extension.lstrip(".") if kind else None
    return extension if extension in MIME else None


def check(data: bytes, *, max_bytes: int) -> str:
    """The accepted kind; raises Invalid(fields={"evidence": …}) for an empty, large or foreign file."""
    if not data:
        raise Invalid(N_("上传的文件是空的。"), fields={"evidence": N_("上传的文件是空的。")})
    if len(data) > max_bytes:
        raise Invalid(N_("上传的文件太大。"), fields={"evidence": N_("上传的文件太大。")})
    kind = kind_of(data)
    if kind is None:
        raise Invalid(NOT_ALLOWED, fields={"evidence": NOT_ALLOWED})
    return kind


def store(directory: str | Path, data: bytes, filename: str, *, max_bytes: int) -> StoredFile:
    """Writes an accepted file (see check) under a random name."""
    kind = check(data, max_bytes=max_bytes)
    stored = store_file(Path(directory) / "indicators", data, f".{kind}")
    label = filetypes.clean_filename(filename, filetypes.detect(data))
    return StoredFile(name=label, path=stored, kind=kind)


def open_path(directory: str | Path, stored: str) -> Path:
    """The indicator file's path; FileNotFoundError for a name that is not one of ours."""
    return stored_path(Path(directory) / "indicators", stored)
