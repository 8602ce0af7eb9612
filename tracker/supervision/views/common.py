"""What every supervision view shares: the office-only guard, the plan shown, refusals as text."""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.accounts.permissions import require
from tracker.core.errors import DomainError
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.plans import queries as plan_queries
from tracker.plans.models import Plan
from tracker.reporting.models import Period
from tracker.reporting.periods import Quarter
from tracker.reporting.schedule import get_period
from tracker.supervision.permissions import can_supervise


def office_page(view):
    """Logged in, and the supervision office or an administrator: everyone else gets 403."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        require(can_supervise(current_user))
        return view(*args, **kwargs)

    return guarded


def shown_plan() -> Plan:
    """?plan=<id>, else the newest plan; 404 when there is none."""
    wanted = whole_number(request.args.get("plan"))
    plan = db.session.get(Plan, wanted) if wanted is not None else plan_queries.get_default_plan(db.session)
    if plan is None:
        abort(404)
    return plan


def refusal(error: DomainError) -> str:
    """A DomainError in the user's language, with its field messages."""
    text = _(error.template, **error.params)
    details = [_(message) for message in getattr(error, "fields", {}).values() if _(message) != text]
    return " ".join([text, *details])


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def find_period(plan: Plan, key: str) -> Period | None:
    """The plan's quarter named by `key` ("2024Q3"), None for a bad or unknown key."""
    try:
        return get_period(db.session, plan.id, Quarter.parse(key).key)
    except ValueError:
        return None
