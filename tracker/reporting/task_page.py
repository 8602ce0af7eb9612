"""The reporting part of a task's page: its timeline and, for the lead unit, the status update form."""
from __future__ import annotations

from datetime import date

from flask import g
from sqlalchemy.orm import Session

from tracker.accounts.permissions import is_supervisor
from tracker.plans.models import Task
from tracker.reporting.forms import StatusUpdateForm
from tracker.reporting.permissions import can_post_status_update, lead_unit_ids
from tracker.reporting.timeline import list_timeline


def context(session: Session, task: Task, *, user, today: date) -> dict:
    """Only what the user may read: the office and the lead see every unit, a co-unit its own."""
    assignments = task.assignments
    if is_supervisor(user) or getattr(user, "unit_id", None) in lead_unit_ids(assignments):
        unit_ids = None
    else:
        unit_ids = [user.unit_id] if getattr(user, "unit_id", None) else []
    may_post = can_post_status_update(user, assignments)
    form = (g.get("status_update_form") or StatusUpdateForm()) if may_post else None
    return {"reporting_timeline": list_timeline(session, task, unit_ids=unit_ids),
            "status_update_form": form}
