"""Milestones (节点) from the task page: the office adds, accepts, refuses and removes; the lead proposes."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.accounts.permissions import require
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.plans.models import Task
from tracker.supervision import milestones
from tracker.supervision.models import Milestone
from tracker.supervision.permissions import can_propose_milestone, can_supervise
from tracker.supervision.records import get_task_marks
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, parse_day
from tracker.supervision.views.marks import _apply


@bp.post("/tasks/<int:task_id>/milestones")
@login_required
def add_milestone(task_id: int):
    task = db.get_or_404(Task, task_id)
    office = can_supervise(current_user)
    require(office or can_propose_milestone(current_user, get_task_marks(db.session, task).lead_unit_ids))
    percent = request.form.get("percent", "").strip()
    return _apply(task, lambda: milestones.add_milestone(
        db.session, task, due_on=parse_day(request.form.get("due_on")),
        percent=whole_number(percent, high=100) if whole_number(percent, high=100) is not None else percent, what=request.form.get("what", ""),
        proposed=not office, source="office" if office else "lead", actor=current_user, now=clock.now()),
        _("节点已添加，序时进度按节点计算。") if office else _("节点已提交，待督查室确认。"))


@bp.post("/milestones/<int:milestone_id>/<any(accept, refuse):decision>")
@office_page
def decide_milestone(milestone_id: int, decision: str):
    found = db.get_or_404(Milestone, milestone_id)
    return _apply(found.task, lambda: milestones.decide_milestone(
        db.session, found, accept=decision == "accept", actor=current_user, now=clock.now()),
        _("节点已确认。") if decision == "accept" else _("节点未采纳。"))


@bp.post("/milestones/<int:milestone_id>/remove")
@office_page
def remove_milestone(milestone_id: int):
    found = db.get_or_404(Milestone, milestone_id)
    task = found.task
    return _apply(task, lambda: milestones.remove_milestone(db.session, found, actor=current_user, now=clock.now()),
                  _("节点已删除。"))
