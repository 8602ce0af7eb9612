"""Changing a report's evidence while it is editable: remove or replace a file; orphan files.

History is data: a file a submitted version showed the office stays (marked removed, on disk);
a file no submitted version showed is deleted, row and file. Orphans are files on disk that no
evidence row names — left by a save that was rolled back after the file was written.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict
from tracker.core.i18n import N_
from tracker.reporting.evidence import add_evidence, path_of
from tracker.reporting.models import Evidence, ReportVersion, State

STORED_NAME = re.compile(r"^[0-9a-f]{40}(\.[a-z0-9]{1,8})?$")   # evidence.add_evidence's random names


def remove_evidence(session: Session, evidence: Evidence, *, directory: str | Path, actor: Any,
                    now: datetime) -> Path | None:
    """Takes a file off a draft or returned report. Returns the file to delete from disk once
    the transaction has committed (None: a submitted version showed it, so it stays, marked
    removed). Deleting it before the commit could lose a file a rolled-back request still names.

    Raises Conflict if the report is submitted or accepted (it must be returned first) or the
    file was already removed.
    """
    report = evidence.report
    if report.state not in (State.DRAFT, State.RETURNED) or evidence.removed_at is not None:
        raise Conflict(N_("已报送的报告不能修改，须被退回后重新报送"))
    shown = session.scalar(select(ReportVersion.id).where(
        ReportVersion.report_id == report.id, ReportVersion.action == "submit",
        ReportVersion.saved_at >= evidence.uploaded_at).limit(1)) is not None
    audit.record(session, actor=actor, action="evidence.remove", obj=evidence,
                 old={"report": report.id, "filename": evidence.filename, "size": evidence.size,
                      "sha256": evidence.sha256},
                 new={"kept_for_history": shown}, at=now)
    if shown:
        evidence.removed_at = now
        session.flush()
        return None
    path = path_of(evidence, directory)
    session.delete(evidence)
    session.flush()
    return path


def delete_files(paths) -> None:
    """After the commit: the files remove_evidence let go (a crash before this leaves orphans,
    which `tracker evidence prune-orphans` cleans)."""
    for path in paths:
        if path is not None:
            Path(path).unlink(missing_ok=True)


def replace_evidence(session: Session, evidence: Evidence, *, filename: str | None, data: bytes,
                     directory: str | Path, max_bytes: int, actor: Any, now: datetime) -> tuple[Evidence, Path | None]:
    """The new file in place of the old one, and the old file to delete after the commit (see
    remove_evidence); raises what add_evidence and remove_evidence raise (a refused new file
    leaves the old one where it was)."""
    report = evidence.report
    added = add_evidence(session, report, filename=filename, data=data, directory=directory, max_bytes=max_bytes,
                         actor=actor, now=now)
    return added, remove_evidence(session, evidence, directory=directory, actor=actor, now=now)


def list_orphan_files(session: Session, directory: str | Path, *, now: datetime,
                      min_age: timedelta = timedelta(hours=1)) -> list[Path]:
    """Files in the upload folder that look like evidence but that no evidence row names, older
    than min_age (a younger one may belong to a save still in progress)."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    known = set(session.scalars(select(Evidence.storage_name)))
    cutoff = (now - min_age).timestamp()
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and STORED_NAME.match(path.name) and path.name not in known
                  and path.stat().st_mtime < cutoff)
