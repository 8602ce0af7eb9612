"""The office's writes on a task: escalate (督办), respond, close; flag and clear.

Each checks, mutates, flushes and records an audit entry; none commits.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.plans.lifecycle import require_active
from tracker.plans.models import Task, Unit
from tracker.supervision.models import Escalation, EscalationResponse, Flag

MAX_TEXT = 2000


def _text(value: str | None, field: str, required: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(required, fields={field: required})
    if len(value) > MAX_TEXT:
        raise Invalid(N_("不能超过 2000 个字。"), fields={field: N_("不能超过 2000 个字。")})
    return value


def open_escalation(session: Session, task: Task, *, reason: str, respond_by: date | None,
                    actor: Any, now: datetime, today: date) -> Escalation:
    """Escalates the task. Raises Invalid (no reason, deadline missing or past), Conflict (already open, plan archived)."""
    require_active(task.plan)
    reason = _text(reason, "reason", N_("请填写督办事由。"))
    if respond_by is None or respond_by < today:
        raise Invalid(N_("反馈期限不能早于今天。"), fields={"respond_by": N_("反馈期限不能早于今天。")})
    if session.scalar(select(Escalation.id).where(Escalation.task_id == task.id, Escalation.closed_at.is_(None))):
        raise Conflict(N_("该任务已有未办结的督办。"))
    escalation = Escalation(task_id=task.id, reason=reason, respond_by=respond_by, opened_at=now,
                            opened_by_id=getattr(actor, "id", None))
    session.add(escalation)
    audit.record(session, actor=actor, action="escalation.open", obj=escalation,
                 new={"task": task.number, "reason": reason, "respond_by": respond_by}, at=now)
    return escalation


def respond_to_escalation(session: Session, escalation: Escalation, *, text: str, unit: Unit | None,
                          actor: Any, now: datetime, today: date) -> EscalationResponse:
    """The lead unit's dated answer. Raises Invalid (empty), Conflict (already closed)."""
    if not escalation.is_open:
        raise Conflict(N_("该督办已办结，不能再反馈。"))
    text = _text(text, "text", N_("请填写反馈内容。"))
    response = EscalationResponse(escalation=escalation, unit_id=getattr(unit, "id", None), text=text,
                                  responded_on=today, responded_at=now, responder_id=getattr(actor, "id", None))
    session.add(response)
    audit.record(session, actor=actor, action="escalation.respond", obj=response,
                 new={"escalation": escalation.id, "text": text, "responded_on": today}, at=now)
    return response


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
