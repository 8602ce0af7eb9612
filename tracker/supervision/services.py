"""The office's writes on a task: escalate (督办), 签收, respond, close, step up when ignored; flag and clear;
review decisions with their notices.

Each checks, mutates, flushes and records an audit entry; none commits. Given a base_url, the write
also announces it (tracker/supervision/signals.py): the reminders queue its notice in the same transaction.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid, NotAllowed
from tracker.core.i18n import N_
from tracker.core.workdays import CHINA, WorkCalendar
from tracker.plans.lifecycle import require_active
from tracker.plans.models import Assignment, Duty, Task, Unit, current_assignment
from tracker.reporting import extensions
from tracker.reporting import services as reporting
from tracker.supervision import signals
from tracker.supervision.ladder import Ladder, is_ignored
from tracker.supervision.models import Escalation, EscalationResponse, EscalationUnit, Flag

MAX_TEXT = 2000


def _text(value: str | None, field: str, required: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(required, fields={field: required})
    if len(value) > MAX_TEXT:
        raise Invalid(N_("不能超过 2000 个字。"), fields={field: N_("不能超过 2000 个字。")})
    return value


def open_escalation(session: Session, task: Task, *, reason: str, respond_by: date | None,
                    actor: Any, now: datetime, today: date, unit_ids: list[int] | None = None,
                    base_url: str | None = None, ladder: Ladder = Ladder()) -> Escalation:
    """Escalates the task to the units named (default: its lead units), each to 签收 and answer by the
    deadline. Raises Invalid (no reason, deadline missing or past, a unit that does not answer for the
    task), Conflict (already open, plan archived)."""
    require_active(task.plan)
    reason = _text(reason, "reason", N_("请填写督办事由。"))
    if respond_by is None or respond_by < today:
        raise Invalid(N_("反馈期限不能早于今天。"), fields={"respond_by": N_("反馈期限不能早于今天。")})
    responsible = dict(session.execute(select(Assignment.unit_id, Assignment.duty)
                                       .where(Assignment.task_id == task.id, current_assignment())).all())
    chosen = sorted(set(unit_ids)) if unit_ids else sorted(u for u, d in responsible.items() if d is Duty.LEAD)
    if not chosen or any(u not in responsible for u in chosen):
        raise Invalid(N_("督办对象须是该任务的责任单位。"), fields={"units": N_("督办对象须是该任务的责任单位。")})
    if session.scalar(select(Escalation.id).where(Escalation.task_id == task.id, Escalation.closed_at.is_(None))):
        raise Conflict(N_("该任务已有未办结的督办。"))
    escalation = Escalation(task_id=task.id, reason=reason, respond_by=respond_by, opened_at=now,
                            opened_by_id=getattr(actor, "id", None), level=0,
                            units=[EscalationUnit(unit_id=u) for u in chosen])
    session.add(escalation)
    session.flush()
    audit.record(session, actor=actor, action="escalation.open", obj=escalation,
                 new={"task": task.number, "reason": reason, "respond_by": respond_by, "units": chosen,
                      "colour": ladder.colour(0)}, at=now)
    if base_url:
        signals.escalation_opened.send(session, escalation=escalation, colour=ladder.sheet(0), now=now,
                                       base_url=base_url)
    return escalation


def concerns(escalation: Escalation, unit_id: int | None) -> EscalationUnit | None:
    """The unit's part of the escalation, if it is concerned."""
    return next((part for part in escalation.units if part.unit_id == unit_id), None)


def acknowledge_escalation(session: Session, escalation: Escalation, *, unit: Unit | None, actor: Any,
                           now: datetime) -> EscalationUnit:
    """签收: the unit has seen the escalation. Raises NotAllowed (not its escalation), Conflict (closed,
    already acknowledged)."""
    part = concerns(escalation, getattr(unit, "id", None))
    if part is None:
        raise NotAllowed(N_("该督办不涉及本单位。"))
    if not escalation.is_open:
        raise Conflict(N_("该督办已办结。"))
    if part.acknowledged_at is not None:
        raise Conflict(N_("本单位已签收该督办。"))
    part.acknowledged_at, part.acknowledged_by_id = now, getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor=actor, action="escalation.acknowledge", obj=escalation,
                 new={"unit_id": part.unit_id, "acknowledged_at": now}, at=now)
    return part


def respond_to_escalation(session: Session, escalation: Escalation, *, text: str, unit: Unit | None,
                          actor: Any, now: datetime, today: date) -> EscalationResponse:
    """The unit's dated written answer (反馈); it also counts as 签收. Raises Invalid (empty),
    Conflict (already closed), NotAllowed (a unit the escalation does not concern)."""
    if not escalation.is_open:
        raise Conflict(N_("该督办已办结，不能再反馈。"))
    part = concerns(escalation, getattr(unit, "id", None))
    if escalation.units and part is None:
        raise NotAllowed(N_("该督办不涉及本单位。"))
    text = _text(text, "text", N_("请填写反馈内容。"))
    if part is not None and part.acknowledged_at is None:
        part.acknowledged_at, part.acknowledged_by_id = now, getattr(actor, "id", None)
    response = EscalationResponse(escalation=escalation, unit_id=getattr(unit, "id", None), text=text,
                                  responded_on=today, responded_at=now, responder_id=getattr(actor, "id", None))
    session.add(response)
    audit.record(session, actor=actor, action="escalation.respond", obj=response,
                 new={"escalation": escalation.id, "text": text, "responded_on": today}, at=now)
    return response


def silent_units(escalation: Escalation) -> list[int]:
    """The units concerned that have not answered since the current deadline was set."""
    since = escalation.raised_at or escalation.opened_at
    answered = {r.unit_id for r in escalation.responses if r.responded_at >= since}
    return [part.unit_id for part in escalation.units if part.unit_id not in answered]


def raise_ignored_escalations(session: Session, *, today: date, now: datetime, ladder: Ladder,
                              base_url: str, calendar: WorkCalendar = CHINA) -> list[Escalation]:
    """The daily step: every open escalation whose deadline passed unanswered climbs one colour (a new
    deadline) and tells the silent units and the office, once per step; at the top it only tells.
    Runs on official working days only (a weekend's step is taken on the next working day)."""
    if not calendar.is_workday(today):
        return []
    ignored = [e for e in session.scalars(select(Escalation).where(Escalation.closed_at.is_(None),
                                                                   Escalation.respond_by < today))
               if is_ignored(e.respond_by, today, closed=False, all_responded=not silent_units(e))]
    for escalation in ignored:
        silent = silent_units(escalation)
        if ladder.can_raise(escalation.level):
            old = {"level": escalation.level, "respond_by": escalation.respond_by}
            escalation.level += 1
            escalation.respond_by, escalation.raised_at = ladder.raised_deadline(today, calendar), now
            session.flush()
            audit.record(session, actor=None, action="escalation.raise", obj=escalation, old=old,
                         new={"level": escalation.level, "colour": ladder.colour(escalation.level),
                              "respond_by": escalation.respond_by, "silent_units": silent}, at=now)
        signals.escalation_overdue.send(session, escalation=escalation, unit_ids=silent,
                                        colour=ladder.sheet(escalation.level), now=now, base_url=base_url)
    return ignored


def close_escalation(session: Session, escalation: Escalation, *, note: str = "", actor: Any,
                     now: datetime) -> Escalation:
    """办结: the task's light no longer counts this escalation. Raises Conflict if already closed."""
    if not escalation.is_open:
        raise Conflict(N_("该督办已办结。"))
    note = (note or "").strip()[:MAX_TEXT]
    escalation.closed_at, escalation.closed_by_id, escalation.close_note = now, getattr(actor, "id", None), note
    session.flush()
    audit.record(session, actor=actor, action="escalation.close", obj=escalation,
                 old={"closed": False}, new={"closed": True, "note": note}, at=now)
    return escalation


def flag_task(session: Session, task: Task, *, reason: str, actor: Any, now: datetime) -> Flag:
    """Marks the task red by hand. Raises Invalid (no reason), Conflict (already flagged, plan archived)."""
    require_active(task.plan)
    reason = _text(reason, "reason", N_("请填写标记红灯的原因。"))
    if session.scalar(select(Flag.id).where(Flag.task_id == task.id, Flag.cleared_at.is_(None))):
        raise Conflict(N_("该任务已被标记红灯。"))
    flag = Flag(task_id=task.id, reason=reason, flagged_at=now, flagged_by_id=getattr(actor, "id", None))
    session.add(flag)
    audit.record(session, actor=actor, action="flag.set", obj=flag, new={"task": task.number, "reason": reason},
                 at=now)
    return flag


def clear_flag(session: Session, flag: Flag, *, note: str = "", actor: Any, now: datetime) -> Flag:
    """Removes the office's red mark. Raises Conflict if already cleared."""
    if not flag.is_active:
        raise Conflict(N_("该红灯标记已取消。"))
    note = (note or "").strip()[:MAX_TEXT]
    flag.cleared_at, flag.cleared_by_id, flag.clear_note = now, getattr(actor, "id", None), note
    session.flush()
    audit.record(session, actor=actor, action="flag.clear", obj=flag, old={"active": True},
                 new={"active": False, "note": note}, at=now)
    return flag


def return_report(session: Session, report, *, comment: str, actor: Any, now: datetime,
                  base_url: str | None = None):
    """退回 with the comment, and the unit is told (reporting.services.return_report raises)."""
    review = reporting.return_report(session, report, comment=comment, actor=actor, now=now)
    session.flush()
    if base_url:
        signals.report_returned.send(session, review=review, now=now, base_url=base_url)
    return review


def accept_report(session: Session, report, *, comment: str = "", actor: Any, now: datetime,
                  base_url: str | None = None):
    """审核通过; after an earlier return the unit is told."""
    review = reporting.accept_report(session, report, comment=comment, actor=actor, now=now)
    session.flush()
    if base_url:
        signals.report_accepted.send(session, review=review, now=now, base_url=base_url)
    return review


def accept_reports(session: Session, reports, *, actor: Any, now: datetime, base_url: str | None = None):
    """审核通过 many at once (reporting.accept_reports' rule); each unit whose report had been returned is told."""
    accepted, refused = reporting.accept_reports(session, reports, actor=actor, now=now)
    session.flush()
    if base_url:
        for review in accepted:
            signals.report_accepted.send(session, review=review, now=now, base_url=base_url)
    return accepted, refused


def decide_extension(session: Session, extension, *, approve: bool, comment: str, actor: Any, now: datetime,
                     base_url: str | None = None):
    """延期申请 approved or refused (reporting.extensions.decide_extension raises); the unit is told."""
    return extensions.decide_extension(session, extension, approve=approve, comment=comment, actor=actor, now=now,
                                       base_url=base_url)
