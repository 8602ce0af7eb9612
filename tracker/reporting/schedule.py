"""A plan's reporting periods in the database: generated, due dates computed, overrides kept."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.core.workdays import WorkCalendar
from tracker.plans.models import Plan
from tracker.reporting.models import Period
from tracker.reporting.periods import due_is_provisional, due_on, quarters


def ensure_periods(session: Session, plan: Plan, *, workdays_after: int, calendar: WorkCalendar) -> list[Period]:
    """Creates the plan's missing quarters and recomputes due dates not set by hand.

    A due date counted without an official calendar for its year is marked provisional;
    run again once a newer calendar is installed (`tracker periods recompute`), it is corrected.
    """
    existing = {p.key: p for p in session.scalars(select(Period).where(Period.plan_id == plan.id))}
    for quarter in quarters(plan.start_year, plan.end_year):
        due = due_on(quarter, workdays_after, calendar)
        provisional = due_is_provisional(quarter, due, calendar)
        period = existing.get(quarter.key)
        if period is None:
            period = Period(plan_id=plan.id, key=quarter.key, starts_on=quarter.starts_on,
                            ends_on=quarter.ends_on, due_on=due, due_provisional=provisional)
            session.add(period)
            existing[quarter.key] = period
        elif not period.due_overridden and (period.due_on, period.due_provisional) != (due, provisional):
            period.due_on, period.due_provisional = due, provisional
    session.flush()
    return sorted(existing.values(), key=lambda p: p.key)


def recompute_due_dates(session: Session, *, workdays_after: int, calendar: WorkCalendar) -> list[Period]:
    """Every plan's computed (not hand-set) due dates counted again; returns the periods that changed."""
    before = {p.id: (p.due_on, p.due_provisional) for p in session.scalars(select(Period))}
    for plan in session.scalars(select(Plan).order_by(Plan.id)):
        ensure_periods(session, plan, workdays_after=workdays_after, calendar=calendar)
    return [p for p in session.scalars(select(Period).order_by(Period.plan_id, Period.key))
            if p.id in before and before[p.id] != (p.due_on, p.due_provisional)]


def override_due_date(session: Session, period: Period, due: date, *, actor: Any, now: datetime) -> None:
    """An administrator moves one period's deadline; raises Invalid if it precedes the quarter's end."""
    if due <= period.ends_on:
        raise Invalid(N_("截止日期必须晚于季度结束日 %(end)s"), fields={"due_on": N_("截止日期必须晚于季度结束日")},
                      end=period.ends_on.isoformat())
    audit.record(session, actor=actor, action="period.due", obj=period,
                 old={"due_on": period.due_on}, new={"due_on": due}, at=now)
    period.due_on = due
    period.due_overridden = True
    period.due_provisional = False
    session.flush()
