"""Reminder (one decision, made once), Digest (one a week) and the outbox of mail waiting for SMTP.

The UNIQUE keys are the deduplication: a second run, a second scheduler process or a
double click inserts nothing (INSERT … ON CONFLICT DO NOTHING). A decision and its mail
are written in the same transaction; delivery sends the outbox later.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import AwareDateTime, Base, enum_type
from tracker.plans.models import Plan, Unit
from tracker.reminders.rules import Channel, Kind, MessageState, NoticeKind, Outcome
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

    # E-mail, or one configured robot webhook (one message per channel, each retried on its own).
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), default=Channel.EMAIL, server_default="email")
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel_endpoint.id", ondelete="CASCADE"))
    link: Mapped[str] = mapped_column(String(500), default="", server_default="")

    endpoint: Mapped[ChannelEndpoint | None] = relationship()


class ChannelEndpoint(Base):
    """A unit's (or, with no unit, the office's) group-robot or JSON webhook. The secret is kept for
    signing (钉钉) and never shown back in full."""

    __tablename__ = "channel_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())

    unit: Mapped[Unit | None] = relationship()

    @property
    def label(self) -> str:
        """Who the channel reaches, as the outbox shows it: the unit (or 督查室) and the robot."""
        return f"{self.unit.name if self.unit else '督查室'} · {self.channel.value}"

    @property
    def masked_secret(self) -> str:
        return mask(self.secret)

    @property
    def masked_url(self) -> str:
        """The webhook address without its access token in full (the token is a credential too)."""
        head, _, tail = self.url.partition("?")
        return head if not tail else f"{head}?{mask(tail)}"


def mask(value: str) -> str:
    if not value:
        return ""
    return value[:4] + "…" + value[-2:] if len(value) > 8 else "…"


class Notice(Base):
    """A notice decided once: (kind, what it is about, recipient) is the deduplication key."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("kind", "subject_key", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(enum_type(NoticeKind))
    subject_key: Mapped[str] = mapped_column(String(100))       # e.g. "review:12", "escalation:3"
    recipient: Mapped[str] = mapped_column(String(40))          # "unit:5" or "office"
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    decided_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome))
    subject: Mapped[str] = mapped_column(String(300), default="")
    message_key: Mapped[str | None] = mapped_column(String(255), index=True)

    unit: Mapped[Unit | None] = relationship()


class NoticeSetting(Base):
    """The office switched a kind of notice off (no row: on)."""

    __tablename__ = "notice_setting"

    kind: Mapped[NoticeKind] = mapped_column(enum_type(NoticeKind), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())


class Reminder(Base):
    """A unit reminded of one period's reports, at one step of the cadence (or by hand)."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", "kind", "step", "chase_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Kind] = mapped_column(enum_type(Kind))
    step: Mapped[int] = mapped_column(Integer)
    # The date the report's chase is counted from: the due date (an extension's), or the day a report was
    # returned after it; a report returned late is chased again from then, step 1 on.
    chase_from: Mapped[date]
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
