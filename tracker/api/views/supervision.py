"""What the supervision office reports upward: lagging tasks, and reporting compliance per unit."""
from __future__ import annotations

from flask import abort
from sqlalchemy.orm import Session

from tracker import clock
from tracker.accounts.permissions import can_see_unit, is_supervisor
from tracker.accounts.units import find_unit
from tracker.api import queries, schemas
from tracker.api.auth import api_user, callers_gettext
from tracker.api.paging import Key, PageRequest, after_key, bad_cursor, key_page, take
from tracker.api.views import chosen_plan, operations, paged
from tracker.api.views.tasks import section_json
from tracker.db import db
from tracker.reporting.compliance import tally_by_unit
from tracker.reporting.queries import get_period
from tracker.supervision.lights import Colour, Light
from tracker.supervision.queries import LaggingRow, lagging_order, list_lights, page_lagging


@operations.route("/lagging", summary="Red and yellow tasks", query=schemas.LaggingQuery,
                  responses={200: schemas.LaggingList})
def lagging(query):
    """Red and yellow tasks, reddest and most overdue first, each with the reasons it is lit.

    A unit's token lists only the tasks its unit answers for.
    """
    plan, user = chosen_plan(query), api_user()
    unit_id = None if is_supervisor(user) else (user.unit_id or -1)
    if "unit" in query:
        unit = find_unit(db.session, query["unit"])
        unit_id = unit.id if unit is not None and unit_id in (None, unit.id) else -1   # -1: nothing to list
    lights = list_lights(db.session, plan.id, today=clock.today())
    page = _lagging_page(db.session, plan.id, lights, query["page"], section_key=query.get("section"), unit_id=unit_id,
                         colour=Colour(query["light"]) if "light" in query else None, period_key=query.get("period"))
    gettext = callers_gettext()
    return {"tasks": [{"number": r.task.number, "title": r.task.title, "section": section_json(r.task.section),
                       "lead": r.lead.name if r.lead else None, "light": r.light.colour.value,
                       "reasons": r.light.texts(gettext), "days_overdue": r.days_overdue} for r in page.items],
            **paged(page)}


def _lagging_page(session: Session, plan_id: int, lights: dict[int, Light], request: PageRequest, **filters):
    """A page of the lagging list in its own order (reddest, most overdue, then the plan's order).

    Its order moves with every light, so a cursor keeps the last row's sort key and the next
    page lists the rows after that key: only the tasks lit beyond it are handed to the query.
    """
    after = after_key("lagging", request)
    if after is None:
        rows, total = page_lagging(session, plan_id, lights, offset=request.offset or 0,
                                   limit=request.limit + 1, **filters)
    else:
        if len(after) != 4 or not all(type(value) is int for value in after):
            raise bad_cursor()
        positions = queries.task_positions(session, plan_id)
        later = {task_id: lit for task_id, lit in lights.items()
                 if task_id in positions and _sort_key(lit, positions[task_id], task_id) > after}
        rows, _ = page_lagging(session, plan_id, later, limit=request.limit + 1, **filters)
        total = page_lagging(session, plan_id, lights, limit=0, **filters)[1]
    return key_page("lagging", rows, _row_key, total, request)


def _sort_key(lit: Light, position: int, task_id: int) -> Key:
    """The lagging list's order (supervision.queries.lagging_order), the task's id last."""
    return (*lagging_order(lit, position), task_id)


def _row_key(row: LaggingRow) -> Key:
    return _sort_key(row.light, row.task.position, row.task.id)


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
    page = take("compliance", rows, lambda row: (row.unit_id,), query["page"])
    return {"period": period.key, "units": [
        {"unit": row.unit_name, "owed": row.tally.owed, "submitted": row.tally.submitted, "late": row.tally.late,
         "missing": row.tally.missing} for row in page.items], **paged(page)}
