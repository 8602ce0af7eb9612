"""Reads of the indicators: the table, one indicator's page, what is behind. Fixed query counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker.indicators import rules
from tracker.indicators.models import Indicator, IndicatorValue, ValueState


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    latest: IndicatorValue | None          # the newest year's current value
    light: rules.IndicatorLight
    by_year: dict[int, IndicatorValue] = field(default_factory=dict)  # year → current value


@dataclass(frozen=True)
class IndicatorPage:
    row: IndicatorRow
    history: list[IndicatorValue]           # every entry, newest first
    path: list[tuple[int, float | None]]


def list_indicator_rows(session: Session, plan_id: int, *, today: date) -> list[IndicatorRow]:
    """Every indicator of the plan in the plan's order, with its latest value and light: two queries."""
    indicators = list(session.scalars(
        select(Indicator).where(Indicator.plan_id == plan_id).order_by(Indicator.number)
    ))
    current = _current_values(session, [i.id for i in indicators])
    return [_row(indicator, current.get(indicator.id, {}), today) for indicator in indicators]


def list_behind(session: Session, plan_id: int, *, today: date) -> list[IndicatorRow]:
    """The indicators whose latest value trails their path or misses the target."""
    return [row for row in list_indicator_rows(session, plan_id, today=today) if row.light.colour is rules.IndicatorColour.BEHIND]


def get_indicator_page(session: Session, plan_id: int, number: int, *, today: date) -> IndicatorPage | None:
    indicator = session.scalar(
        select(Indicator).where(Indicator.plan_id == plan_id, Indicator.number == number)
        .options(selectinload(Indicator.peers))
    )
    if indicator is None:
        return None
    history = list(session.scalars(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)
        .order_by(IndicatorValue.year.desc(), IndicatorValue.id.desc())
        .options(selectinload(IndicatorValue.entered_by), selectinload(IndicatorValue.reviewed_by))
    ))
    by_year: dict[int, IndicatorValue] = {}
    for value in history:
        by_year.setdefault(value.year, value)
    return IndicatorPage(_row(indicator, by_year, today), history, rules.path(indicator.spec))


def get_value(session: Session, value_id: int) -> IndicatorValue | None:
    return session.scalar(
        select(IndicatorValue).where(IndicatorValue.id == value_id).options(selectinload(IndicatorValue.indicator))
    )


def is_current(session: Session, value: IndicatorValue) -> bool:
    """The value is the newest entry of its year: the one that counts."""
    newest = session.scalar(select(func.max(IndicatorValue.id)).where(
        IndicatorValue.indicator_id == value.indicator_id, IndicatorValue.year == value.year))
    return newest == value.id


def _current_values(session: Session, indicator_ids: list[int]) -> dict[int, dict[int, IndicatorValue]]:
    """indicator id → year → the newest entry of that year."""
    if not indicator_ids:
        return {}
    newest = (select(func.max(IndicatorValue.id))
              .where(IndicatorValue.indicator_id.in_(indicator_ids))
              .group_by(IndicatorValue.indicator_id, IndicatorValue.year))
    out: dict[int, dict[int, IndicatorValue]] = {}
    for value in session.scalars(select(IndicatorValue).where(IndicatorValue.id.in_(newest))):
        out.setdefault(value.indicator_id, {})[value.year] = value
    return out


def _row(indicator: Indicator, by_year: dict[int, IndicatorValue], today: date) -> IndicatorRow:
    latest = by_year[max(by_year)] if by_year else None
    light = rules.judge(
        indicator.spec,
        year=latest.year if latest else None,
        value=latest.value if latest else None,
        current_year=today.year,
        queried=bool(latest and latest.state is ValueState.QUERIED),
    )
    return IndicatorRow(indicator, latest, light, dict(sorted(by_year.items())))
