"""The office's marks on a task, posted from the task page: escalate (督办) and close, flag and clear;
and the lead unit's response to an escalation. Each goes back to the task page."""
from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.accounts.permissions import require
from tracker.core.errors import DomainError
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.plans.models import Task
from tracker.supervision import services
from tracker.supervision.models import Escalation, Flag
from tracker.supervision.permissions import can_answer_escalation
from tracker.supervision.settings import configured_ladder
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, parse_day, refusal
from tracker.transaction import savepoint


@bp.post("/tasks/<int:task_id>/escalate")
@office_page
def escalate(task_id: int):
    task = db.get_or_404(Task, task_id)
    units = [n for u in request.form.getlist("units") if (n := whole_number(u)) is not None]
    return _apply(task, lambda: services.open_escalation(
        db.session, task, reason=request.form.get("reason", ""), respond_by=parse_day(request.form.get("respond_by")),
        unit_ids=units, actor=current_user, now=clock.now(), today=clock.today(),
        base_url=current_app.config["TRACKER_BASE_URL"], ladder=configured_ladder()),
        _("已发起督办，督办对象须签收并按期反馈。"))


@bp.post("/escalations/<int:escalation_id>/acknowledge")
@login_required
def acknowledge(escalation_id: int):
    escalation = _answerable(escalation_id)
    return _apply(escalation.task, lambda: services.acknowledge_escalation(
        db.session, escalation, unit=current_user.unit, actor=current_user, now=clock.now()), _("已签收督办。"))


@bp.post("/escalations/<int:escalation_id>/close")
@office_page
def close_escalation(escalation_id: int):
    escalation = db.get_or_404(Escalation, escalation_id)
    return _apply(escalation.task, lambda: services.close_escalation(
        db.session, escalation, note=request.form.get("note", ""), actor=current_user, now=clock.now()),
        _("督办已办结。"))


@bp.post("/escalations/<int:escalation_id>/respond")
@login_required
def respond(escalation_id: int):
    escalation = _answerable(escalation_id)
    return _apply(escalation.task, lambda: services.respond_to_escalation(
        db.session, escalation, text=request.form.get("text", ""), unit=current_user.unit, actor=current_user,
        now=clock.now(), today=clock.today()), _("反馈已提交，等待督查室办结。"), back=request.form.get("back"))


@bp.post("/tasks/<int:task_id>/flag")
@office_page
def flag(task_id: int):
    task = db.get_or_404(Task, task_id)
    return _apply(task, lambda: services.flag_task(
        db.session, task, reason=request.form.get("reason", ""), actor=current_user, now=clock.now()),
        _("已将任务标记为红灯。"))


@bp.post("/flags/<int:flag_id>/clear")
@office_page
def clear_flag(flag_id: int):
    found = db.get_or_404(Flag, flag_id)
    return _apply(found.task, lambda: services.clear_flag(
        db.session, found, note=request.form.get("note", ""), actor=current_user, now=clock.now()),
        _("已取消红灯标记。"))


def _apply(task: Task, write, done: str, back: str | None = None):
    """Runs the write (kept at the end of the request), or says why not; back to the task page (or 我的待办) either way."""
    try:
        with savepoint():
            write()
    except DomainError as error:
        flash(refusal(error), "danger")
    else:
        flash(done, "success")
    if back == "todos":
        return redirect(url_for("reminders_todos.todos_page"))
    return redirect(url_for("plans.task", plan_id=task.plan_id, number=task.number) + "#supervision")


def _answerable(escalation_id: int) -> Escalation:
    """An escalation the user's unit is named in (签收 and 反馈 are theirs): 404 or 403 otherwise."""
    escalation = db.get_or_404(Escalation, escalation_id)
    require(can_answer_escalation(current_user, escalation))
    return escalation
