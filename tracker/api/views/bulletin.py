"""The 督查通报's figures as JSON: the same numbers the .docx prints (the office only)."""
from __future__ import annotations

from flask import abort

from tracker import clock
from tracker.accounts.permissions import require
from tracker.api import schemas
from tracker.api.auth import api_user
from tracker.api.views import chosen_plan, operations
from tracker.db import db
from tracker.supervision.bulletin import get_bulletin, parse_scope
from tracker.supervision.permissions import can_supervise


@operations.route("/bulletin", summary="The figures of a 督查通报", query=schemas.BulletinQuery,
                  responses={200: schemas.Bulletin}, errors=(403,))
def bulletin(query):
    """Tasks, done, lights, 报送 totals, lagging task numbers by lead unit and the units that reported
    late or not at all, for a quarter, a half-year or a year: what /supervision/bulletin/<period>.docx
    prints. 404 when the plan has no such quarter."""
    plan = chosen_plan(query)
    require(can_supervise(api_user()))
    today = clock.today()
    scope = parse_scope(db.session, plan, query["period"], today=today) or abort(404)
    b = get_bulletin(db.session, plan, scope, today=today)
    t = b.tally
    return {"period": scope.label, "periods": [p.key for p in scope.periods], "on": b.on, "tasks": b.tasks,
            "done": b.done, "done_share": b.done_share, "lights": {c.value: n for c, n in b.counts.items()},
            "owed": t.owed, "submitted": t.submitted, "late": t.late, "missing": t.missing, "rate": t.rate,
            "on_time_rate": t.on_time_rate,
            "lagging": [{"unit": unit, "tasks": numbers} for unit, numbers in sorted(b.lagging.items())],
            "late_units": [{"unit": u.name, "missing": u.missing, "late": u.late} for u in b.late_units]}
