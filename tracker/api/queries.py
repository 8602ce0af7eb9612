"""The API's own reads: tasks to list, periods, the reports of a task and period.

Lights, lagging tasks, compliance figures and indicators come from their domains'
queries; this module only fetches the rows the API lists. Fixed query counts.
"""
from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from tracker.plans.models import Assignment, Section, Task, TaskUnit, current_assignment
from tracker.reporting.models import Period, Report


def list_tasks(session: Session, plan_id: int, *, section_key: str | None = None,
               unit_id: int | None = None) -> list[Task]:
    """The plan's tasks in order, with section, written units and assignments: three queries.

    `unit_id`: only tasks the unit answers for, itself or as the group the plan names.
    """
    query = (
        select(Task).join(Section, Section.id == Task.section_id)
        .where(Task.plan_id == plan_id)
        .order_by(Section.position, Task.position)
        .options(contains_eager(Task.section), selectinload(Task.written_units).joinedload(TaskUnit.unit),
                 selectinload(Task.assignments))
    )
    if section_key is not None:
        query = query.where(Section.key == section_key)
    if unit_id is not None:
        query = query.where(exists().where(Assignment.task_id == Task.id, current_assignment(),
                                           or_(Assignment.unit_id == unit_id, Assignment.via_group_id == unit_id)))
    return list(session.scalars(query))


def list_periods(session: Session, plan_id: int) -> list[Period]:
    return list(session.scalars(select(Period).where(Period.plan_id == plan_id).order_by(Period.starts_on)))


def get_report(session: Session, task_id: int, unit_id: int, period_id: int) -> Report | None:
    return session.scalar(select(Report).where(Report.task_id == task_id, Report.unit_id == unit_id,
                                               Report.period_id == period_id))


def list_reports(session: Session, task_id: int, period_id: int) -> list[Report]:
    """Every unit's report on the task for the period, lead first; callers filter by permission."""
    return list(session.scalars(
        select(Report).where(Report.task_id == task_id, Report.period_id == period_id)
        .order_by(Report.duty.desc(), Report.unit_id)
        .options(selectinload(Report.unit), selectinload(Report.period), selectinload(Report.task))
    ))
