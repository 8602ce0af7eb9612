"""Demo values for the indicators, 2021–2023: some on their path, some behind, one queried and re-entered.

Each year's figure is entered in the March after it; the supervision office has confirmed the
older years. Fixed numbers, so every demo shows the same picture.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import Role, User
from tracker.indicators.models import Indicator, IndicatorValue, ValueState
from tracker.plans.models import Plan

# number → {year: value}; 11, 13 lack a baseline, 17 has nothing yet, 15 stops at 2022.
VALUES: dict[int, dict[int, float]] = {
    1: {2021: 6.1, 2022: 7.6, 2023: 9.1},
    2: {2021: 118, 2022: 156, 2023: 187},
    3: {2021: 208, 2022: 215, 2023: 221},
    4: {2021: 20, 2022: 21, 2023: 21},
    5: {2021: 50.3, 2022: 56.1, 2023: 61.2},
    6: {2021: 1350, 2022: 1720, 2023: 2050},
    7: {2021: 24.5, 2022: 26.8, 2023: 28.9},
    8: {2021: 94.3, 2022: 95.1, 2023: 95.6},
    9: {2021: 79.2, 2022: 80.6, 2023: 81.5},
    10: {2021: 3.6, 2022: 6.8, 2023: 10.2},
    11: {2022: 11.2, 2023: 11.6},
    12: {2021: 7.0, 2022: 7.3, 2023: 7.6},
    13: {2022: 1, 2023: 2},
    14: {2021: 4, 2022: 4, 2023: 5},
    15: {2021: 4, 2022: 5},
    16: {2021: 330, 2022: 382, 2023: 425},
    18: {2021: 2380, 2022: 2950, 2023: 3400},
}
SOURCES = ["国家知识产权局统计数据", "单位年度统计台账", "省知识产权局年度通报", "第三方评估报告"]
# Indicator 10's 2023 figure: first entered, queried by the supervision office, entered again.
QUERIED = (10, 2023, 9.8, "与金融工作局统计口径不一致，请核实是否含续贷金额。")


def fill(session: Session, plan: Plan, *, today: date) -> int:
    """Adds the values; returns how many rows."""
    indicators = {i.number: i for i in session.scalars(select(Indicator).where(Indicator.plan_id == plan.id))}
    users = list(session.scalars(select(User)))
    clerks = {u.unit_id: u for u in users if u.role is Role.UNIT}
    reviewer = next((u for u in users if u.role is Role.SUPERVISOR), None)
    added = 0
    for number, years in VALUES.items():
        indicator = indicators.get(number)
        if indicator is None:
            continue
        clerk = clerks.get(indicator.owner_unit_id)
        for index, (year, value) in enumerate(sorted(years.items())):
            entered = _at(date(year + 1, 3, 10 + number))
            if entered.date() > today:
                continue
            if (number, year) == QUERIED[:2]:
                session.add(_value(indicator, year, QUERIED[2], clerk, entered, index, ValueState.QUERIED,
                                   reviewer, comment=QUERIED[3]))
                entered += timedelta(days=12)
                added += 1
            state = ValueState.ACCEPTED if year < 2023 or number % 3 == 0 else ValueState.ENTERED
            session.add(_value(indicator, year, value, clerk, entered, index, state, reviewer))
            added += 1
    session.flush()
    return added


def _value(indicator: Indicator, year: int, value: float, clerk: User | None, entered: datetime, index: int,
           state: ValueState, reviewer: User | None, comment: str = "") -> IndicatorValue:
    reviewed = state is not ValueState.ENTERED
    return IndicatorValue(
        indicator_id=indicator.id, year=year, value=value, note=SOURCES[(indicator.number + index) % len(SOURCES)],
        unit_id=indicator.owner_unit_id, entered_at=entered, entered_by_id=clerk.id if clerk else None,
        state=state, review_comment=comment, reviewed_at=entered + timedelta(days=5) if reviewed else None,
        reviewed_by_id=reviewer.id if reviewer and reviewed else None,
    )


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=ZoneInfo("Asia/Shanghai"))
