"""Indicator, its yearly values (every entry a new row) and the peer cities' figures.

An indicator keeps its figures as the plan writes them ("3-4", "-") beside the numbers
read from them. A value is never overwritten: a new entry for a year adds a row, and
the newest row of a year is the one that counts.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.i18n import N_
from tracker.db import AwareDateTime, Base, enum_type
from tracker.indicators.rules import Spec
from tracker.plans.models import Plan, Unit


class ValueState(enum.Enum):
    """Where a yearly value stands with the supervision office."""

    ENTERED = "entered"
    ACCEPTED = "accepted"
    QUERIED = "queried"

    @property
    def label(self) -> str:
        return {
            ValueState.ENTERED: N_("待审核"),
            ValueState.ACCEPTED: N_("已确认"),
            ValueState.QUERIED: N_("被质疑"),
        }[self]


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(20), default="")
    baseline: Mapped[str] = mapped_column(String(40), default="-")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    target: Mapped[str] = mapped_column(String(40), default="-")
    target_low: Mapped[float | None] = mapped_column(Float)
    target_high: Mapped[float | None] = mapped_column(Float)
    annual: Mapped[bool] = mapped_column(default=False)
    attribute: Mapped[str] = mapped_column(String(20), default="")
    basis: Mapped[str] = mapped_column(String(200), default="")
    baseline_year: Mapped[int] = mapped_column(Integer)
    target_year: Mapped[int] = mapped_column(Integer)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"), index=True)
    # The seed proposes an owner; an administrator confirms or changes it.
    owner_proposed: Mapped[bool] = mapped_column(default=True)

    plan: Mapped[Plan] = relationship()
    owner: Mapped[Unit | None] = relationship(lazy="joined")
    peers: Mapped[list[PeerFigure]] = relationship(
        back_populates="indicator", order_by="PeerFigure.position", cascade="all, delete-orphan"
    )

    @property
    def spec(self) -> Spec:
        return Spec(baseline=self.baseline_value, target_low=self.target_low, target_high=self.target_high,
                    annual=self.annual, percent=self.measure in ("%", "％"),
                    baseline_year=self.baseline_year, target_year=self.target_year, measure=self.measure)

    @property
    def kind_label(self) -> str:
        return N_("当年值") if self.annual else N_("累计值")


class IndicatorValue(Base):
    """One entry of one year's figure by the owner unit, and the supervision office's verdict on it."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        Index("ix_indicator_value_indicator_year", "indicator_id", "year"),
        CheckConstraint("year >= 1900 AND year <= 2200", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(AwareDateTime())
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    evidence_name: Mapped[str | None] = mapped_column(String(200))
    evidence_path: Mapped[str | None] = mapped_column(String(80))
    evidence_type: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[ValueState] = mapped_column(enum_type(ValueState), default=ValueState.ENTERED)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    indicator: Mapped[Indicator] = relationship()
    unit: Mapped[Unit | None] = relationship()
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])


class PeerFigure(Base):
    """The nation's or a peer city's 2020 value and 2025 target, from 附件1 表1."""

    __tablename__ = "peer_figure"
    __table_args__ = (UniqueConstraint("indicator_id", "city"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    city: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    baseline: Mapped[str] = mapped_column(String(40), default="-")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    target: Mapped[str] = mapped_column(String(40), default="-")
    target_low: Mapped[float | None] = mapped_column(Float)
    target_high: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(60), default="")

    indicator: Mapped[Indicator] = relationship(back_populates="peers")

    @property
    def given(self) -> bool:
        """The plan gives this city's figure (not "-" for both)."""
        return self.baseline_value is not None or self.target_low is not None
