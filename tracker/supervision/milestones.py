"""Milestones (节点) that set a task's 序时进度: entered by the office, proposed by the lead unit and
accepted by the office, or read from the plan's 完成时限 (seed `tasks[].deadline`).

Only accepted milestones count (queries.list_milestone_facts → lights.expected_percent).
Services never commit; each raises Invalid, Conflict as it says.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.plans.models import Task
from tracker.supervision.models import Milestone, MilestoneState

MAX_WHAT = 200
DEADLINE = re.compile(r"^(?P<year>\d{4})\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日)?|底|末)?$")


def parse_deadline(text: str | None) -> date | None:
    """完成时限 as plans write it: 2023-12-31, 2023年底, 2023年, 2023年6月, 2023年6月30日; else None."""
    text = (text or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = DEADLINE.match(text)
    if not match:
        return None
    year, month, day = int(match["year"]), match["month"], match["day"]
    try:
        if month is None:
            return date(year, 12, 31)
        if day is None:
            following = date(year + int(month) // 12, int(month) % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(year, int(month), int(day))
    except ValueError:
        return None


def _checked(task: Task, due_on: date | None, percent: Any, what: str) -> tuple[date, int, str]:
    problems = {}
    if due_on is None:
        problems["due_on"] = N_("请填写日期，格式如 2024-10-12。")
    elif not task.plan.start_year <= due_on.year <= task.plan.end_year:
        problems["due_on"] = N_("节点日期应在规划期内。")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        problems["percent"] = N_("应为 0 到 100 之间的整数。")
    what = (what or "").strip()
    if len(what) > MAX_WHAT:
        problems["what"] = N_("太长了。")
    if problems:
        raise Invalid(N_("节点有误。"), problems)
    return due_on, percent, what


def add_milestone(session: Session, task: Task, *, due_on: date | None, percent: Any, what: str, actor: Any,
                  now: datetime, proposed: bool = False, source: str = "office") -> Milestone:
    """The office's milestone (in force at once), or the lead's proposal (`proposed`). Raises Invalid."""
    due_on, percent, what = _checked(task, due_on, percent, what)
    milestone = Milestone(task_id=task.id, due_on=due_on, percent=percent, what=what, source=source,
                          state=MilestoneState.PROPOSED if proposed else MilestoneState.ACCEPTED,
                          proposed_by_id=getattr(actor, "id", None), created_at=now,
                          decided_by_id=None if proposed else getattr(actor, "id", None),
                          decided_at=None if proposed else now)
    session.add(milestone)
    audit.record(session, actor=actor, action="milestone.propose" if proposed else "milestone.add", obj=milestone,
                 new={"task": task.number, "due_on": due_on, "percent": percent, "what": what}, at=now)
    return milestone


def decide_milestone(session: Session, milestone: Milestone, *, accept: bool, actor: Any, now: datetime) -> Milestone:
    """The office accepts (in force from now) or refuses a proposed milestone. Raises Conflict if decided."""
    if milestone.state is not MilestoneState.PROPOSED:
        raise Conflict(N_("该节点已处理。"))
    milestone.state = MilestoneState.ACCEPTED if accept else MilestoneState.REFUSED
    milestone.decided_by_id, milestone.decided_at = getattr(actor, "id", None), now
    session.flush()
    audit.record(session, actor=actor, action="milestone.accept" if accept else "milestone.refuse", obj=milestone,
                 old={"state": "proposed"}, new={"state": milestone.state.value}, at=now)
    return milestone


def remove_milestone(session: Session, milestone: Milestone, *, actor: Any, now: datetime) -> None:
    """The office takes a milestone away (lights follow the rest, or the straight line)."""
    audit.record(session, actor=actor, action="milestone.remove", obj=milestone,
                 old={"due_on": milestone.due_on, "percent": milestone.percent, "state": milestone.state.value}, at=now)
    session.delete(milestone)


def list_milestones(session: Session, task_id: int) -> list[Milestone]:
    return list(session.scalars(select(Milestone).where(Milestone.task_id == task_id)
                                .order_by(Milestone.due_on, Milestone.id)))
