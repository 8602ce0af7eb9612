"""Writes on reports: save (draft), submit, return, accept; status updates between quarters.

Each write checks, mutates, flushes and records an audit entry; none commits. Every
change adds a ReportVersion, so nothing a unit or the office wrote is ever lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.core import audit
from tracker.core.errors import Conflict, DomainError, Invalid, NotAllowed
from tracker.core.i18n import N_
from tracker.plans.lifecycle import require_active
from tracker.plans.models import Assignment, Duty, Task, Unit, current_assignment
from tracker.reporting.extensions import due_on_for
from tracker.reporting.models import Period, Report, ReportVersion, Review, State, Status, StatusUpdate
from tracker.reporting.obligations import owed

MAX_TEXT = 2000
MAX_NOTE = 500
MAX_COMMENT = 2000
TEXT_FIELDS = ("progress", "problems", "next_steps")

CHANGED_BY_OTHERS = N_("数据已被他人修改，请核对后重新保存。")
LOCKED = N_("已报送的报告不能修改，须被退回后重新报送")


@dataclass(frozen=True)
class ReportInput:
    status: Status | None
    percent: int | None
    progress: str = ""
    problems: str = ""
    next_steps: str = ""


def save_report(session: Session, *, task: Task, unit: Unit, period: Period, data: ReportInput,
                expected_version: int | None, actor: Any, now: datetime, today: date) -> tuple[Report, bool]:
    """Creates or updates the unit's draft (or returned) report; returns (report, created).

    expected_version is the version the editor loaded (0: "there was no report yet"); None
    skips the check. Raises NotAllowed (the unit does not answer for the task, or the period
    is not owed or has not started), Conflict (submitted/accepted, or saved meanwhile by
    someone else), Invalid(fields=...) on bad values. StaleReport, a Conflict, means the
    database itself refused the write (a concurrent writer): the caller must roll back.
    """
    duty = _duty(session, task, unit, period, today=today)
    report = session.scalar(select(Report).where(Report.task_id == task.id, Report.unit_id == unit.id,
                                                 Report.period_id == period.id))
    if report is not None and report.state.counts_as_submitted:
        raise Conflict(LOCKED)
    current = report.version if report is not None else 0
    if expected_version is not None and expected_version != current:
        raise Conflict(CHANGED_BY_OTHERS)
    _check(data, duty)
    created = report is None
    old = None if created else _snapshot(report)
    number = 1 if created else _next_number(session, report)
    if created:
        report = Report(task_id=task.id, unit_id=unit.id, period_id=period.id, duty=duty, state=State.DRAFT)
        session.add(report)
    report.status, report.percent = data.status, data.percent
    report.progress, report.problems, report.next_steps = (data.progress.strip(), data.problems.strip(),
                                                           data.next_steps.strip())
    report.updated_at, report.updated_by_id = now, getattr(actor, "id", None)
    if created:
        _flush(session)  # the new report's id, for its version and audit entry
    _record(session, report, number, "save", "report.create" if created else "report.save", old,
            actor=actor, now=now)
    return report, created


def submit_report(session: Session, report: Report, *, actor: Any, now: datetime, today: date) -> Report:
    """DRAFT or RETURNED → SUBMITTED. Raises Conflict (wrong state), NotAllowed (quarter not
    over yet), Invalid with per-field messages (missing status, progress, next steps, or the
    lead's percent). A first submission after the due date is marked late; resubmissions keep it.
    """
    if report.state not in (State.DRAFT, State.RETURNED):
        raise Conflict(LOCKED)
    if not submission_open(report.period, today):
        raise NotAllowed(N_("%(period)s 尚未结束，只能保存草稿。"), period=report.period.key)
    missing = submission_problems(report)
    if missing:
        raise Invalid(N_("报送前请填写必填项。"), fields=missing)
    old, number = _snapshot(report), _next_number(session, report)
    if report.submitted_at is None:
        report.is_late = today > due_on_for(session, report.period, report.task_id, report.unit_id)
    report.state = State.SUBMITTED
    report.submitted_at, report.submitted_on = now, today
    report.updated_at, report.updated_by_id = now, getattr(actor, "id", None)
    _record(session, report, number, "submit", "report.submit", old, actor=actor, now=now)
    return report


def return_report(session: Session, report: Report, *, comment: str, actor: Any, now: datetime) -> Review:
    """SUBMITTED → RETURNED with the office's comment. Raises Conflict, Invalid (no comment)."""
    comment = (comment or "").strip()
    if not comment:
        raise Invalid(N_("退回时请填写退回意见。"), fields={"comment": N_("请填写退回意见。")})
    return _review(session, report, "return", State.RETURNED, comment, actor=actor, now=now)


def accept_report(session: Session, report: Report, *, comment: str = "", actor: Any, now: datetime) -> Review:
    """SUBMITTED → ACCEPTED. Raises Conflict if the report is not awaiting review."""
    return _review(session, report, "accept", State.ACCEPTED, (comment or "").strip(), actor=actor, now=now)


def accept_reports(session: Session, reports: list[Report], *, comment: str = "", actor: Any,
                   now: datetime) -> tuple[list[Review], list[tuple[Report, DomainError]]]:
    """Accepts many reports at once, each by accept_report's rule (awaiting review, comment
    within the limit); returns (reviews, refused), refused pairing each report left alone with
    the reason. One flush for all: each still gets its version, review and audit entry. Returns
    are never batched: each needs its own comment. Raises StaleReport (roll back) if another
    writer changed one of them meanwhile."""
    comment = (comment or "").strip()
    numbers = dict(session.execute(select(ReportVersion.report_id, func.max(ReportVersion.number))
                                   .where(ReportVersion.report_id.in_([r.id for r in reports]))
                                   .group_by(ReportVersion.report_id)).all()) if reports else {}
    reviews, refused = [], []
    for report in reports:
        try:
            _check_reviewable(report, comment)
        except DomainError as error:
            refused.append((report, error))
            continue
        reviews.append(_add_review(session, report, "accept", State.ACCEPTED, comment,
                                   (numbers.get(report.id) or 0) + 1, actor=actor, now=now))
    _flush(session)
    return reviews, refused


def post_status_update(session: Session, *, task: Task, unit: Unit, status: Status | None, note: str,
                       actor: Any, now: datetime, today: date) -> StatusUpdate:
    """The lead unit's dated note between quarters. Raises NotAllowed (not the lead), Invalid."""
    lead = session.scalar(select(Assignment.id).where(Assignment.task_id == task.id, Assignment.unit_id == unit.id,
                                                      Assignment.duty == Duty.LEAD, current_assignment()))
    if lead is None:
        raise NotAllowed(N_("只有牵头单位可以发布进展动态。"))
    require_active(task.plan)
    note = (note or "").strip()
    fields = {}
    if not isinstance(status, Status):
        fields["status"] = N_("请选择进展状态。")
    if not note:
        fields["note"] = N_("请填写进展说明。")
    elif len(note) > MAX_NOTE:
        fields["note"] = N_("不能超过 500 个字。")
    if fields:
        raise Invalid(N_("进展动态填写有误。"), fields=fields)
    update = StatusUpdate(task_id=task.id, unit_id=unit.id, posted_on=today, status=status, note=note,
                          created_at=now, author_id=getattr(actor, "id", None))
    session.add(update)
    audit.record(session, actor=actor, action="task.status_update", obj=update,
                 new={"task": task.number, "status": status, "note": note}, at=now)
    return update


def submission_open(period: Period, today: date) -> bool:
    """A quarter's reports can be submitted from its last day on; before that, drafts only."""
    return today >= period.ends_on


def submission_problems(report: Report) -> dict[str, str]:
    """What a report still lacks before it can be submitted: field → message (msgid)."""
    missing = {}
    if report.status is None:
        missing["status"] = N_("请选择进展状态。")
    if report.duty is Duty.LEAD and report.percent is None:
        missing["percent"] = N_("请填写完成进度。")
    if not (report.progress or "").strip():
        missing["progress"] = N_("请填写工作进展。")
    if not (report.next_steps or "").strip():
        missing["next_steps"] = N_("请填写下一步计划。")
    return missing


def _duty(session: Session, task: Task, unit: Unit, period: Period, *, today: date) -> Duty:
    """The unit's duty on the task if it owes a report for the period (obligations.owed); NotAllowed otherwise."""
    if period.plan_id != task.plan_id:
        raise NotAllowed(N_("该任务在 %(period)s 无需报送。"), period=period.key)
    require_active(task.plan)
    rows = owed(period_ids=[period.id], unit_id=unit.id, task_id=task.id).subquery()
    duty = session.scalar(select(rows.c.duty))
    if duty is None:
        assigned = session.scalar(select(Assignment.id).where(Assignment.task_id == task.id,
                                                              Assignment.unit_id == unit.id).limit(1))
        if assigned is None:
            raise NotAllowed(N_("本单位不承担该任务，不能填报。"))
        raise NotAllowed(N_("该任务在 %(period)s 无需报送。"), period=period.key)
    if period.starts_on > today:
        raise NotAllowed(N_("%(period)s 尚未开始，不能填报。"), period=period.key)
    return duty if isinstance(duty, Duty) else Duty(duty)


def _check(data: ReportInput, duty: Duty) -> None:
    fields = {}
    if data.status is not None and not isinstance(data.status, Status):
        fields["status"] = N_("请选择有效的进展状态。")
    if data.percent is not None:
        if duty is not Duty.LEAD:
            fields["percent"] = N_("完成进度由牵头单位填写。")
        elif isinstance(data.percent, bool) or not isinstance(data.percent, int) or not 0 <= data.percent <= 100:
            fields["percent"] = N_("完成进度应为 0 到 100 之间的整数。")
    for name in TEXT_FIELDS:
        value = getattr(data, name)
        if not isinstance(value, str):
            fields[name] = N_("请填写文字。")
        elif len(value.strip()) > MAX_TEXT:
            fields[name] = N_("不能超过 2000 个字。")
    if fields:
        raise Invalid(N_("填报内容有误。"), fields=fields)


def _review(session: Session, report: Report, decision: str, state: State, comment: str, *,
            actor: Any, now: datetime) -> Review:
    _check_reviewable(report, comment)
    review = _add_review(session, report, decision, state, comment, _next_number(session, report), actor=actor,
                         now=now)
    _flush(session)
    return review


def _check_reviewable(report: Report, comment: str) -> None:
    """The review rule: only a report awaiting review, of an active plan, with a comment within the limit."""
    require_active(report.task.plan)
    if report.state is not State.SUBMITTED:
        raise Conflict(N_("只能审核已报送、待审核的报告。"))
    if len(comment) > MAX_COMMENT:
        raise Invalid(N_("审核意见有误。"), fields={"comment": N_("不能超过 2000 个字。")})


def _add_review(session: Session, report: Report, decision: str, state: State, comment: str, number: int, *,
                actor: Any, now: datetime) -> Review:
    """The decision, its review row, version and audit entry, not yet flushed."""
    old = _snapshot(report)
    report.state = state
    review = Review(report=report, decision=decision, comment=comment, reviewed_at=now,
                    reviewer_id=getattr(actor, "id", None))
    session.add(review)
    _record(session, report, number, decision, f"report.{decision}", old, actor=actor, now=now,
            extra={"comment": comment}, flush=False)
    return review


def _next_number(session: Session, report: Report) -> int:
    """Asked before the report changes, so the question flushes nothing half-done."""
    return (session.scalar(select(func.max(ReportVersion.number)).where(ReportVersion.report_id == report.id))
            or 0) + 1


def _record(session: Session, report: Report, number: int, action: str, audit_action: str,
            old: dict[str, Any] | None, *, actor: Any, now: datetime, extra: dict[str, Any] | None = None,
            flush: bool = True) -> None:
    """The change's version and audit entry, flushed with the change itself in one go (or by the caller)."""
    session.add(ReportVersion(report_id=report.id, number=number, action=action, state=report.state,
                              status=report.status, percent=report.percent, progress=report.progress,
                              problems=report.problems, next_steps=report.next_steps, saved_at=now,
                              saved_by_id=getattr(actor, "id", None)))
    audit.record(session, actor=actor, action=audit_action, object_type="Report", object_id=report.id,
                 old=old, new={**_snapshot(report), **(extra or {})}, at=now)
    if flush:
        _flush(session)


class StaleReport(Conflict):
    """The database refused the write (another writer got there first): roll the session back."""


def _flush(session: Session) -> None:
    """Two writers on one report: the row's version column (or its unique key) says who was first."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError):
        raise StaleReport(CHANGED_BY_OTHERS) from None


def _snapshot(report: Report) -> dict[str, Any]:
    return {"state": report.state, "status": report.status, "percent": report.percent,
            "progress": report.progress, "problems": report.problems, "next_steps": report.next_steps}
