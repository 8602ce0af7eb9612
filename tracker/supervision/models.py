"""The supervision office's marks on a task: escalations (督办) with their responses, flags,
milestones (节点) that set 序时进度, and the office's light rules.

Both stay as rows once closed or cleared: the history is the point.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.i18n import N_
from tracker.db import AwareDateTime, Base, enum_type
from tracker.plans.models import Task, Unit
from tracker.supervision.ladder import EscalationState, state_of


class Escalation(Base):
    """督办: the office requires the lead unit to respond by a date; red until the office closes it."""

    __tablename__ = "escalation"
    __table_args__ = (Index("ix_escalation_open", "task_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    respond_by: Mapped[date]
    opened_at: Mapped[datetime] = mapped_column(AwareDateTime())
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    close_note: Mapped[str] = mapped_column(Text, default="")
    # The step on the ladder of 督办单 colours (0: the first); raised when the deadline passes unanswered.
    level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    raised_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    task: Mapped[Task] = relationship()
    units: Mapped[list[EscalationUnit]] = relationship(
        back_populates="escalation", order_by="EscalationUnit.id", cascade="all, delete-orphan")
    responses: Mapped[list[EscalationResponse]] = relationship(
        back_populates="escalation", order_by="EscalationResponse.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def state(self) -> EscalationState:
        """open → acknowledged → responded (by every unit concerned) → closed."""
        answered = {r.unit_id for r in self.responses}
        return state_of(closed=not self.is_open, acknowledged=[p.acknowledged_at is not None for p in self.units],
                        responded=[p.unit_id in answered for p in self.units])

    def state_for(self, unit_id: int | None) -> EscalationState:
        """One unit's part: 待签收, 已签收, 已反馈, or 已办结."""
        part = next((p for p in self.units if p.unit_id == unit_id), None)
        return state_of(closed=not self.is_open, acknowledged=[bool(part and part.acknowledged_at)],
                        responded=[any(r.unit_id == unit_id for r in self.responses)])


class EscalationUnit(Base):
    """A unit an escalation concerns, and its 签收 (acknowledgement)."""

    __tablename__ = "escalation_unit"
    __table_args__ = (UniqueConstraint("escalation_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    escalation: Mapped[Escalation] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship()


class EscalationResponse(Base):
    """The lead unit's dated answer to an escalation."""

    __tablename__ = "escalation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    text: Mapped[str] = mapped_column(Text)
    responded_on: Mapped[date]
    responded_at: Mapped[datetime] = mapped_column(AwareDateTime())
    responder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    escalation: Mapped[Escalation] = relationship(back_populates="responses")
    unit: Mapped[Unit | None] = relationship()


class Flag(Base):
    """The office marks a task red by hand, with a reason, until it clears the flag."""

    __tablename__ = "flag"
    __table_args__ = (Index("ix_flag_active", "task_id", "cleared_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    flagged_at: Mapped[datetime] = mapped_column(AwareDateTime())
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    cleared_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    clear_note: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship()

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None


class LightRuleSet(Base):
    """The office's light rules in force (one row; none: the defaults or the configuration)."""

    __tablename__ = "light_rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    values: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class MilestoneState(enum.Enum):
    PROPOSED = "proposed"        # the lead unit proposed it; not in force until the office accepts
    ACCEPTED = "accepted"        # in force: 序时进度 follows it
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {MilestoneState.PROPOSED: N_("待确认"), MilestoneState.ACCEPTED: N_("已确认"),
                MilestoneState.REFUSED: N_("未采纳")}[self]


class Milestone(Base):
    """节点: by `due_on` the task should be `percent` done, with what is due then."""

    __tablename__ = "milestone"
    __table_args__ = (CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date]
    percent: Mapped[int]
    what: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[MilestoneState] = mapped_column(enum_type(MilestoneState))
    source: Mapped[str] = mapped_column(String(16))          # office, lead or import
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    task: Mapped[Task] = relationship()


class ScoreRuleSet(Base):
    """The office's 考核 point rules in force (one row; none: the default 细则)."""

    __tablename__ = "score_rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    values: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class TaskLight(Base):
    """A task's light and its facts as last computed, kept current by every write that changes them
    (supervision/light_store.py): the dashboard and the lagging list read these rows, never recompute a plan.

    Valid for the days from `computed_on` until the day before `valid_until` (NULL: until a write),
    and only with the rules `rules_key` names; otherwise a read recomputes the task. `stamp` is new
    with every rewrite: a process reuses what it decoded of a row while the row's stamp is unchanged.
    """

    __tablename__ = "task_light"

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    colour: Mapped[str] = mapped_column(String(8))
    computed_on: Mapped[date]
    valid_until: Mapped[date | None]
    rules_key: Mapped[str] = mapped_column(String(16))
    stamp: Mapped[str] = mapped_column(String(16))
    light: Mapped[dict] = mapped_column(JSON)
    facts: Mapped[dict] = mapped_column(JSON)


class KeptTally(Base):
    """A unit's 应报/已报/迟报 in one quarter as last computed (reporting/compliance.py's figures), kept
    current by every write that changes them (supervision/tally_store.py): the dashboard reads these
    rows instead of aggregating every obligation of the plan on every view. One row per unit that owes
    anything in the quarter; nothing in them depends on the day (迟报 is stored on the report)."""

    __tablename__ = "unit_tally"

    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True, index=True)
    owed: Mapped[int]
    submitted: Mapped[int]
    late: Mapped[int]
