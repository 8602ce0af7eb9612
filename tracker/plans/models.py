"""Plan, Section, Task, group membership (the units: tracker/accounts/units.py), and the assignments of units to tasks.

`TaskUnit` keeps the 责任单位 as the plan writes them (groups stay groups, first = lead);
`Assignment` is what that means: every unit that answers for the task, groups expanded
to their members (or to the group's office while it has none), each for the periods
`from_period`..`until_period` (null = open). A change ends the old row and starts a new
one from the current period, so obligations of earlier periods never change.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ColumnElement, ForeignKey, Integer, String, Text, UniqueConstraint, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The units are defined below the plans (every account belongs to one); the plans name them here too.
from tracker.accounts.units import Unit as Unit
from tracker.accounts.units import UnitKind as UnitKind
from tracker.core.i18n import N_
from tracker.db import AwareDateTime, Base, enum_type


class Duty(enum.Enum):
    """Lead (牵头) or co-responsible (配合)."""

    LEAD = "lead"
    CO = "co"

    @property
    def label(self) -> str:
        return N_("牵头") if self is Duty.LEAD else N_("配合")


class PlanState(enum.Enum):
    """An active plan owes reports; an archived one is read-only history."""

    ACTIVE = "active"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return N_("执行中") if self is PlanState.ACTIVE else N_("已归档")


def in_period(model, period_key) -> ColumnElement[bool]:
    """The row (Assignment, GroupMember) holds in the period: from_period <= key <= until_period."""
    return and_(or_(model.from_period.is_(None), model.from_period <= period_key),
                or_(model.until_period.is_(None), model.until_period >= period_key))


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    start_year: Mapped[int]
    end_year: Mapped[int]
    # A deployment often starts mid-plan: periods before this one are not owed.
    first_owed_period: Mapped[str | None] = mapped_column(String(8))
    imported_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # Bumped by every write that can change a light (tracker/supervision/freshness.py), so
    # derived lights can be cached per revision and stay correct across processes.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[PlanState] = mapped_column(enum_type(PlanState), default=PlanState.ACTIVE,
                                             server_default=PlanState.ACTIVE.value)
    # Archived: nothing is owed for periods that start after this day.
    archived_on: Mapped[date | None]

    @property
    def is_active(self) -> bool:
        return self.state is PlanState.ACTIVE

    @property
    def years(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    sections: Mapped[list[Section]] = relationship(
        back_populates="plan", order_by="Section.position", cascade="all, delete-orphan"
    )


class Section(Base):
    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(16))
    part: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="sections")
    tasks: Mapped[list[Task]] = relationship(back_populates="section", order_by="Task.position")


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    units_text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    # 办结 while closed: the open TaskClosure's day (owed() reads the closures, so reopening
    # never makes the closed periods owed again).
    closed_on: Mapped[date | None]

    plan: Mapped[Plan] = relationship()
    section: Mapped[Section] = relationship(back_populates="tasks")
    written_units: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", order_by="TaskUnit.position", cascade="all, delete-orphan"
    )
    # Today's assignments; ended ones stay in the table as the history of earlier periods.
    assignments: Mapped[list[Assignment]] = relationship(
        primaryjoin="and_(Task.id == Assignment.task_id, Assignment.until_period.is_(None))",
        viewonly=True,
    )
    closures: Mapped[list[TaskClosure]] = relationship(order_by="TaskClosure.id", cascade="all, delete-orphan")

    @property
    def lead_units(self) -> list[Unit]:
        """Every lead unit the plan names (牵头单位), in its order; a task may have several."""
        return [tu.unit for tu in self.written_units if tu.duty is Duty.LEAD]

    @property
    def co_units(self) -> list[Unit]:
        return [tu.unit for tu in self.written_units if tu.duty is not Duty.LEAD]


class TaskClosure(Base):
    """The office closed (办结) a task: no period starting after `closed_on` is owed until reopened.

    Reopened on a day, the task owes again from the period that day falls in.
    """

    __tablename__ = "task_closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    closed_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reopened_on: Mapped[date | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class GroupMember(Base):
    """A member of a group from `from_period` to `until_period` (null = open).

    A removed member keeps its row, ended: the history, and the reason a re-seed does not
    add it back. Re-added, the row opens again from the current period.
    """

    __tablename__ = "group_member"

    group_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    from_period: Mapped[str | None] = mapped_column(String(8))
    until_period: Mapped[str | None] = mapped_column(String(8))


class TaskUnit(Base):
    """A unit as the plan names it for a task, in the plan's order: its leads (one or more) first, then the rest."""

    __tablename__ = "task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    duty: Mapped[Duty] = mapped_column(enum_type(Duty), default=Duty.CO)

    task: Mapped[Task] = relationship(back_populates="written_units")
    unit: Mapped[Unit] = relationship(lazy="joined")


class Assignment(Base):
    """A unit that answers for a task in periods `from_period`..`until_period` (null = open),
    and the group it answers through, if any. Today's rows have no `until_period`."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    duty: Mapped[Duty] = mapped_column(enum_type(Duty))
    via_group_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    position: Mapped[int] = mapped_column(Integer)
    from_period: Mapped[str | None] = mapped_column(String(8))
    until_period: Mapped[str | None] = mapped_column(String(8))

    task: Mapped[Task] = relationship(viewonly=True)
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    via_group: Mapped[Unit | None] = relationship(foreign_keys=[via_group_id])


def current_assignment() -> ColumnElement[bool]:
    """Today's assignments (the ended ones are history)."""
    return Assignment.until_period.is_(None)
