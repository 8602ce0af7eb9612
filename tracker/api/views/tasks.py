"""Who am I, the plan's periods, its tasks with their lights and latest reported status."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext

from tracker import clock
from tracker.accounts.permissions import can_see_task, require
from tracker.accounts.units import find_unit
from tracker.api import queries, schemas
from tracker.api.auth import api_user
from tracker.api.views import chosen_plan, operations
from tracker.db import db
from tracker.plans import queries as plan_queries
from tracker.plans.models import Section, Task
from tracker.supervision.queries import Evaluated, evaluate


@operations.route("/me", summary="The token's user", responses={200: schemas.Me})
def me():
    """Whose token this is: the user's name, role and unit."""
    user = api_user()
    return {"username": user.username, "role": user.role.value, "unit": user.unit.name if user.unit else None}


@operations.route("/periods", summary="Reporting periods", query=schemas.Query, responses={200: schemas.PeriodList})
def periods(query):
    """The plan's quarters with their due dates (报送截止日)."""
    plan = chosen_plan(query)
    return {"periods": [{"key": p.key, "start": p.starts_on, "end": p.ends_on, "due": p.due_on}
                        for p in queries.list_periods(db.session, plan.id)]}


@operations.route("/tasks", summary="Tasks with lights", query=schemas.TaskQuery, responses={200: schemas.TaskList})
def tasks(query):
    """The tasks the caller may see (a unit: those it answers for), filtered by light, unit or section."""
    plan, user = chosen_plan(query), api_user()
    unit_id = None
    if "unit" in query:
        unit = find_unit(db.session, query["unit"])
        if unit is None:
            return {"tasks": []}
        unit_id = unit.id
    rows = queries.list_tasks(db.session, plan.id, section_key=query.get("section"), unit_id=unit_id)
    evaluated = evaluate(db.session, plan.id, today=clock.today())
    visible = [t for t in rows if can_see_task(user, [a.unit_id for a in t.assignments])]
    return {"tasks": [task_json(t, evaluated.get(t.id)) for t in visible
                      if query.get("light") in (None, _colour(evaluated.get(t.id)))]}


@operations.route("/tasks/<number>", summary="One task", path=schemas.TaskPath, query=schemas.Query,
                  responses={200: schemas.TaskDetail}, errors=(403,))
def task(number, query):
    """A task with its text, every responsible unit (groups expanded), light and latest status."""
    task = plan_queries.get_task(db.session, chosen_plan(query).id, number) or abort(404)
    require(can_see_task(api_user(), [a.unit_id for a in task.assignments]))
    evaluated = evaluate(db.session, task.plan_id, today=clock.today(), task_ids=[task.id]).get(task.id)
    units = [{"unit": a.unit.name, "duty": a.duty.value, "via": a.via_group.name if a.via_group else None}
             for a in sorted(task.assignments, key=lambda a: a.position)]
    return {**task_json(task, evaluated), "text": task.text, "units": units}


def section_json(section: Section) -> dict:
    return {"key": section.key, "title": section.title}


def task_json(task: Task, evaluated: Evaluated | None) -> dict:
    leads = [unit.name for unit in task.lead_units]
    shown = evaluated.behind_lead if evaluated else None  # several leads: the most behind one
    return {
        "number": task.number, "title": task.title, "section": section_json(task.section),
        "lead": leads[0] if leads else None, "leads": leads, "co": [unit.name for unit in task.co_units],
        "light": _colour(evaluated),
        "reasons": evaluated.light.texts(gettext) if evaluated else [],
        "status": shown.status if shown else None,
        "percent": evaluated.percent if evaluated else None,
        "period": shown.period if shown else None,
    }


def _colour(evaluated: Evaluated | None) -> str:
    return evaluated.light.colour.value if evaluated else "none"
