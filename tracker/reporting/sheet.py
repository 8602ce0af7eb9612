"""Saving a unit's quarterly report page at once: every changed task saved as a draft, evidence
stored, then the asked-for tasks submitted. Each task succeeds or fails on its own; a failure
leaves that task's typed text with the caller to show again, and never touches the others.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tracker.core.errors import Conflict, DomainError, Invalid
from tracker.core.i18n import N_
from tracker.core.messages import Message, untranslated
from tracker.plans.models import Unit
from tracker.reporting import services
from tracker.reporting.evidence import add_evidence
from tracker.reporting.evidence_changes import remove_evidence, replace_evidence
from tracker.reporting.models import Report, State
from tracker.reporting.queries import Sheet, SheetRow
from tracker.reporting.services import ReportInput, StaleReport


@dataclass(frozen=True, kw_only=True)
class Note(Message):
    """A message for one field, and the file it is about, if any."""

    filename: str | None = None

    @classmethod
    def of(cls, error: DomainError, template: str | None = None, filename: str | None = None) -> Note:
        """The refusal's words, or `template` (a field's own msgid) with the refusal's parameters."""
        said = error.message
        return cls(said.code, template or said.template, said.params, said.words, filename=filename)

    def text(self, gettext: Callable[[str], str] = untranslated) -> str:
        said = super().text(gettext)
        return f"{self.filename}：{said}" if self.filename else said


@dataclass(frozen=True)
class Upload:
    filename: str | None
    data: bytes


@dataclass(frozen=True)
class RowInput:
    """One task's fields as posted. expected_version: the report's version when the page was
    loaded (0: there was none); loaded_digest: digest() of the fields as the page showed them."""

    task_id: int
    data: ReportInput
    expected_version: int
    loaded_digest: str | None = None
    uploads: tuple[Upload, ...] = ()
    prefilled_digest: str | None = None  # digest() of last quarter's text the page offered, if it did
    removals: tuple[int, ...] = ()  # evidence ids of this row to take off
    replacements: tuple[tuple[int, Upload], ...] = ()  # (evidence id, the file to put in its place)


@dataclass
class RowOutcome:
    errors: dict[str, Note] = field(default_factory=dict)
    conflict: bool = False
    saved: bool = False
    submitted: bool = False
    uploaded: int = 0
    removed: int = 0
    not_submitted: dict[str, Note] = field(default_factory=dict)  # submit-all: why this task stayed a draft
    stored_files: list[str | None] = field(default_factory=list)
    discarded: list[Path] = field(default_factory=list)  # files to delete once the request has committed
    untouched: bool = False  # submit-all: nothing written for this task yet
    unedited_return: bool = False  # submit-all: returned and not edited since, so not sent again
    saved_version: int | None = None  # the report's version after this request's writes, if it wrote any
    unsent_files: tuple[str, ...] = ()  # chosen files not stored: the user must choose them again

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.conflict


@dataclass(frozen=True)
class Storage:
    directory: str | Path
    max_bytes: int


def digest(data: ReportInput) -> str:
    """A fingerprint of a row's fields: tells "the user changed this" from "someone else did"."""
    status = data.status.value if data.status is not None else ""
    text = "\x1f".join([status, "" if data.percent is None else str(data.percent), data.progress.strip(),
                        data.problems.strip(), data.next_steps.strip()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def save_sheet(session: Session, sheet: Sheet, rows: list[RowInput], *, unit: Unit, submit: set[int] | None,
               submit_all: bool, storage: Storage, actor: Any, now: datetime, today: date) -> dict[int, RowOutcome]:
    """Saves what the user changed, stores uploads, submits `submit` (task ids) or, with
    submit_all, every task whose required fields are filled. Raises StaleReport if the
    database refused a write (the caller rolls back: nothing of this request is kept)."""
    outcomes: dict[int, RowOutcome] = {}
    for row_input in rows:
        row = sheet.row(row_input.task_id)
        if row is None or not row.is_editable:
            continue
        outcome = outcomes[row_input.task_id] = RowOutcome()
        wanted = submit_all or (submit is not None and row_input.task_id in submit)
        _save_row(session, sheet, row, row_input, outcome, unit=unit, storage=storage, locked=wanted, actor=actor,
                  now=now, today=today)
        if outcome.failed:
            chosen = [*row_input.uploads, *(upload for _, upload in row_input.replacements)]
            outcome.unsent_files = tuple(u.filename or "" for u in chosen if u.filename not in outcome.stored_files)
        if not wanted or outcome.failed:
            continue
        if row_input.prefilled_digest and digest(row_input.data) == row_input.prefilled_digest:
            (outcome.not_submitted if submit_all else outcome.errors)["progress"] = Note("unchanged_prefill", UNCHANGED_PREFILL)
        elif submit_all and not outcome.saved and is_unedited_return(row):
            outcome.unedited_return = True
        else:
            _submit_row(session, row, outcome, quiet=submit_all, actor=actor, now=now, today=today)
    return outcomes


UNCHANGED_PREFILL = N_("这是上季度的内容，请按本季度情况修改后再报送。")


def is_unedited_return(row: SheetRow) -> bool:
    """Returned by the office and not saved since: 全部报送 must not send it back as it was."""
    report = row.report
    return (report is not None and report.state is State.RETURNED and row.returned_at is not None
            and report.updated_at <= row.returned_at)


def _save_row(session: Session, sheet: Sheet, row: SheetRow, row_input: RowInput, outcome: RowOutcome, *,
              unit: Unit, storage: Storage, locked: bool, actor: Any, now: datetime, today: date) -> None:
    current = row.report.version if row.report is not None else 0
    if _changed(row, row_input):
        try:
            row.report, _ = services.save_report(
                session, task=row.task, unit=unit, period=sheet.period, data=row_input.data,
                expected_version=row_input.expected_version, actor=actor, now=now, today=today)
            outcome.saved, outcome.saved_version = True, row.report.version
        except StaleReport:
            raise
        except Conflict:
            outcome.conflict = True
            return
        except DomainError as refused:
            fields = getattr(refused, "fields", None) or {"progress": refused.template}
            outcome.errors.update({name: Note.of(refused, msgid) for name, msgid in fields.items()})
            return
    elif locked and row_input.expected_version != current:
        outcome.conflict = True  # about to submit what someone else wrote since the page was loaded
        return
    for upload in row_input.uploads:
        try:
            if row.report is None:
                row.report, _ = services.save_report(
                    session, task=row.task, unit=unit, period=sheet.period, data=row_input.data,
                    expected_version=row_input.expected_version, actor=actor, now=now, today=today)
                outcome.saved_version = row.report.version
            add_evidence(session, row.report, filename=upload.filename, data=upload.data,
                         directory=storage.directory, max_bytes=storage.max_bytes, actor=actor, now=now)
            outcome.uploaded += 1
            outcome.stored_files.append(upload.filename)
        except StaleReport:
            raise
        except Conflict:
            outcome.conflict = True
            return
        except DomainError as refused:
            _refused_file(outcome, refused, upload.filename)
    _change_evidence(session, row, row_input, outcome, storage=storage, actor=actor, now=now)


def _change_evidence(session: Session, row: SheetRow, row_input: RowInput, outcome: RowOutcome, *,
                     storage: Storage, actor: Any, now: datetime) -> None:
    """Removals and replacements of this row's own files (an id from elsewhere is ignored)."""
    own = {item.id: item for item in row.evidence}
    for evidence_id, upload in row_input.replacements:
        if evidence_id not in own or evidence_id in row_input.removals:
            continue
        try:
            _, old_file = replace_evidence(session, own[evidence_id], filename=upload.filename, data=upload.data,
                                           directory=storage.directory, max_bytes=storage.max_bytes, actor=actor,
                                           now=now)
            outcome.discarded += [old_file] if old_file else []
            outcome.uploaded += 1
            outcome.removed += 1
            outcome.stored_files.append(upload.filename)
        except DomainError as refused:
            _refused_file(outcome, refused, upload.filename)
    for evidence_id in row_input.removals:
        if evidence_id in own:
            try:
                old_file = remove_evidence(session, own[evidence_id], directory=storage.directory, actor=actor,
                                           now=now)
                outcome.discarded += [old_file] if old_file else []
                outcome.removed += 1
            except DomainError as refused:
                outcome.errors.setdefault("evidence", Note.of(refused, filename=own[evidence_id].filename))


def _refused_file(outcome: RowOutcome, refused: DomainError, filename: str | None) -> None:
    """A file not stored: the refusal's own evidence message if it has one; the row's first such note stays."""
    msgid = (getattr(refused, "fields", None) or {}).get("evidence", refused.template)
    outcome.errors.setdefault("evidence", Note.of(refused, msgid, filename))


def _submit_row(session: Session, row: SheetRow, outcome: RowOutcome, *, quiet: bool, actor: Any,
                now: datetime, today: date) -> None:
    target = outcome.not_submitted if quiet else outcome.errors
    if row.report is None:
        if quiet:
            outcome.untouched = True
        else:
            target.update({name: Note("incomplete", msgid) for name, msgid in
                           services.submission_problems(Report(duty=row.duty)).items()})
        return
    try:
        services.submit_report(session, row.report, actor=actor, now=now, today=today)
        outcome.submitted = True
    except Invalid as invalid:
        target.update({name: Note("Invalid", msgid) for name, msgid in invalid.fields.items()})
    except DomainError as refused:
        target["state"] = Note.of(refused)


def _changed(row: SheetRow, row_input: RowInput) -> bool:
    """Did the user change this row? Their page's fingerprint says so; without one, the stored report."""
    posted = digest(row_input.data)
    if row_input.loaded_digest:
        return posted != row_input.loaded_digest
    report = row.report
    if report is None:
        return posted != digest(ReportInput(status=None, percent=None))
    return posted != digest(stored_input(report))


def stored_input(report: Report) -> ReportInput:
    return ReportInput(status=report.status, percent=report.percent, progress=report.progress or "",
                       problems=report.problems or "", next_steps=report.next_steps or "")
