"""A task's reports for a period: read what the caller may; a unit writes (and submits) its own."""
from __future__ import annotations

from flask import abort

from tracker import clock
from tracker.accounts.permissions import can_see_task, require
from tracker.api import queries, schemas
from tracker.api.auth import api_user
from tracker.api.paging import take
from tracker.api.views import chosen_plan, operations, paged
from tracker.core.errors import PreconditionRequired
from tracker.core.i18n import N_
from tracker.db import db
from tracker.plans import queries as plan_queries
from tracker.plans.lifecycle import require_active
from tracker.reporting import services
from tracker.reporting.models import Report, Status
from tracker.reporting.permissions import can_read_report, can_report_on_task
from tracker.reporting.queries import get_period

RULE = "/tasks/<number>/reports/<period>"
VERSION_REQUIRED = N_("该报告已存在：请带上您读到的版本号 version（当前为 %(version)s）再保存，以免覆盖他人的修改。")


@operations.route(RULE, summary="Reports of a task and period", path=schemas.ReportPath, query=schemas.Paged,
                  responses={200: schemas.ReportList}, errors=(403,))
def reports(number, period, query):
    """Every report of the task for the period that the caller may read (a co-unit: only its own),
    the lead's first, each with its versions and reviews."""
    task, period = _task_and_period(number, period, query)
    require(can_see_task(api_user(), [a.unit_id for a in task.assignments]))
    readable = [r for r in queries.list_reports(db.session, task.id, period.id)
                if can_read_report(api_user(), r, task.assignments)]
    page = take("reports", readable, lambda r: (r.unit_id,), query["page"])
    return {"reports": [report_record(r) for r in page.items], **paged(page)}


@operations.route(RULE, "PUT", summary="Write the caller's unit's report", path=schemas.ReportPath,
                  query=schemas.Query, body=schemas.ReportInput,
                  responses={200: schemas.Report, 201: schemas.Report}, errors=(403, 409, 428))
def put_report(number, period, query, body):
    """Saves the unit's draft (201 when it is the first), and submits it with `"submit": true`.

    Once the report exists, `version` (the one you last read) is required, as on the pages:
    without it the answer is 428 and nothing is saved, so no one overwrites a save they never saw.
    """
    task, period = _task_and_period(number, period, query, write=True)
    user = api_user()
    require(can_report_on_task(user, [a.unit_id for a in task.assignments]))
    data = body()
    existing = queries.get_report(db.session, task.id, user.unit.id, period.id)
    if data.get("version") is None and existing is not None and not existing.state.counts_as_submitted:
        raise PreconditionRequired(VERSION_REQUIRED, version=existing.version)
    now, today = clock.now(), clock.today()
    report, created = services.save_report(
        db.session, task=task, unit=user.unit, period=period, expected_version=data.get("version"),
        data=services.ReportInput(status=Status(data["status"]) if data.get("status") else None,
                                  percent=data.get("percent"), progress=data["progress"],
                                  problems=data["problems"], next_steps=data["next_steps"]),
        actor=user, now=now, today=today)
    if data["submit"]:
        services.submit_report(db.session, report, actor=user, now=now, today=today)
    return report_json(report), 201 if created else 200


def _task_and_period(number: str, key: str, query: dict, *, write: bool = False):
    plan = chosen_plan(query, write=write)
    if write:
        require_active(plan)
    task = plan_queries.get_task(db.session, plan.id, number)
    period = get_period(db.session, plan.id, key)
    if task is None or period is None:
        abort(404)
    return task, period


def report_json(report: Report) -> dict:
    return {
        "task": report.task.number, "period": report.period.key, "unit": report.unit.name,
        "duty": report.duty.value, "state": report.state.value,
        "status": report.status.value if report.status else None, "percent": report.percent,
        "progress": report.progress, "problems": report.problems, "next_steps": report.next_steps,
        "version": report.version, "late": report.is_late,
        "submitted_at": report.submitted_at, "updated_at": report.updated_at,
    }


def report_record(report: Report) -> dict:
    """A report as it is read: with every version kept and every review, oldest first."""
    return {**report_json(report),
            "versions": [{"number": v.number, "action": v.action, "state": v.state.value,
                          "status": v.status.value if v.status else None, "percent": v.percent,
                          "progress": v.progress, "problems": v.problems, "next_steps": v.next_steps,
                          "saved_at": v.saved_at} for v in report.versions],
            "reviews": [{"decision": r.decision, "comment": r.comment, "reviewed_at": r.reviewed_at}
                        for r in report.reviews]}
