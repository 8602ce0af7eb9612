"""The demo's reminder history: the last quarter's sweeps replayed, mail waiting in the outbox."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tracker.db import db
from tracker.plans.models import Plan
from tracker.reminders import demo
from tracker.reminders.models import OutboxMessage, Reminder
from tracker.reminders.rules import Kind, MessageState


def test_the_demo_replays_the_2024q3_reminders_into_the_outbox(app, plan):
    with app.app_context():
        shown = db.session.get(Plan, plan)
        decided = demo.fill(db.session, shown, today=date(2024, 11, 20))
        db.session.commit()
        kinds = set(db.session.scalars(select(Reminder.kind).distinct()))
        assert decided > 0 and kinds == {Kind.NOTICE, Kind.OVERDUE, Kind.ESCALATION}
        assert set(db.session.scalars(select(OutboxMessage.state).distinct())) == {MessageState.PENDING}
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) > 0
        again = demo.fill(db.session, shown, today=date(2024, 11, 20))
        assert again == 0
