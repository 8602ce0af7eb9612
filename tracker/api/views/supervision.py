"""What the supervision office reports upward: lagging tasks, and reporting compliance per unit."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext

from tracker import clock
from tracker.accounts.permissions import can_see_unit, is_supervisor
from tracker.accounts.units import find_unit
from tracker.api import schemas
from tracker.api.auth import api_user
from tracker.api.views import chosen_plan, operations
from tracker.api.views.tasks import section_json
from tracker.db import db
from tracker.reporting.compliance import tally_by_unit
from tracker.reporting.queries import get_period
from tracker.supervision.lights import Colour
from tracker.supervision.queries import list_lagging


@operations.route("/lagging", summary="Red and yellow tasks", query=schemas.LaggingQuery,
                  responses={200: schemas.LaggingList})
def lagging(query):
    """Red and yellow tasks, reddest and most overdue first, each with the reasons it is lit.

    A unit's token lists only the tasks its unit answers for.
    """
    plan, user = chosen_plan(query), api_user()
    unit_id = None if is_supervisor(user) else user.unit_id
    if "unit" in query:
        unit = find_unit(db.session, query["unit"])
        if unit is None or unit_id not in (None, unit.id):
            return {"tasks": []}
        unit_id = unit.id
    rows = list_lagging(db.session, plan.id, today=clock.today(), section_key=query.get("section"), unit_id=unit_id,
                        colour=Colour(query["light"]) if "light" in query else None, period_key=query.get("period"))
    return {"tasks": [{"number": r.task.number, "title": r.task.title, "section": section_json(r.task.section),
                       "lead": r.lead.name if r.lead else None, "light": r.light.colour.value,
                       "reasons": r.light.texts(gettext), "days_overdue": r.days_overdue} for r in rows]}


@operations.route("/compliance", summary="Reports owed, submitted, late and missing per unit",
                  query=schemas.ComplianceQuery, responses={200: schemas.Compliance})
def compliance(query):
    """应报 owed, 已报 submitted, 迟报 late, 未报 missing for one period, per unit.

    The supervision office sees every unit; a unit's token only its own row. `period` is
    required (422 when missing or not like 2024Q3; 404 when the plan has no such quarter).
    """
    plan, user = chosen_plan(query), api_user()
    period = get_period(db.session, plan.id, query["period"]) or abort(404)
    rows = [row for row in tally_by_unit(db.session, period.id, plan_id=plan.id) if can_see_unit(user, row.unit_id)]
    return {"period": period.key, "units": [
        {"unit": row.unit_name, "owed": row.tally.owed, "submitted": row.tally.submitted, "late": row.tally.late,
         "missing": row.tally.missing} for row in rows]}
