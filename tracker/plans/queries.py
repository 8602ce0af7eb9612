"""Reads of the plan: one page's data in a fixed number of queries."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.plans.models import Assignment, Plan, Section, Task, TaskUnit, Unit


def list_plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.start_year.desc(), Plan.id)))


def get_default_plan(session: Session) -> Plan | None:
    """The newest plan: what the home page and the API show when none is named."""
    return session.scalar(select(Plan).order_by(Plan.start_year.desc(), Plan.id.desc()).limit(1))


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
    return list(session.scalars(select(Assignment.unit_id).where(Assignment.task_id == task_id)))


def list_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.kind, Unit.name).options(selectinload(Unit.members))))


def count_tasks(session: Session, plan_id: int) -> int:
    from sqlalchemy import func

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
