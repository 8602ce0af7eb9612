"""Reminder (one decision, made once), Digest (one a week) and the outbox of mail waiting for SMTP.

The UNIQUE keys are the deduplication: a second run, a second scheduler process or a
double click inserts nothing (INSERT … ON CONFLICT DO NOTHING). A decision and its mail
are written in the same transaction; delivery sends the outbox later.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import AwareDateTime, Base, enum_type
from tracker.plans.models import Plan, Unit
from tracker.reminders.rules import Kind, MessageState, Outcome
from tracker.reporting.models import Period


class OutboxMessage(Base):
    """One e-mail, as decided; `message_id` stays the same across retries."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    to_addrs: Mapped[list[str]] = mapped_column(JSON, default=list)
    cc_addrs: Mapped[list[str]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    state: Mapped[MessageState] = mapped_column(enum_type(MessageState), default=MessageState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(AwareDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # A delivery run's lease on the message: nobody else sends it before this moment passes.
    claimed_until: Mapped[datetime | None] = mapped_column(AwareDateTime())


class Reminder(Base):
    """A unit reminded of one period's reports, at one step of the cadence (or by hand)."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", "kind", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Kind] = mapped_column(enum_type(Kind))
    step: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[date]
    decided_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome))
    task_count: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    rejected: Mapped[list[str]] = mapped_column(JSON, default=list)   # addresses that failed validation
    # The e-mail's Message-ID, chosen before the insert (so a sweep needs no UPDATE per unit);
    # None when the unit has no address. One e-mail can carry several decisions of one run.
    message_key: Mapped[str | None] = mapped_column(String(255), index=True)

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    message: Mapped[OutboxMessage | None] = relationship(
        primaryjoin="foreign(Reminder.message_key) == OutboxMessage.message_id", viewonly=True)


class Digest(Base):
    """The weekly digest of one plan to the supervision office; one per plan and week."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("plan_id", "week_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    week_of: Mapped[date]
    decided_at: Mapped[datetime] = mapped_column(AwareDateTime())
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_key: Mapped[str | None] = mapped_column(String(255))

    plan: Mapped[Plan] = relationship()
    message: Mapped[OutboxMessage | None] = relationship(
        primaryjoin="foreign(Digest.message_key) == OutboxMessage.message_id", viewonly=True)
