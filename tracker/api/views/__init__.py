"""The API's blueprints: /api/v1 (bearer tokens, JSON), the docs page, the token settings.

Each resource's views live in a module of this package and declare themselves with
`operations.route(...)`, which is also what the OpenAPI description is made from.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, request

from tracker.api import auth, errors, ratelimit
from tracker.api.openapi import Operations
from tracker.api.paging import Page
from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.db import db
from tracker.extensions import csrf
from tracker.plans.models import Plan
from tracker.plans.queries import get_default_plan, list_active_plans

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)  # bearer tokens, never cookies: there is no session to forge requests with
errors.register(bp)
operations = Operations(bp)


def _language_for_api(app: Flask) -> None:
    """Every /api/v1 answer (errors of unknown routes and 429s too) speaks the caller's language."""

    @app.before_request
    def choose():
        if request.path.startswith(PREFIX + "/"):
            auth.use_callers_language()

    @app.teardown_request
    def restore(error=None):
        auth.restore_language()


bp.record_once(lambda state: _language_for_api(state.app))  # before the limiter: its 429 is translated
ratelimit.limit(bp)


class PlanRequired(Invalid):
    """A write without `plan` while several plans are active: a script must never guess."""


def chosen_plan(query: dict | None = None, *, write: bool = False) -> Plan:
    """The plan named by `?plan=`, else the active plan most recently started; 404 if there is none.

    A write (`write=True`) without `plan` while two or more plans are active is refused (422)
    with the active plans named.
    """
    plan_id = (query or {}).get("plan")
    if plan_id is None and write:
        active = list_active_plans(db.session)
        if len(active) > 1:
            names = "；".join(f"{p.id} = {p.title}" for p in active)
            raise PlanRequired(N_("有多个执行中的规划，请用 plan 参数指明：%(plans)s"),
                               fields={"plan": N_("有多个执行中的规划，请用 plan 参数指明。")}, plans=names)
    plan = db.session.get(Plan, plan_id) if plan_id is not None else get_default_plan(db.session)
    if plan is None:
        abort(404)
    return plan


def paged(page: Page) -> dict:
    """A list answer's paging fields: the whole list's `total`, and `next`, this very request
    (its filters and limit) for the following page, or None on the last."""
    args = {name: value for name, value in request.args.items() if name not in ("cursor", "offset")}
    if page.next_cursor is not None:
        args["cursor"] = page.next_cursor
    elif page.next_offset is not None:
        args["offset"] = str(page.next_offset)
    else:
        return {"total": page.total, "next": None}
    return {"total": page.total, "next": f"{request.script_root}{request.path}?{urlencode(args)}"}


from tracker.api.views import (  # noqa: E402,F401
    bulletin,
    docs,
    indicators,
    loop,
    plans,
    reports,
    rules,
    scores,
    settings,
    supervision,
    tasks,
)

blueprints = [bp, docs.bp, settings.bp]
