"""Who am I, the plan's periods, its tasks with their lights and latest reported status."""
from __future__ import annotations

from flask import abort

from tracker import clock
from tracker.accounts.permissions import can_see_task, is_supervisor, require
from tracker.accounts.units import find_unit
from tracker.api import queries, schemas
from tracker.api.auth import api_user, callers_gettext
from tracker.api.paging import take
from tracker.api.views import chosen_plan, operations, paged
from tracker.api.views.reports import report_record
from tracker.db import db
from tracker.plans import queries as plan_queries
from tracker.plans.models import Section, Task
from tracker.reporting.permissions import can_read_report
from tracker.supervision.queries import Evaluated, evaluate


@operations.route("/me", summary="The token's user", responses={200: schemas.Me})
def me():
    """Whose token this is: the user's name, role and unit."""
    user = api_user()
    return {"username": user.username, "role": user.role.value, "unit": user.unit.name if user.unit else None}


@operations.route("/periods", summary="Reporting periods", query=schemas.Paged, responses={200: schemas.PeriodList})
def periods(query):
    """The plan's quarters with their due dates (报送截止日), oldest first."""
    plan = chosen_plan(query)
    page = take("periods", queries.list_periods(db.session, plan.id), lambda p: (p.key,), query["page"])
    return {"periods": [{"key": p.key, "start": p.starts_on, "end": p.ends_on, "due": p.due_on} for p in page.items],
            **paged(page)}


@operations.route("/tasks", summary="Tasks with lights", query=schemas.TaskQuery, responses={200: schemas.TaskList})
def tasks(query):
    """The tasks the caller may see (a unit: those it answers for) in the plan's order, filtered by
    light, unit or section; a page at a time."""
    plan, user = chosen_plan(query), api_user()
    unit_id = None
    if "unit" in query:
        unit = find_unit(db.session, query["unit"])
        unit_id = unit.id if unit else -1    # an unknown unit answers for nothing
    ids = queries.list_task_ids(db.session, plan.id, section_key=query.get("section"), unit_id=unit_id,
                                seen_by_unit=None if is_supervisor(user) else (user.unit_id or -1))
    evaluated = evaluate(db.session, plan.id, today=clock.today())
    if "light" in query:
        ids = [task_id for task_id in ids if _colour(evaluated.get(task_id)) == query["light"]]
    page = take("tasks", ids, lambda task_id: (task_id,), query["page"])
    units = queries.assigned_unit_ids(db.session, page.items)
    shown = [t for t in queries.get_tasks(db.session, page.items) if can_see_task(user, units[t.id])]
    return {"tasks": [task_json(t, evaluated.get(t.id)) for t in shown], **paged(page)}


@operations.route("/tasks/<number>", summary="One task", path=schemas.TaskPath, query=schemas.TaskDetailQuery,
                  responses={200: schemas.TaskDetail}, errors=(403,))
def task(number, query):
    """A task with its text, every responsible unit (groups expanded), light and latest status.

    `include=reports` adds its whole history: every report of every period the caller may read
    (a co-unit: only its own), each with its versions and reviews, the same as the per-period calls.
    """
    task = plan_queries.get_task(db.session, chosen_plan(query).id, number) or abort(404)
    user = api_user()
    require(can_see_task(user, [a.unit_id for a in task.assignments]))
    evaluated = evaluate(db.session, task.plan_id, today=clock.today(), task_ids=[task.id]).get(task.id)
    units = [{"unit": a.unit.name, "duty": a.duty.value, "via": a.via_group.name if a.via_group else None}
             for a in sorted(task.assignments, key=lambda a: a.position)]
    detail = {**task_json(task, evaluated), "text": task.text, "units": units}
    if query.get("include") == "reports":
        detail["reports"] = [report_record(r) for r in queries.list_reports(db.session, task.id)
                             if can_read_report(user, r, task.assignments)]
    return detail


def section_json(section: Section) -> dict:
    return {"key": section.key, "title": section.title}


def task_json(task: Task, evaluated: Evaluated | None) -> dict:
    leads = [unit.name for unit in task.lead_units]
    shown = evaluated.behind_lead if evaluated else None  # several leads: the most behind one
    return {
        "number": task.number, "title": task.title, "section": section_json(task.section),
        "lead": leads[0] if leads else None, "leads": leads, "co": [unit.name for unit in task.co_units],
        "light": _colour(evaluated),
        "reasons": evaluated.light.texts(callers_gettext()) if evaluated else [],
        "status": shown.status if shown else None,
        "percent": evaluated.percent if evaluated else None,
        "period": shown.period if shown else None,
    }


def _colour(evaluated: Evaluated | None) -> str:
    return evaluated.light.colour.value if evaluated else "none"
