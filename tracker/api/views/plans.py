"""The plans (several may be active at once) and a lead's status update between quarters."""
from __future__ import annotations

from flask import abort

from tracker import clock
from tracker.accounts.permissions import require
from tracker.api import schemas
from tracker.api.auth import api_user
from tracker.api.paging import take
from tracker.api.views import chosen_plan, operations, paged
from tracker.db import db
from tracker.plans import queries as plan_queries
from tracker.plans.lifecycle import require_active
from tracker.reporting import queries as reporting_queries
from tracker.reporting import services
from tracker.reporting.models import Status
from tracker.reporting.permissions import can_post_status_update


@operations.route("/plans", summary="Plans", query=schemas.Paging, responses={200: schemas.PlanList})
def plans(query):
    """Every plan with its years and state (active / archived); pass its `id` as `plan` elsewhere."""
    page = take("plans", plan_queries.list_plan_summaries(db.session), lambda s: (s.plan.id,), query["page"])
    return {"plans": [{"id": s.plan.id, "title": s.plan.title, "start_year": s.plan.start_year,
                       "end_year": s.plan.end_year, "state": s.plan.state.value, "archived_on": s.plan.archived_on,
                       "first_period": s.plan.first_owed_period, "tasks": s.tasks}
                      for s in page.items], **paged(page)}


@operations.route("/tasks/<number>/status-updates", "POST", summary="Post the lead's status update",
                  path=schemas.TaskPath, query=schemas.Query, body=schemas.StatusUpdateInput,
                  responses={201: schemas.StatusUpdate}, errors=(403, 409))
def post_status_update(number, query, body):
    """The lead unit's dated status between quarters: the task's latest status until the next report."""
    plan = chosen_plan(query, write=True)
    task = plan_queries.get_task(db.session, plan.id, number) or abort(404)
    user = api_user()
    require(can_post_status_update(user, reporting_queries.task_duties(db.session, task.id)))
    require_active(plan)
    data = body()
    update = services.post_status_update(db.session, task=task, unit=user.unit, status=Status(data["status"]),
                                         note=data["note"], actor=user, now=clock.now(), today=clock.today())
    return {"task": task.number, "unit": user.unit.name, "status": update.status.value, "note": update.note,
            "posted_on": update.posted_on}, 201
