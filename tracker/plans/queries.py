"""Reads of the plan: one page's data in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session, selectinload

from tracker.plans.models import Assignment, Plan, PlanState, Section, Task, TaskUnit, Unit, current_assignment


def list_plans(session: Session) -> list[Plan]:
    """Every plan, active ones first, each group most recently started first."""
    return list(session.scalars(select(Plan).order_by(Plan.state, Plan.start_year.desc(), Plan.id.desc())))


def list_active_plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).where(Plan.state == PlanState.ACTIVE)
                                .order_by(Plan.start_year.desc(), Plan.id.desc())))


def get_default_plan(session: Session) -> Plan | None:
    """The active plan most recently started (else the newest archived one): what a page shows
    when no plan is named. Pages choose through tracker/plans/choice.py, never on their own."""
    return session.scalar(select(Plan).order_by(Plan.state, Plan.start_year.desc(), Plan.id.desc()).limit(1))


def get_plan_with_year(session: Session, year: int) -> Plan | None:
    """The plan whose years include `year`: the active one most recently started, else any."""
    return session.scalar(select(Plan).where(Plan.start_year <= year, Plan.end_year >= year)
                          .order_by(Plan.state, Plan.start_year.desc(), Plan.id.desc()).limit(1))


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    sections: int
    tasks: int
    closed: int
    units: int


def list_plan_summaries(session: Session) -> list[PlanSummary]:
    """Each plan with its counts of sections, tasks, closed tasks and responsible units: four queries."""
    plans = list_plans(session)
    sections = dict(session.execute(select(Section.plan_id, func.count()).group_by(Section.plan_id)).all())
    tasks = {pid: (int(n), int(c or 0)) for pid, n, c in session.execute(
        select(Task.plan_id, func.count(), func.sum(case((Task.closed_on.is_not(None), 1), else_=0)))
        .group_by(Task.plan_id))}
    units = dict(session.execute(
        select(Task.plan_id, func.count(distinct(Assignment.unit_id))).join(Assignment, Assignment.task_id == Task.id)
        .where(current_assignment()).group_by(Task.plan_id)).all())
    return [PlanSummary(p, sections.get(p.id, 0), *tasks.get(p.id, (0, 0)), units.get(p.id, 0)) for p in plans]


def list_sections_with_tasks(session: Session, plan_id: int) -> list[Section]:
    """Sections, their tasks and each task's units as written: three queries."""
    return list(
        session.scalars(
            select(Section)
            .where(Section.plan_id == plan_id)
            .order_by(Section.position)
            .options(selectinload(Section.tasks).selectinload(Task.written_units))
        )
    )


def get_task(session: Session, plan_id: int, number: str) -> Task | None:
    return session.scalar(
        select(Task)
        .where(Task.plan_id == plan_id, Task.number == number)
        .options(
            selectinload(Task.written_units),
            selectinload(Task.assignments).selectinload(Assignment.unit),
            selectinload(Task.assignments).selectinload(Assignment.via_group),
        )
    )


def responsible_unit_ids(session: Session, task_id: int) -> list[int]:
    return list(session.scalars(select(Assignment.unit_id).where(Assignment.task_id == task_id, current_assignment())))


def list_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.kind, Unit.name).options(selectinload(Unit.members))))


def count_tasks(session: Session, plan_id: int) -> int:
    return session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan_id)) or 0


__all__ = ["TaskUnit", "get_default_plan", "get_task", "list_plans", "list_sections_with_tasks"]


def list_known_units(session: Session) -> list:
    """Every unit with its aliases and the cities of the plans that name it, for the importer: two queries."""
    from tracker.planimport.resolve import KnownUnit, city_of

    cities: dict[int, set[str]] = {}
    for unit_id, title in session.execute(
        select(TaskUnit.unit_id, Plan.title).join(Task, Task.id == TaskUnit.task_id)
        .join(Plan, Plan.id == Task.plan_id).distinct()
    ):
        if city := city_of(title):
            cities.setdefault(unit_id, set()).add(city)
    return [KnownUnit(u.name, u.kind.value, tuple(u.aliases or ()), frozenset(cities.get(u.id, ())))
            for u in session.scalars(select(Unit).order_by(Unit.id))]
