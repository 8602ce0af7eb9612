"""Reminder history for the demo: contact addresses for most units, and the last quarter's
reminders as the daily sweep would have decided them. No SMTP in the demo: they wait in
the outbox, readable on /admin/outbox.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core.workdays import CHINA
from tracker.plans.models import Assignment, Plan, Unit
from tracker.reminders import rules, services
from tracker.reminders.rules import Cadence
from tracker.reporting.queries import get_current_period

# A few units never gave an address: the outbox page and the digest list them.
WITHOUT_ADDRESS = {"市体育局", "郑州仲裁委员会办公室", "登封市人民政府"}


def fill(session: Session, plan: Plan, *, today: date) -> int:
    """Adds contact addresses and replays the sweeps of the latest due quarter; returns reminders decided."""
    units = session.scalars(select(Unit).where(Unit.id.in_(select(Assignment.unit_id)))).all()
    for unit in units:
        if unit.name not in WITHOUT_ADDRESS and not unit.emails:
            unit.emails = [f"unit{unit.id:03d}@demo.example.com"]
    session.flush()
    period = get_current_period(session, plan.id, today=today)
    if period is None:
        return 0
    cadence = Cadence.from_config(current_app.config)
    zone = ZoneInfo(current_app.config["TRACKER_TIMEZONE"])
    decided, previous = 0, None
    day = CHINA.subtract_workdays(period.due_on, max(cadence.before_workdays, 1))
    while day <= today:
        decision = rules.decide(period.due_on, day, cadence, CHINA)
        if decision is not None and decision != previous:
            decided += len(services.sweep(session, today=day, now=datetime.combine(day, time(8, 30), tzinfo=zone),
                                          cadence=cadence, base_url=current_app.config["TRACKER_BASE_URL"]).reminders)
        previous = decision
        day += timedelta(days=1)
    return decided
