"""催办 by hand from the office's pages (/supervision/remind): one unit, or every unit still missing reports, of a period — now."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker import clock
from tracker.core.inputs import safe_next, whole_number
from tracker.db import db
from tracker.plans.models import Unit
from tracker.reminders.services import remind_now
from tracker.reporting.queries import get_period
from tracker.supervision import dashboard as reads
from tracker.supervision.views.common import office_page, shown_plan

bp = Blueprint("reminders_remind", __name__, url_prefix="/supervision")


@bp.post("/remind")
@office_page
def remind():
    back = safe_next(request.form.get("next"))    # checked before anything is decided
    plan = shown_plan()
    period = get_period(db.session, plan.id, request.form.get("period", ""))
    if period is None:
        abort(400)
    units = _units(plan, period, request.form.get("unit", "").strip(), request.form.get("task", "").strip())
    reminders = remind_now(db.session, period=period, units=units, actor=current_user, now=clock.now(),
                           base_url=current_app.config["TRACKER_BASE_URL"])
    if reminders:
        flash(_("已向 %(count)s 个单位发出 %(period)s 催办。", count=len(reminders), period=period.key), "success")
    else:
        flash(_("没有需要催办的单位：均已报送，或今天已催办过。"), "info")
    return redirect(back or url_for("supervision.compliance", period=period.key))


def _units(plan, period, unit: str, task: str) -> list[Unit]:
    """One unit by id; the units still missing a task's report; or every unit still missing reports."""
    if unit:
        found = db.session.get(Unit, unit_id) if (unit_id := whole_number(unit)) is not None else None
        if found is None:
            abort(400)
        return [found]
    if task:
        task_id = whole_number(task)
        if task_id is None:
            abort(400)
        missing = reads.list_missing_unit_ids(db.session, plan, period, task_id=task_id)
    else:
        missing = [row.unit_id for row in reads.get_compliance(db.session, plan, period).missing]
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(missing)))) if missing else []
