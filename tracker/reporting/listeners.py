"""The reporting's answers to the plans' questions (tracker/plans/signals.py)."""
from __future__ import annotations

from sqlalchemy import func, select

from tracker.plans.models import Task
from tracker.plans.signals import plan_has_work
from tracker.reporting.models import Report


@plan_has_work.connect
def _reports_saved(session, *, plan) -> bool:
    """A report saved on any of the plan's tasks is work an undone import would lose."""
    return bool(session.scalar(select(func.count(Report.id)).join(Task, Task.id == Report.task_id)
                               .where(Task.plan_id == plan.id)))
