"""Period, Report (one per task, unit and period) and everything kept about it.

Nothing is overwritten: each save adds a ReportVersion; reviews and evidence are rows
of their own. `Report.version` is the optimistic lock two editors collide on.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.i18n import N_
from tracker.db import AwareDateTime, Base, enum_type
from tracker.plans.models import Duty, Plan, Task, Unit
from tracker.reporting.periods import Quarter


class Status(enum.Enum):
    """The task's progress as a unit reports it."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    DONE = "done"

    @property
    def label(self) -> str:
        return {
            Status.NOT_STARTED: N_("未启动"),
            Status.ON_TRACK: N_("推进中"),
            Status.LAGGING: N_("滞后"),
            Status.DONE: N_("已完成"),
        }[self]


class State(enum.Enum):
    """Where a report stands in its workflow."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {
            State.DRAFT: N_("草稿"),
            State.SUBMITTED: N_("已报送"),
            State.RETURNED: N_("已退回"),
            State.ACCEPTED: N_("已审核"),
        }[self]

    @property
    def counts_as_submitted(self) -> bool:
        """已报 (for Python and templates); `counted` says the same in a query."""
        return self in COUNTED


# The one definition of 已报: submitted or accepted (a returned report counts again only once resubmitted).
COUNTED = (State.SUBMITTED, State.ACCEPTED)


def counted(state_column) -> ColumnElement[bool]:
    """The same rule in a query: the report state column (or a subquery's `state`) is 已报."""
    return state_column.in_([state.value for state in COUNTED])


class Period(Base):
    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(8))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    due_on: Mapped[date]
    # An administrator moved the due date by hand; recomputation leaves it alone.
    due_overridden: Mapped[bool] = mapped_column(default=False)
    # Counted Monday–Friday: no official holiday schedule for its year was installed yet.
    due_provisional: Mapped[bool] = mapped_column(default=False, server_default="0")

    plan: Mapped[Plan] = relationship()

    @property
    def quarter(self) -> Quarter:
        return Quarter.parse(self.key)


class Report(Base):
    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "period_id"),
        Index("ix_report_period_unit", "period_id", "unit_id"),
        Index("ix_report_state_task", "state", "task_id", "submitted_at"),  # the review queue of a plan
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    duty: Mapped[Duty] = mapped_column(enum_type(Duty))
    state: Mapped[State] = mapped_column(enum_type(State), default=State.DRAFT)
    status: Mapped[Status | None] = mapped_column(enum_type(Status))
    percent: Mapped[int | None] = mapped_column(Integer)
    progress: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    submitted_on: Mapped[date | None]
    is_late: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    task: Mapped[Task] = relationship()
    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.number", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="report", order_by="Review.id", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="report", order_by="Evidence.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class ReportVersion(Base):
    """A report as it stood after one save, submission, return or acceptance."""

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    state: Mapped[State] = mapped_column(enum_type(State))
    status: Mapped[Status | None] = mapped_column(enum_type(Status))
    percent: Mapped[int | None] = mapped_column(Integer)
    progress: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[datetime] = mapped_column(AwareDateTime())
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    report: Mapped[Report] = relationship(back_populates="versions")


class Review(Base):
    """The supervision office accepted (审核通过) or returned (退回) a submitted report."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # "accept" | "return"
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(AwareDateTime())
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    report: Mapped[Report] = relationship(back_populates="reviews")


class Evidence(Base):
    """A 佐证材料 file, stored outside static/ under a random name."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(AwareDateTime())
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Removed from the report after a submitted version showed it: kept, file and all, for history.
    removed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    report: Mapped[Report] = relationship(back_populates="evidence")


class ExtensionState(enum.Enum):
    """延期申请: asked, then approved or refused by the office."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {ExtensionState.REQUESTED: N_("待审批"), ExtensionState.APPROVED: N_("已批准"),
                ExtensionState.REFUSED: N_("未批准")}[self]


class Extension(Base):
    """A unit asks for a later due date for one report (task, unit, period), before the due date."""

    __tablename__ = "extension"
    __table_args__ = (Index("ix_extension_obligation", "period_id", "unit_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    due_on: Mapped[date]                # the due date asked for
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[ExtensionState] = mapped_column(enum_type(ExtensionState), default=ExtensionState.REQUESTED)
    asked_at: Mapped[datetime] = mapped_column(AwareDateTime())
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship()
    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()


class StatusUpdate(Base):
    """Between quarters, the lead posts a dated note and status on its task."""

    __tablename__ = "status_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    posted_on: Mapped[date]
    status: Mapped[Status] = mapped_column(enum_type(Status))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
