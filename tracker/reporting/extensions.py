"""延期申请: a unit asks, before the due date, for a later one for one report; the office decides.

`effective_due_dates` is the one place that says when a report is due once extensions count: lateness
(submit_report), lights (supervision facts), reminders (the sweep) and compliance read it.
Writes check, mutate, flush and audit; none commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.plans.models import Assignment, Task, Unit, in_period
from tracker.reporting import signals
from tracker.reporting.models import Extension, ExtensionState, Period, Report

MAX_TEXT = 2000
Key = tuple[int, int, int]     # (period_id, task_id, unit_id)


def effective_due_on(period_due_on: date, extended_to: date | None) -> date:
    """The report's due date: the period's, or a later one an approved extension granted."""
    return max(period_due_on, extended_to) if extended_to else period_due_on


def extended_due_dates(*, unit_id: int | None = None):
    """Approved extensions as a subquery (period_id, task_id, unit_id, due_on): the latest date granted."""
    query = (select(Extension.period_id, Extension.task_id, Extension.unit_id, func.max(Extension.due_on).label("due_on"))
             .where(Extension.state == ExtensionState.APPROVED)
             .group_by(Extension.period_id, Extension.task_id, Extension.unit_id))
    if unit_id is not None:
        query = query.where(Extension.unit_id == unit_id)
    return query.subquery()


def effective_due_dates(session: Session, *, period_ids: Iterable[int] | None = None,
                        unit_id: int | None = None) -> dict[Key, date]:
    """Approved extensions as {(period, task, unit): new due date}: one query. Missing key: the period's."""
    granted = extended_due_dates(unit_id=unit_id)
    query = select(granted)
    if period_ids is not None:
        query = query.where(granted.c.period_id.in_(list(period_ids)))
    return {(p, t, u): due for p, t, u, due in session.execute(query)}


def due_on_for(session: Session, period: Period, task_id: int, unit_id: int) -> date:
    """One report's effective due date."""
    extended = effective_due_dates(session, period_ids=[period.id], unit_id=unit_id).get((period.id, task_id, unit_id))
    return effective_due_on(period.due_on, extended)


def request_extension(session: Session, *, task: Task, unit: Unit, period: Period, due_on: date | None, reason: str,
                      actor: Any, now: datetime, today: date) -> Extension:
    """Asks for a later due date. Raises Invalid (after the due date, no reason, a date not later, not the unit's
    report), Conflict (a request already waiting, or the report already submitted)."""
    reason = (reason or "").strip()
    current = due_on_for(session, period, task.id, unit.id)
    if today > current:
        raise Invalid(N_("已过截止日期（%(day)s），不能再申请延期：逾期未报按迟报处理。"), day=current.isoformat(),
                      fields={"due_on": N_("已过截止日期，不能再申请延期。")})
    if not reason:
        raise Invalid(N_("请填写延期理由。"), fields={"reason": N_("请填写延期理由。")})
    if len(reason) > MAX_TEXT:
        raise Invalid(N_("不能超过 2000 个字。"), fields={"reason": N_("不能超过 2000 个字。")})
    if due_on is None or due_on <= current:
        raise Invalid(N_("申请的截止日期须晚于当前截止日期 %(day)s。"), day=current.isoformat(),
                      fields={"due_on": N_("申请的截止日期须晚于当前截止日期。")})
    if session.scalar(select(Assignment.id).where(Assignment.task_id == task.id, Assignment.unit_id == unit.id,
                                                      in_period(Assignment, period.key))) is None:
        raise Invalid(N_("本单位不承担该任务。"), fields={"task": N_("本单位不承担该任务。")})
    state = session.scalar(select(Report.state).where(Report.task_id == task.id, Report.unit_id == unit.id,
                                                      Report.period_id == period.id))
    if state is not None and state.counts_as_submitted:
        raise Conflict(N_("该报告已报送，无需延期。"))
    if session.scalar(select(Extension.id).where(Extension.task_id == task.id, Extension.unit_id == unit.id,
                                                 Extension.period_id == period.id,
                                                 Extension.state == ExtensionState.REQUESTED)):
        raise Conflict(N_("该报告已有待审批的延期申请。"))
    extension = Extension(task_id=task.id, unit_id=unit.id, period_id=period.id, due_on=due_on, reason=reason,
                          state=ExtensionState.REQUESTED, asked_at=now, asked_by_id=getattr(actor, "id", None))
    session.add(extension)
    session.flush()
    audit.record(session, actor=actor, action="extension.request", obj=extension, at=now,
                 new={"task": task.number, "period": period.key, "unit_id": unit.id, "due_on": due_on,
                      "reason": reason})
    return extension


def decide_extension(session: Session, extension: Extension, *, approve: bool, comment: str, actor: Any,
                     now: datetime, base_url: str | None = None) -> Extension:
    """The office approves (the unit's due date for that report moves) or refuses; given a base_url the
    unit is told (signals.extension_decided). Raises Conflict if already decided, Invalid (a refusal needs
    a comment)."""
    if extension.state is not ExtensionState.REQUESTED:
        raise Conflict(N_("该延期申请已审批。"))
    comment = (comment or "").strip()[:MAX_TEXT]
    if not approve and not comment:
        raise Invalid(N_("不批准时请填写意见。"), fields={"comment": N_("不批准时请填写意见。")})
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_at, extension.decided_by_id, extension.comment = now, getattr(actor, "id", None), comment
    session.flush()
    audit.record(session, actor=actor, action="extension.approve" if approve else "extension.refuse", obj=extension,
                 at=now, old={"state": ExtensionState.REQUESTED}, new={"state": extension.state, "comment": comment})
    if base_url:
        signals.extension_decided.send(session, extension=extension, now=now, base_url=base_url)
    return extension
