"""On the task page: the lead unit posts a dated status update between quarters."""
from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.accounts.permissions import require
from tracker.db import db
from tracker.plans import views as plan_views
from tracker.plans.models import Task
from tracker.reporting import queries, services
from tracker.reporting.forms import StatusUpdateForm, parse_status
from tracker.reporting.permissions import can_post_status_update
from tracker.reporting.views import bp


@bp.post("/tasks/<int:task_id>/status-updates")
@login_required
def post_status_update(task_id: int):
    task = db.get_or_404(Task, task_id)
    require(can_post_status_update(current_user, queries.task_duties(db.session, task.id)))
    form = StatusUpdateForm()
    if form.validate_on_submit():
        services.post_status_update(db.session, task=task, unit=current_user.unit, status=parse_status(form.status.data),
                                    note=form.note.data, actor=current_user, now=clock.now(), today=clock.today())
        flash(_("进展动态已发布。"), "success")
        return redirect(url_for("plans.task", plan_id=task.plan_id, number=task.number, _anchor="timeline"))
    g.status_update_form = form  # the task page again, with the typed note beside its messages
    return plan_views.task(task.plan_id, task.number), 422
