"""The administrator's period settings: a period's due date by hand, the plan's first owed period."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts.permissions import is_admin, require
from tracker.core.errors import Invalid
from tracker.core.workdays import CHINA
from tracker.db import db
from tracker.plans import lifecycle
from tracker.plans.choice import shown_plan
from tracker.plans.models import Plan
from tracker.plans.queries import list_plans
from tracker.reporting import schedule
from tracker.reporting.forms import DueDateForm, FirstOwedForm
from tracker.reporting.models import Period
from tracker.reporting.periods import due_on
from tracker.reporting.views import bp
from tracker.transaction import savepoint


@bp.get("/admin/periods")
@login_required
def admin_periods():
    require(is_admin(current_user))
    plan = shown_plan()
    return _render(plan)


@bp.post("/admin/periods/<int:period_id>/due")
@login_required
def override_due(period_id: int):
    require(is_admin(current_user))
    period = db.get_or_404(Period, period_id)
    form = DueDateForm()
    if form.validate_on_submit():
        try:
            with savepoint():
                schedule.override_due_date(db.session, period, form.due_value(), actor=current_user, now=clock.now())
        except Invalid as invalid:
            form.due_on.errors.append(_(invalid.template, **invalid.params))
        else:
            flash(_("%(period)s 的截止日期已改为 %(day)s。", period=period.key, day=period.due_on.isoformat()),
                  "success")
            return redirect(url_for(".admin_periods", plan=period.plan_id))
    return _render(db.session.get(Plan, period.plan_id), due_form=form, bad_period=period.id), 422


@bp.post("/admin/plans/<int:plan_id>/first-owed")
@login_required
def set_first_owed(plan_id: int):
    require(is_admin(current_user))
    plan = db.get_or_404(Plan, plan_id)
    form = FirstOwedForm()
    if form.validate_on_submit():
        try:
            key = (form.first_owed_period.data or "").strip() or None
            with savepoint():
                lifecycle.set_first_owed_period(db.session, plan, key, actor=current_user, now=clock.now())
        except Invalid as invalid:
            form.first_owed_period.errors.append(_(invalid.template, **invalid.params))
        else:
            flash(_("起报季度已设为 %(key)s。", key=plan.first_owed_period or _("（规划期起点）")), "success")
            return redirect(url_for(".admin_periods", plan=plan.id))
    return _render(plan, first_form=form), 422


def _render(plan: Plan, *, due_form: DueDateForm | None = None, bad_period: int | None = None,
            first_form: FirstOwedForm | None = None):
    periods = list(db.session.scalars(select_periods(plan.id)))
    workdays = current_app.config["TRACKER_DUE_WORKDAYS"]
    computed = {p.id: due_on(p.quarter, workdays, CHINA) for p in periods}
    return render_template("reporting/admin_periods.html", plan=plan, plans=list_plans(db.session), periods=periods,
                           computed=computed, due_form=due_form, bad_period=bad_period,
                           first_form=first_form or FirstOwedForm(first_owed_period=plan.first_owed_period or ""))


def select_periods(plan_id: int):
    return select(Period).where(Period.plan_id == plan_id).order_by(Period.key)
