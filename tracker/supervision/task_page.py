"""The supervision part of the task page: the light and its reasons, escalations, the office's flag."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.plans.models import Task
from tracker.supervision.ladder import Ladder
from tracker.supervision.lights import expected_percent
from tracker.supervision.milestones import list_milestones
from tracker.supervision.permissions import (
    can_answer_escalation,
    can_propose_milestone,
    can_respond_to_escalation,
    can_supervise,
)
from tracker.supervision.queries import evaluate
from tracker.supervision.records import get_task_marks
from tracker.supervision.settings import configured_ladder


def context(session: Session, task: Task, *, user: Any, today: date, ladder: Ladder | None = None) -> dict[str, Any]:
    """Rendered by templates/supervision/_task.html (a fixed number of queries)."""
    evaluated = evaluate(session, task.plan_id, today=today, task_ids=[task.id]).get(task.id)
    marks = get_task_marks(session, task)
    return {
        "supervision": {
            "light": evaluated.light if evaluated else None,
            "escalations": marks.escalations,
            "flag": marks.flag,
            "can_supervise": can_supervise(user),
            "answerable": {e.id for e in marks.escalations if can_answer_escalation(user, e)},
            "my_unit_id": getattr(user, "unit_id", None),
            "ladder": ladder or configured_ladder(),
            "units": [(a.unit_id, a.unit.name, a.duty) for a in task.assignments],
            "can_respond": can_respond_to_escalation(user, marks.lead_unit_ids),
            "milestones": list_milestones(session, task.id),
            "can_propose": can_propose_milestone(user, marks.lead_unit_ids),
            "expected": expected_percent(evaluated.facts, today) if evaluated else None,
            "reported": evaluated.percent if evaluated else None,
        }
    }
