"""Which plan a page shows: the one place that decides, for every page, export and API call.

`?plan=<id>` names it (and a person's choice is remembered for the session); otherwise the
plan last chosen; otherwise the active plan most recently started. A page about one
quarter (`/workspace/2025Q4`) takes the plan that has that quarter, so old links still work.
"""
from __future__ import annotations

from flask import abort, g, request, session

from tracker.core.inputs import whole_number
from tracker.core.quarters import Quarter
from tracker.db import db
from tracker.plans import queries
from tracker.plans.models import Plan

REMEMBERED = "plan_id"


def requested_plan(value=None) -> Plan | None:
    """The plan named by `value` (default: the request's `?plan=`), None if none or unknown."""
    raw = request.args.get("plan", "") if value is None else value
    raw = str(raw).strip()
    return db.session.get(Plan, wanted) if (wanted := whole_number(raw)) is not None else None


def shown_plan(*, period_key: str | None = None, remember: bool = True, switcher: bool = True) -> Plan:
    """The plan the page shows (see the module); 404 when there is none.

    With `period_key`, a remembered or default plan without that quarter gives way to the
    active plan (else any plan) that has it.
    """
    plan = requested_plan()
    if plan is not None and remember and "_user_id" in session:
        session[REMEMBERED] = plan.id
    if plan is None and remember:
        plan = requested_plan(session.get(REMEMBERED, ""))
    if plan is None:
        plan = queries.get_default_plan(db.session)
    year = _year(period_key)
    if year and plan is not None and "plan" not in request.args and not plan.start_year <= year <= plan.end_year:
        plan = queries.get_plan_with_year(db.session, year) or plan
    if plan is None:
        abort(404)
    if switcher:
        g.shown_plan = plan  # base.html shows the plan switcher
    return plan


def _year(period_key: str | None) -> int | None:
    try:
        return Quarter.parse(period_key).year if period_key else None
    except ValueError:
        return None


def switcher_plans() -> list[Plan]:
    """The plans a switcher offers: every plan, active first."""
    return queries.list_plans(db.session)


__all__ = ["requested_plan", "shown_plan", "switcher_plans"]
