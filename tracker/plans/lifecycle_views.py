"""Pages of the life cycle: the administrator's list of plans (archive), the office closes a task."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts.permissions import is_admin, is_supervisor, require
from tracker.core.errors import DomainError
from tracker.db import db
from tracker.plans import lifecycle, queries, services
from tracker.plans.forms import CloseTaskForm, ConfirmForm, TaskUnitsForm
from tracker.plans.models import Plan, Unit
from tracker.transaction import savepoint

bp = Blueprint("plan_lifecycle", __name__)


@bp.get("/admin/plans")
@login_required
def plans():
    require(is_admin(current_user))
    return render_template("plans/admin_plans.html", summaries=queries.list_plan_summaries(db.session),
                           form=ConfirmForm())


@bp.post("/admin/plans/<int:plan_id>/archive")
@login_required
def archive(plan_id: int):
    require(is_admin(current_user))
    plan = db.get_or_404(Plan, plan_id)
    if ConfirmForm().validate_on_submit():
        try:
            with savepoint():
                lifecycle.archive_plan(db.session, plan, actor=current_user, today=clock.today(), now=clock.now())
        except DomainError as error:
            flash(_(error.template, **error.params), "warning")
        else:
            flash(_("规划“%(title)s”已归档：此后不再要求报送、催报和亮灯，历史数据和导出保留。", title=plan.title), "success")
    return redirect(url_for(".plans"))


@bp.post("/plans/<int:plan_id>/tasks/<number>/close")
@login_required
def close(plan_id: int, number: str):
    require(is_supervisor(current_user))
    task = queries.get_task(db.session, plan_id, number) or _not_found()
    form = CloseTaskForm()
    if form.validate_on_submit():
        try:
            with savepoint():
                lifecycle.close_task(db.session, task, note=form.note.data or "",
                                     closed_on=form.closed_on.data or clock.today(), actor=current_user, now=clock.now())
        except DomainError as error:
            details = [_(m) for m in getattr(error, "fields", {}).values()]
            flash(" ".join([_(error.template, **error.params), *details]), "warning")
        else:
            flash(_("任务 %(number)s 已办结：下一季度起无需报送。", number=task.number), "success")
    else:
        flash(_("办结日期格式不对。"), "warning")
    return redirect(url_for("plans.task", plan_id=plan_id, number=number))


@bp.post("/plans/<int:plan_id>/tasks/<number>/reopen")
@login_required
def reopen(plan_id: int, number: str):
    require(is_supervisor(current_user))
    task = queries.get_task(db.session, plan_id, number) or _not_found()
    if ConfirmForm().validate_on_submit():
        try:
            with savepoint():
                lifecycle.reopen_task(db.session, task, actor=current_user, today=clock.today(), now=clock.now())
        except DomainError as error:
            flash(_(error.template, **error.params), "warning")
        else:
            flash(_("任务 %(number)s 已重新启动：本季度起恢复报送。", number=task.number), "success")
    return redirect(url_for("plans.task", plan_id=plan_id, number=number))


@bp.route("/admin/plans/<int:plan_id>/tasks/<number>/units", methods=["GET", "POST"])
@login_required
def task_units(plan_id: int, number: str):
    """An administrator changes a task's lead and co-units; it holds from the current quarter on."""
    require(is_admin(current_user))
    task = queries.get_task(db.session, plan_id, number) or _not_found()
    form = TaskUnitsForm(lead=[u.id for u in task.lead_units], co=[u.id for u in task.co_units])
    choices = [(u.id, u.name) for u in queries.list_units(db.session)]
    form.lead.choices, form.co.choices = choices, choices
    if form.validate_on_submit():
        ids = [*form.lead.data, *form.co.data]
        units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
        try:
            with savepoint():
                changed = services.set_task_units(db.session, task, [units[i] for i in form.lead.data],
                                                  [units[i] for i in form.co.data], actor=current_user, now=clock.now())
        except DomainError as error:
            flash(_(error.template, **error.params), "warning")
        else:
            if changed:
                flash(_("任务 %(number)s 的责任单位已更新：自本季度起生效，往期数据不变。", number=task.number), "success")
            return redirect(url_for("plans.task", plan_id=plan_id, number=number))
    return render_template("plans/admin_task_units.html", task=task, plan=task.plan, form=form), \
        (422 if form.errors else 200)


def _not_found():
    abort(404)
