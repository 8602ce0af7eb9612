"""The plan as people read it: overview of sections and tasks, and a task's page."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker import clock
from tracker.accounts.permissions import can_see_task, require
from tracker.db import db
from tracker.domains import DOMAINS, optional_module
from tracker.plans import choice, queries
from tracker.plans.admin import bp as admin_bp
from tracker.plans.forms import CloseTaskForm
from tracker.plans.lifecycle_views import bp as lifecycle_bp
from tracker.plans.models import Plan

bp = Blueprint("plans", __name__)
bp.add_app_template_global(choice.switcher_plans, "plan_choices")


# Where each role starts, once its domain provides the page.
HOME_BY_ROLE = {"unit": "reporting.workspace", "supervisor": "supervision.dashboard", "admin": "supervision.dashboard",
                "security": "security.overview", "auditor": "audit.index"}


@bp.get("/")
@login_required
def home():
    if queries.get_default_plan(db.session) is None:
        return render_template("plans/empty.html")
    plan = choice.shown_plan()
    endpoint = HOME_BY_ROLE.get(current_user.role.value)
    if endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return redirect(url_for("plans.overview", plan_id=plan.id))


@bp.get("/plan")
@login_required
def current():
    """The shown plan's overview: the menu's link, whatever the role's home page is."""
    if queries.get_default_plan(db.session) is None:
        return render_template("plans/empty.html")
    plan = choice.shown_plan()
    return redirect(url_for("plans.overview", plan_id=plan.id))


@bp.get("/plans/<int:plan_id>")
@login_required
def overview(plan_id: int):
    plan = db.get_or_404(Plan, plan_id)
    sections = queries.list_sections_with_tasks(db.session, plan.id)
    return render_template("plans/overview.html", plan=plan, sections=sections, plans=queries.list_plans(db.session))


@bp.get("/plans/<int:plan_id>/tasks/<number>")
@login_required
def task(plan_id: int, number: str):
    task = queries.get_task(db.session, plan_id, number)
    if task is None:
        abort(404)
    require(can_see_task(current_user, [a.unit_id for a in task.assignments]))
    # Other domains add their part of the page: tracker/<domain>/task_page.py → templates/<domain>/_task.html.
    extra: dict = {}
    for name in DOMAINS:
        module = optional_module(name, "task_page")
        if module is not None:
            extra.update(module.context(db.session, task, user=current_user, today=clock.today()))
    return render_template("plans/task.html", task=task, plan=task.plan, close_form=CloseTaskForm(),
                           closure=task.closures[-1] if task.closures else None, **extra)


blueprints = [bp, admin_bp, lifecycle_bp]
