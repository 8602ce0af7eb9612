"""考核: each unit's score for a scope, every point with the event that caused it (the office only)."""
from __future__ import annotations

from flask import abort

from tracker import clock
from tracker.accounts.permissions import require
from tracker.api import schemas
from tracker.api.auth import api_user
from tracker.api.paging import take
from tracker.api.views import chosen_plan, operations, paged
from tracker.db import db
from tracker.supervision.bulletin import parse_scope
from tracker.supervision.permissions import can_supervise
from tracker.supervision.scores import list_scores


@operations.route("/scores", summary="Unit scores (考核)", query=schemas.ScoresQuery,
                  responses={200: schemas.Scores}, errors=(403,))
def scores(query):
    """Units ranked by score under the office's point rules, ties shared (并列); `period` is a quarter,
    a half-year (2024H1) or a year (2024Y). 404 when the plan has no such quarter."""
    plan = chosen_plan(query)
    require(can_supervise(api_user()))
    today = clock.today()
    scope = parse_scope(db.session, plan, query["period"], today=today) or abort(404)
    page = take("scores", list_scores(db.session, plan, scope, today=today), lambda r: (r.unit,), query["page"])
    return {"period": scope.label, **paged(page), "units": [
        {"unit": r.unit, "rank": r.rank, "tied": r.tied, "score": r.score, "base": r.base,
         "points": [{"kind": p.event.kind, "task": p.event.task, "period": p.event.period, "ref": p.event.ref,
                     "points": p.points} for p in r.points]} for r in page.items]}
