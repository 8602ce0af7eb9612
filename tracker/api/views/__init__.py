"""The API's blueprints: /api/v1 (bearer tokens, JSON), the docs page, the token settings.

Each resource's views live in a module of this package and declare themselves with
`operations.route(...)`, which is also what the OpenAPI description is made from.
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, request

from tracker.api import auth, errors, ratelimit
from tracker.api.openapi import Operations
from tracker.db import db
from tracker.extensions import csrf
from tracker.plans.models import Plan
from tracker.plans.queries import get_default_plan

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


def chosen_plan(query: dict | None = None) -> Plan:
    """The plan named by `?plan=`, else the newest; 404 if there is none."""
    plan_id = (query or {}).get("plan")
    plan = db.session.get(Plan, plan_id) if plan_id is not None else get_default_plan(db.session)
    if plan is None:
        abort(404)
    return plan


from tracker.api.views import bulletin, docs, indicators, reports, rules, scores, settings, supervision, tasks  # noqa: E402,F401,E501

blueprints = [bp, docs.bp, settings.bp]
