"""A plan's and a task's life cycle: the first owed quarter, archiving a plan, closing (办结) and reopening a task.

Each write keeps history: an archived plan keeps every report and still counts what its
periods up to the archive date owed; a closed task owes nothing from the next period on,
and reopening it owes again from the period of the reopening, never for the closed ones.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.core.quarters import Quarter
from tracker.plans.models import Plan, PlanState, Task, TaskClosure

MAX_NOTE = 2000


def archive_plan(session: Session, plan: Plan, *, actor: Any, today: date, now: datetime) -> None:
    """The plan becomes read-only history from today. Raises Conflict if already archived."""
    if not plan.is_active:
        raise Conflict(N_("该规划已归档。"))
    plan.state, plan.archived_on = PlanState.ARCHIVED, today
    audit.record(session, actor=actor, action="plan.archive", obj=plan,
                 old={"state": PlanState.ACTIVE.value}, new={"state": plan.state.value, "archived_on": today}, at=now)
    session.flush()


def set_first_owed_period(session: Session, plan: Plan, key: str | None, *, actor: Any, now: datetime) -> None:
    """Periods before `key` are not owed (a deployment that starts mid-plan)."""
    if key:
        try:
            quarter = Quarter.parse(key)
        except ValueError:
            raise Invalid(N_("季度格式应为 2024Q3"), fields={"first_owed_period": N_("季度格式应为 2024Q3")}) from None
        if not plan.start_year <= quarter.year <= plan.end_year:
            raise Invalid(N_("该季度不在规划期内"), fields={"first_owed_period": N_("该季度不在规划期内")})
        key = quarter.key
    audit.record(session, actor=actor, action="plan.first_owed_period", obj=plan,
                 old={"first_owed_period": plan.first_owed_period}, new={"first_owed_period": key}, at=now)
    plan.first_owed_period = key
    session.flush()


def require_active(plan: Plan) -> None:
    """Writes into an archived plan are refused (Conflict)."""
    if not plan.is_active:
        raise Conflict(N_("规划“%(title)s”已归档，只能查看。"), title=plan.title)


def close_task(session: Session, task: Task, *, note: str, closed_on: date, actor: Any, now: datetime) -> TaskClosure:
    """办结: from the period after `closed_on` the task owes nothing and its light is done.

    Raises Conflict (already closed, plan archived) or Invalid (no note, a date in the future).
    """
    require_active(task.plan)
    if task.closed_on is not None:
        raise Conflict(N_("任务 %(number)s 已办结。"), number=task.number)
    note = (note or "").strip()
    fields = {}
    if not note:
        fields["note"] = N_("请填写办结说明。")
    elif len(note) > MAX_NOTE:
        fields["note"] = N_("办结说明过长。")
    if closed_on > now.date():
        fields["closed_on"] = N_("办结日期不能晚于今天。")
    if fields:
        raise Invalid(N_("办结信息不完整。"), fields=fields)
    closure = TaskClosure(task_id=task.id, closed_on=closed_on, note=note, closed_by_id=getattr(actor, "id", None))
    session.add(closure)
    task.closed_on = closed_on
    audit.record(session, actor=actor, action="task.close", obj=task, old={"closed_on": None},
                 new={"closed_on": closed_on, "note": note}, at=now)
    session.flush()
    return closure


def reopen_task(session: Session, task: Task, *, actor: Any, today: date, now: datetime) -> None:
    """The task owes again from the period `today` falls in. Raises Conflict if it is not closed."""
    require_active(task.plan)
    closure = session.scalar(select(TaskClosure).where(TaskClosure.task_id == task.id,
                                                       TaskClosure.reopened_on.is_(None)))
    if closure is None or task.closed_on is None:
        raise Conflict(N_("任务 %(number)s 未办结。"), number=task.number)
    closure.reopened_on, closure.reopened_by_id = today, getattr(actor, "id", None)
    audit.record(session, actor=actor, action="task.reopen", obj=task, old={"closed_on": task.closed_on},
                 new={"closed_on": None}, at=now)
    task.closed_on = None
    session.flush()


__all__ = ["archive_plan", "close_task", "reopen_task", "require_active"]
