"""A task's history in one list, newest first: submissions, the office's reviews, status updates.

Three queries whatever the history's length. `unit_ids` narrows reports and reviews to the
units the viewer may read (None: every unit, for the supervision office and the lead).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.plans.models import Duty, Task, Unit
from tracker.reporting.models import Period, Report, ReportVersion, Review, State, Status, StatusUpdate


@dataclass(frozen=True)
class Entry:
    kind: str                      # "submit" | "return" | "accept" | "update"
    at: datetime
    unit_name: str
    period_key: str | None = None
    duty: Duty | None = None
    status: Status | None = None
    percent: int | None = None
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    comment: str = ""
    state: State | None = None     # a submission's report as it stands now (latest submission only)
    first: bool = True             # first submission of its report (else a resubmission)
    late: bool = False             # the first submission of a report that came in after the due date
    posted_on: date | None = None  # status updates carry their own date


def list_timeline(session: Session, task: Task, *, unit_ids: list[int] | None) -> list[Entry]:
    entries = _submissions(session, task, unit_ids) + _reviews(session, task, unit_ids) + _updates(session, task)
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _submissions(session: Session, task: Task, unit_ids: list[int] | None) -> list[Entry]:
    query = (select(ReportVersion, Report, Period.key, Unit.name)
             .join(Report, Report.id == ReportVersion.report_id).join(Period, Period.id == Report.period_id)
             .join(Unit, Unit.id == Report.unit_id)
             .where(Report.task_id == task.id, ReportVersion.action == "submit")
             .order_by(ReportVersion.report_id, ReportVersion.number))
    if unit_ids is not None:
        query = query.where(Report.unit_id.in_(unit_ids))
    rows = session.execute(query).all()
    firsts, lasts = {}, {}
    for version, report, _key, _name in rows:
        firsts.setdefault(report.id, version.number)
        lasts[report.id] = version.number
    out = []
    for version, report, key, name in rows:
        first = version.number == firsts[report.id]
        out.append(Entry(
            kind="submit", at=version.saved_at, unit_name=name, period_key=key, duty=report.duty,
            status=version.status, percent=version.percent, progress=version.progress, problems=version.problems,
            next_steps=version.next_steps, state=report.state if version.number == lasts[report.id] else None,
            first=first, late=first and report.is_late,
        ))
    return out


def _reviews(session: Session, task: Task, unit_ids: list[int] | None) -> list[Entry]:
    query = (select(Review, Period.key, Unit.name).join(Report, Report.id == Review.report_id)
             .join(Period, Period.id == Report.period_id).join(Unit, Unit.id == Report.unit_id)
             .where(Report.task_id == task.id))
    if unit_ids is not None:
        query = query.where(Report.unit_id.in_(unit_ids))
    return [Entry(kind=review.decision, at=review.reviewed_at, unit_name=name, period_key=key, comment=review.comment)
            for review, key, name in session.execute(query)]


def _updates(session: Session, task: Task) -> list[Entry]:
    query = (select(StatusUpdate, Unit.name).join(Unit, Unit.id == StatusUpdate.unit_id)
             .where(StatusUpdate.task_id == task.id))
    return [Entry(kind="update", at=update.created_at, unit_name=name, status=update.status, comment=update.note,
                  posted_on=update.posted_on)
            for update, name in session.execute(query)]
