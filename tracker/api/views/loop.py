"""The office's actions, scripted by a city's data platform, and the caller's to-do list:
accept / return a report, open a 督办 and follow it (签收, 反馈, 办结), ask for and decide 延期申请.
Roles are checked as on the pages; each call commits once."""
from __future__ import annotations

from flask import abort, current_app
from sqlalchemy import select

from tracker import clock
from tracker.accounts.permissions import is_supervisor, is_unit_user, require
from tracker.accounts.units import find_unit
from tracker.api import loop_schemas as shapes
from tracker.api import schemas
from tracker.api.auth import api_user
from tracker.api.paging import take
from tracker.api.views import chosen_plan, operations, paged
from tracker.api.views.reports import report_json
from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.db import db
from tracker.plans import queries as plan_queries
from tracker.reminders import todos
from tracker.reporting import extensions
from tracker.reporting.models import Extension, Report
from tracker.reporting.queries import get_period
from tracker.supervision import services
from tracker.supervision.models import Escalation
from tracker.supervision.permissions import can_answer_escalation
from tracker.supervision.settings import configured_ladder

REPORT = "/tasks/<number>/reports/<period>"


@operations.route("/todos", summary="The caller's to-do list (我的待办)", query=schemas.Paging,
                  responses={200: shapes.TodoList})
def list_todos(query):
    """A unit: reports owed or returned, open 督办, its extension requests and recent decisions. The office:
    extension requests to decide and 督办 answered, waiting to be closed. Each item's `url` is where it is done."""
    base = current_app.config["TRACKER_BASE_URL"].rstrip("/")
    items = todos.list_todos(db.session, api_user(), today=clock.today())
    page = take("todos", items, lambda t: (t.kind, t.plan, t.task, t.period, t.escalation, t.extension), query["page"])
    return {"todos": [dict(t.as_json(), url=base + t.url) for t in page.items], **paged(page)}


@operations.route(REPORT + "/accept", "POST", summary="Accept a unit's submitted report (office)",
                  path=schemas.ReportPath, query=schemas.Query, body=shapes.ReviewInput,
                  responses={200: schemas.Report}, errors=(403, 409))
def accept_report(number, period, query, body):
    """审核通过; a report accepted after a return tells its unit."""
    report = _reviewed(services.accept_report, number, period, query, body)
    return report_json(report)


@operations.route(REPORT + "/return", "POST", summary="Return a unit's submitted report (office)",
                  path=schemas.ReportPath, query=schemas.Query, body=shapes.ReviewInput,
                  responses={200: schemas.Report}, errors=(403, 409))
def return_report(number, period, query, body):
    """退回 with a comment (required); the unit is told."""
    report = _reviewed(services.return_report, number, period, query, body)
    return report_json(report)


def _reviewed(decide, number, period, query, body):
    """The office's 审核 or 退回 (`decide`) of the unit's report named in the body (read once allowed)."""
    require(is_supervisor(api_user()))
    data = body()
    report = _report(number, period, query, data["unit"])
    decide(db.session, report, comment=data["comment"], actor=api_user(), now=clock.now(), base_url=_base())
    return report


@operations.route("/tasks/<number>/escalations", "POST", summary="Open a 督办 on a task (office)",
                  path=schemas.TaskPath, query=schemas.Query, body=shapes.EscalationInput,
                  responses={201: shapes.Escalation}, errors=(403, 409))
def open_escalation(number, query, body):
    """The units concerned (default the lead units) must acknowledge it and respond by `deadline`."""
    require(is_supervisor(api_user()))
    task = plan_queries.get_task(db.session, chosen_plan(query).id, number) or abort(404)
    data = body()
    escalation = services.open_escalation(
        db.session, task, reason=data["note"], respond_by=data["deadline"], unit_ids=[_unit(n).id for n in data["units"]],
        actor=api_user(), now=clock.now(), today=clock.today(), base_url=_base(), ladder=configured_ladder())
    return escalation_json(escalation), 201


@operations.route("/escalations/<int:id>/acknowledge", "POST", summary="签收 a 督办 (a unit concerned)",
                  path=shapes.EscalationPath, responses={200: shapes.Escalation}, errors=(403, 409))
def acknowledge_escalation(id):
    escalation = _escalation(id)
    require(can_answer_escalation(api_user(), escalation))
    services.acknowledge_escalation(db.session, escalation, unit=api_user().unit, actor=api_user(), now=clock.now())
    return escalation_json(escalation)


@operations.route("/escalations/<int:id>/respond", "POST", summary="反馈: answer a 督办 in writing (a unit concerned)",
                  path=shapes.EscalationPath, body=shapes.RespondInput, responses={200: shapes.Escalation},
                  errors=(403, 409))
def respond_to_escalation(id, body):
    escalation = _escalation(id)
    require(can_answer_escalation(api_user(), escalation))
    services.respond_to_escalation(db.session, escalation, text=body()["text"], unit=api_user().unit,
                                   actor=api_user(), now=clock.now(), today=clock.today())
    return escalation_json(escalation)


@operations.route("/escalations/<int:id>/close", "POST", summary="办结 a 督办 (office)", path=shapes.EscalationPath,
                  body=shapes.NoteInput, responses={200: shapes.Escalation}, errors=(403, 409))
def close_escalation(id, body):
    require(is_supervisor(api_user()))
    escalation = _escalation(id)
    services.close_escalation(db.session, escalation, note=body()["note"], actor=api_user(), now=clock.now())
    return escalation_json(escalation)


@operations.route(REPORT + "/extensions", "POST", summary="Ask for a later due date (the caller's unit)",
                  path=schemas.ReportPath, query=schemas.Query, body=shapes.ExtensionInput,
                  responses={201: shapes.Extension}, errors=(403, 409))
def request_extension(number, period, query, body):
    """延期申请 for the unit's report, before its due date (422 after it), with a reason."""
    user = api_user()
    require(is_unit_user(user))
    plan = chosen_plan(query)
    task = plan_queries.get_task(db.session, plan.id, number)
    found = get_period(db.session, plan.id, period)
    if task is None or found is None:
        abort(404)
    data = body()
    try:
        extension = extensions.request_extension(db.session, task=task, unit=user.unit, period=found,
                                                 due_on=data["due"], reason=data["reason"], actor=user,
                                                 now=clock.now(), today=clock.today())
    except Invalid as invalid:     # the body names the date `due`
        invalid.fields = {("due" if name == "due_on" else name): text for name, text in invalid.fields.items()}
        raise
    return extension_json(extension), 201


@operations.route("/extensions/<int:id>/approve", "POST", summary="Approve an extension (office)",
                  path=shapes.ExtensionPath, body=shapes.DecisionInput, responses={200: shapes.Extension},
                  errors=(403, 409))
def approve_extension(id, body):
    return _decide(id, True, body)


@operations.route("/extensions/<int:id>/refuse", "POST", summary="Refuse an extension, with a comment (office)",
                  path=shapes.ExtensionPath, body=shapes.DecisionInput, responses={200: shapes.Extension},
                  errors=(403, 409))
def refuse_extension(id, body):
    return _decide(id, False, body)


def _decide(extension_id: int, approve: bool, body):
    require(is_supervisor(api_user()))
    extension = db.session.get(Extension, extension_id) or abort(404)
    services.decide_extension(db.session, extension, approve=approve, comment=body()["comment"], actor=api_user(),
                              now=clock.now(), base_url=_base())
    return extension_json(extension)


def _base() -> str:
    return current_app.config["TRACKER_BASE_URL"]


def _unit(name: str):
    unit = find_unit(db.session, name)
    if unit is None:
        raise Invalid(N_("没有这个单位：%(name)s"), name=name[:120], fields={"unit": N_("没有这个单位。")})
    return unit


def _report(number: str, key: str, query: dict, unit_name: str) -> Report:
    plan = chosen_plan(query)
    task = plan_queries.get_task(db.session, plan.id, number)
    period = get_period(db.session, plan.id, key)
    if task is None or period is None:
        abort(404)
    unit = _unit(unit_name)
    return db.session.scalar(select(Report).where(Report.task_id == task.id, Report.unit_id == unit.id,
                                                  Report.period_id == period.id)) or abort(404)


def _escalation(escalation_id: int) -> Escalation:
    return db.session.get(Escalation, escalation_id) or abort(404)


def escalation_json(e: Escalation) -> dict:
    ladder = configured_ladder()
    return {"id": e.id, "task": e.task.number, "plan": e.task.plan_id, "note": e.reason, "deadline": e.respond_by,
            "state": e.state.value, "level": e.level, "colour": ladder.colour(e.level),
            "units": [{"unit": p.unit.name, "state": e.state_for(p.unit_id).value, "acknowledged_at": p.acknowledged_at}
                      for p in e.units],
            "responses": [{"unit": r.unit.name if r.unit else None, "text": r.text, "responded_at": r.responded_at}
                          for r in e.responses],
            "opened_at": e.opened_at, "closed_at": e.closed_at}


def extension_json(x: Extension) -> dict:
    return {"id": x.id, "plan": x.task.plan_id, "task": x.task.number, "period": x.period.key, "unit": x.unit.name,
            "due": x.due_on, "reason": x.reason, "state": x.state.value, "comment": x.comment}
