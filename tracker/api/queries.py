"""The API's own reads: tasks to list, periods, the reports of a task (one period or all).

Lights, lagging tasks, compliance figures and indicators come from their domains'
queries; this module only fetches the rows the API lists. Fixed query counts: a list's
ids in order first (one narrow query), then only the page's rows in full.
"""
from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from tracker.plans.models import Assignment, Section, Task, TaskUnit, current_assignment
from tracker.reporting.models import Period, Report


def list_task_ids(session: Session, plan_id: int, *, section_key: str | None = None,
                  unit_id: int | None = None, seen_by_unit: int | None = None) -> list[int]:
    """The ids of the plan's tasks in the plan's order (section, then task): one query.

    `unit_id`: only tasks the unit answers for, itself or as the group the plan names;
    `seen_by_unit`: only tasks a unit's user may see (its unit is assigned today, as `can_see_task`).
    """
    query = (select(Task.id).join(Section, Section.id == Task.section_id).where(Task.plan_id == plan_id)
             .order_by(Section.position, Task.position, Task.id))
    if section_key is not None:
        query = query.where(Section.key == section_key)
    if unit_id is not None:
        query = query.where(exists().where(Assignment.task_id == Task.id, current_assignment(),
                                           or_(Assignment.unit_id == unit_id, Assignment.via_group_id == unit_id)))
    if seen_by_unit is not None:
        query = query.where(exists().where(Assignment.task_id == Task.id, current_assignment(),
                                           Assignment.unit_id == seen_by_unit))
    return list(session.scalars(query))


def get_tasks(session: Session, task_ids: list[int]) -> list[Task]:
    """These tasks in this order, with section and written units: two queries."""
    found = {task.id: task for task in session.scalars(
        select(Task).join(Section, Section.id == Task.section_id).where(Task.id.in_(task_ids))
        .options(contains_eager(Task.section), selectinload(Task.written_units).joinedload(TaskUnit.unit)))}
    return [found[task_id] for task_id in task_ids if task_id in found]


def assigned_unit_ids(session: Session, task_ids: list[int]) -> dict[int, list[int]]:
    """task id → the units assigned to it today (what `can_see_task` asks): one narrow query."""
    out: dict[int, list[int]] = {task_id: [] for task_id in task_ids}
    for task_id, unit_id in session.execute(select(Assignment.task_id, Assignment.unit_id)
                                            .where(Assignment.task_id.in_(task_ids), current_assignment())):
        out[task_id].append(unit_id)
    return out


def task_positions(session: Session, plan_id: int) -> dict[int, int]:
    """task id → its place in the plan, the lagging list's tie-break."""
    return {task_id: position for task_id, position in
            session.execute(select(Task.id, Task.position).where(Task.plan_id == plan_id))}


def list_periods(session: Session, plan_id: int) -> list[Period]:
    return list(session.scalars(select(Period).where(Period.plan_id == plan_id).order_by(Period.starts_on)))


def get_report(session: Session, task_id: int, unit_id: int, period_id: int) -> Report | None:
    return session.scalar(select(Report).where(Report.task_id == task_id, Report.unit_id == unit_id,
                                               Report.period_id == period_id))


def list_reports(session: Session, task_id: int, period_id: int | None = None) -> list[Report]:
    """Every unit's report on the task for the period (None: every period, oldest first), lead first,
    with versions and reviews; callers filter by permission. Six queries."""
    query = (
        select(Report).join(Period, Period.id == Report.period_id).where(Report.task_id == task_id)
        .order_by(Period.starts_on, Report.duty.desc(), Report.unit_id)
        .options(selectinload(Report.unit), contains_eager(Report.period), selectinload(Report.task),
                 selectinload(Report.versions), selectinload(Report.reviews))
    )
    if period_id is not None:
        query = query.where(Report.period_id == period_id)
    return list(session.scalars(query))
