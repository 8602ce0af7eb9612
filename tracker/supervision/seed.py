"""From the seed: a task's 完成时限 (`tasks[].deadline`, when the importer gives one) becomes an
accepted milestone of 100 % on that day; twice changes nothing, and a seed without it is fine."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.plans.models import Plan, Task
from tracker.supervision.milestones import add_milestone, parse_deadline
from tracker.supervision.models import Milestone


def load(session: Session, plan: Plan, seed: dict[str, Any], changes, *, actor: Any, now: datetime) -> None:
    tasks = {t.number: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
    imported = {task_id for task_id in session.scalars(
        select(Milestone.task_id).join(Task, Task.id == Milestone.task_id)
        .where(Task.plan_id == plan.id, Milestone.source == "import"))}
    for record in seed.get("tasks", []):
        due_on = parse_deadline(record.get("deadline"))
        task = tasks.get(str(record.get("number")))
        if due_on is None or task is None or task.id in imported or not plan.start_year <= due_on.year <= plan.end_year:
            continue
        add_milestone(session, task, due_on=due_on, percent=100, what=str(record.get("deadline")), actor=actor,
                      now=now, source="import")
