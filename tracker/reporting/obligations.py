"""Obligations: who owes which report for which period. Derived, never typed in.

Each responsible unit of each task (Assignment, groups already expanded) owes one report
per period the assignment covers, from the plan's first owed period on; not for periods
that start after the plan's archive date, nor while the task is closed (办结). This module
is the one place that says so; pages, exports, reminders and the API all count from `owed()`.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import aliased

from tracker.plans.models import Assignment, Plan, Task, TaskClosure, in_period
from tracker.reporting.models import Period, Report


def owed(*, period_ids: list[int] | None = None, unit_id: int | None = None,
         task_id: int | None = None, plan_id: int | None = None) -> Select:
    """Rows of obligations with the report that answers each, if any.

    Columns: period_id, task_id, unit_id, duty, report_id, state, is_late, submitted_on.
    Filters narrow it; without them it spans every plan and period (use with care).
    """
    report = aliased(Report)
    query = (
        select(
            Period.id.label("period_id"),
            Assignment.task_id.label("task_id"),
            Assignment.unit_id.label("unit_id"),
            Assignment.duty.label("duty"),
            report.id.label("report_id"),
            report.state.label("state"),
            report.is_late.label("is_late"),
            report.submitted_on.label("submitted_on"),
        )
        .select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .join(Plan, Plan.id == Task.plan_id)
        .join(Period, Period.plan_id == Task.plan_id)
        .outerjoin(
            report,
            and_(report.task_id == Assignment.task_id, report.unit_id == Assignment.unit_id,
                 report.period_id == Period.id),
        )
        .where(
            or_(Plan.first_owed_period.is_(None), Period.key >= Plan.first_owed_period),
            or_(Plan.archived_on.is_(None), Period.starts_on <= Plan.archived_on),
            in_period(Assignment, Period.key),
            ~closed_in(Assignment.task_id, Period),
        )
    )
    if period_ids is not None:
        query = query.where(Period.id.in_(period_ids))
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    if task_id is not None:
        query = query.where(Assignment.task_id == task_id)
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    return query


def closed_in(task_id, period) -> exists:
    """The task was closed before the period started and not reopened before it ended."""
    return exists().where(
        TaskClosure.task_id == task_id, TaskClosure.closed_on < period.starts_on,
        or_(TaskClosure.reopened_on.is_(None), TaskClosure.reopened_on > period.ends_on),
    )
