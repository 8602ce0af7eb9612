"""Plan, Section, Task, Unit, group membership, and the assignments of units to tasks.

`TaskUnit` keeps the 责任单位 as the plan writes them (groups stay groups, first = lead);
`Assignment` is what that means today: every unit that answers for the task, groups
expanded to their members (or to the group's office while it has none). Obligations
are derived from assignments, so they follow when a roster changes.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.i18n import N_
from tracker.db import AwareDateTime, Base, enum_type


class UnitKind(enum.Enum):
    DEPARTMENT = "department"
    DISTRICT = "district"
    ZONE = "zone"
    GROUP = "group"

    @property
    def label(self) -> str:
        return {
            UnitKind.DEPARTMENT: N_("市直部门"),
            UnitKind.DISTRICT: N_("区县（市）"),
            UnitKind.ZONE: N_("开发区"),
            UnitKind.GROUP: N_("集合单位"),
        }[self]


class Duty(enum.Enum):
    """Lead (牵头) or co-responsible (配合)."""

    LEAD = "lead"
    CO = "co"

    @property
    def label(self) -> str:
        return N_("牵头") if self is Duty.LEAD else N_("配合")


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
    # 办结: a closed task owes no report for periods that start after this day.
    closed_on: Mapped[date | None]

    plan: Mapped[Plan] = relationship()
    section: Mapped[Section] = relationship(back_populates="tasks")
    written_units: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", order_by="TaskUnit.position", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="task", cascade="all, delete-orphan"
    )

    @property
    def lead_units(self) -> list[Unit]:
        """Every lead unit the plan names (牵头单位), in its order; a task may have several."""
        return [tu.unit for tu in self.written_units if tu.duty is Duty.LEAD]

    @property
    def co_units(self) -> list[Unit]:
        return [tu.unit for tu in self.written_units if tu.duty is not Duty.LEAD]


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_type(UnitKind))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    # For a group: the unit whose office acts for it while it has no members.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    office: Mapped[Unit | None] = relationship(remote_side="Unit.id")
    members: Mapped[list[Unit]] = relationship(
        secondary="group_member",
        primaryjoin="Unit.id == GroupMember.group_id",
        secondaryjoin="Unit.id == GroupMember.member_id",
        order_by="Unit.id",
    )

    @property
    def is_group(self) -> bool:
        return self.kind is UnitKind.GROUP


class GroupMember(Base):
    __tablename__ = "group_member"

    group_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)


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
    """A unit that answers for a task today, and the group it answers through, if any."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    duty: Mapped[Duty] = mapped_column(enum_type(Duty))
    via_group_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    position: Mapped[int] = mapped_column(Integer)

    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    via_group: Mapped[Unit | None] = relationship(foreign_keys=[via_group_id])
