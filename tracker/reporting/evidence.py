"""Evidence files (佐证材料): checked by content, stored outside static/ under a random name.

`store_file` and `stored_path` are the one evidence store: the indicators' files go through it too.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.reporting import filetypes
from tracker.reporting.models import Evidence, Report, State

BAD_TYPE = N_("不支持该文件类型：请上传 PDF、PNG/JPEG 图片、OFD 或 Office/WPS 文档（docx/xlsx/pptx/doc/xls/wps/et/dps）。")


def add_evidence(session: Session, report: Report, *, filename: str | None, data: bytes, directory: str | Path,
                 max_bytes: int, actor: Any, now: datetime) -> Evidence:
    """Stores one file for a draft or returned report.

    Raises Conflict (the report is submitted), Invalid(fields={"evidence": ...}) for an
    empty file, a file over max_bytes or content we do not accept.
    """
    if report.state not in (State.DRAFT, State.RETURNED):
        raise Conflict(N_("已报送的报告不能修改，须被退回后重新报送"))
    if not data:
        raise Invalid(N_("文件是空的。"), fields={"evidence": N_("文件是空的。")})
    if len(data) > max_bytes:
        message = N_("文件超过 %(mb)s MB，未上传。")
        raise Invalid(message, fields={"evidence": message}, mb=max_bytes // (1024 * 1024))
    kind = filetypes.detect(data, filename)
    if kind is None:
        raise Invalid(BAD_TYPE, fields={"evidence": BAD_TYPE})
    storage_name = store_file(directory, data, kind.extension)
    evidence = Evidence(report_id=report.id, filename=filetypes.clean_filename(filename, kind),
                        content_type=kind.content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                        storage_name=storage_name, uploaded_at=now, uploaded_by_id=getattr(actor, "id", None))
    session.add(evidence)
    audit.record(session, actor=actor, action="evidence.add", obj=evidence,
                 new={"report": report.id, "filename": evidence.filename, "size": evidence.size,
                      "sha256": evidence.sha256}, at=now)
    return evidence


def path_of(evidence: Evidence, directory: str | Path) -> Path:
    return stored_path(directory, evidence.storage_name)


def store_file(directory: str | Path, data: bytes, extension: str) -> str:
    """Writes checked bytes under a new random name (hex + extension, e.g. ".pdf") in the folder; returns the name."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(20) + extension
    (folder / name).write_bytes(data)
    return name


def stored_path(directory: str | Path, name: str) -> Path:
    """A stored file's path; stored names are ours (hex + extension), never a user's path."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise FileNotFoundError(name)
    return Path(directory) / name
