"""Evidence files for indicator values: type checked by content, stored under a random name.

Kept in TRACKER_UPLOAD_DIR/indicators (outside static/); the original name is only a label.
The reporting domain's storage is bound to reports; its content check (filetypes) is reused.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.reporting import filetypes

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
    folder = Path(directory) / "indicators"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{kind}"
    (folder / stored).write_bytes(data)
    label = filetypes.clean_filename(filename, filetypes.detect(data))
    return StoredFile(name=label, path=stored, kind=kind)


def open_path(directory: str | Path, stored: str) -> Path:
    """The stored file's path; stored names are ours (hex + extension), never a user's path."""
    if not stored or "/" in stored or "\\" in stored or stored.startswith("."):
        raise FileNotFoundError(stored)
    return Path(directory) / "indicators" / stored
