"""延期申请 pages: a unit asks (before the due date), the office approves or refuses; both see the list."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.accounts.permissions import is_supervisor, is_unit_user, require
from tracker.core.errors import DomainError
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.plans.models import Plan, Task
from tracker.plans.queries import get_default_plan
from tracker.reporting import extensions, queries
from tracker.reporting.models import Extension
from tracker.reporting.permissions import can_see_extension
from tracker.reporting.views import bp
from tracker.transaction import savepoint


@bp.get("/extensions")
@login_required
def list_extensions():
    query = select(Extension).order_by(Extension.id.desc()).limit(200).options(
        joinedload(Extension.task), joinedload(Extension.period), joinedload(Extension.unit))
    if not is_supervisor(current_user):
        require(is_unit_user(current_user))
        query = query.where(Extension.unit_id == current_user.unit_id)
    return render_template("reporting/extensions.html", extensions=db.session.scalars(query).all())


@bp.route("/extensions/new", methods=["GET", "POST"])
@login_required
def new_extension():
    require(is_unit_user(current_user))
    task, period = _obligation(request.values)
    if request.method == "GET":
        return _form(task, period)
    try:
        with savepoint():
            extension = extensions.request_extension(
                db.session, task=task, unit=current_user.unit, period=period,
                due_on=parse_day(request.form.get("due_on")), reason=request.form.get("reason", ""),
                actor=current_user, now=clock.now(), today=clock.today())
    except DomainError as error:
        return _form(task, period, error=error)
    flash(_("延期申请已提交，等待督查室审批。"), "success")
    return redirect(url_for(".extension", extension_id=extension.id))


@bp.get("/extensions/<int:extension_id>")
@login_required
def extension(extension_id: int):
    found = _visible(extension_id)
    return render_template("reporting/extension.html", x=found, can_decide=is_supervisor(current_user))


@bp.post("/extensions/<int:extension_id>/decide")
@login_required
def decide_extension(extension_id: int):
    require(is_supervisor(current_user))
    found = _visible(extension_id)
    try:
        with savepoint():
            extensions.decide_extension(db.session, found, approve=request.form.get("decision") == "approve",
                                        comment=request.form.get("comment", ""), actor=current_user, now=clock.now(),
                                        base_url=current_app.config["TRACKER_BASE_URL"])
    except DomainError as error:
        flash(_(error.template, **error.params), "danger")
        return render_template("reporting/extension.html", x=_visible(extension_id), can_decide=True), error.status
    flash(_("已审批延期申请，申请单位将收到通知。"), "success")
    return redirect(url_for(".extension", extension_id=extension_id))


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _visible(extension_id: int) -> Extension:
    found = db.get_or_404(Extension, extension_id)
    require(can_see_extension(current_user, found))
    return found


def _obligation(values):
    plan_id = values.get("plan", "")
    wanted = whole_number(plan_id)
    plan = db.session.get(Plan, wanted) if wanted is not None else get_default_plan(db.session)
    if plan is None:
        abort(404)
    task = db.session.scalar(select(Task).where(Task.plan_id == plan.id, Task.number == values.get("task", "")))
    period = queries.get_period(db.session, plan.id, values.get("period", ""))
    if task is None or period is None:
        abort(404)
    return task, period


def _form(task: Task, period, *, error: DomainError | None = None):
    due = extensions.due_on_for(db.session, period, task.id, current_user.unit_id)
    message = _(error.template, **error.params) if error else None
    return render_template("reporting/extension_new.html", task=task, period=period, due=due, error=message,
                           reason=request.form.get("reason", ""), asked=request.form.get("due_on", "")), \
        error.status if error else 200
