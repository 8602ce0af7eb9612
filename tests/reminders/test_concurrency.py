"""Two scheduler processes at once: each decision is made once and each e-mail sent once (PostgreSQL)."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.db import db
from tracker.reminders import delivery, services
from tracker.reminders.models import OutboxMessage, Reminder
from tracker.reminders.rules import Cadence

from .conftest import BASE_URL, at

# Threads with their own connections must see each other's commits.
pytestmark = [pytest.mark.postgres_only, pytest.mark.real_commits]

DAY = date(2024, 10, 14)


@pytest.fixture
def on_postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL: SQLite serialises writers in one process, so there is no race to test "
                        "(run with TRACKER_TEST_DATABASE_URL=postgresql://…)")


def _in_parallel(app, job, count: int = 2) -> list[BaseException]:
    """Runs job() in `count` threads, each with its own app context, session and connection, started together."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker():
        with app.app_context():
            try:
                start.wait()
                job()
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_concurrent_sweeps_and_deliveries_send_each_message_once(app, on_postgresql, addressed, smtp):
    def scheduler_run():
        services.sweep(db.session, today=DAY, now=at(DAY), cadence=Cadence(), base_url=BASE_URL)
        db.session.commit()
        delivery.deliver(db.session, settings=smtp.settings(), now=at(DAY, 8, 1))
        db.session.commit()

    assert _in_parallel(app, scheduler_run, count=3) == []
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["fgw@zz.example.cn", "gxj@zz.example.cn",
                                                            "lyj@zz.example.cn"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
        keys = db.session.execute(select(Reminder.unit_id, Reminder.period_id, Reminder.kind, Reminder.step)).all()
        assert len(keys) == len(set(keys))


def test_concurrent_deliveries_never_take_the_same_message(app, on_postgresql, addressed, smtp):
    with app.app_context():
        services.sweep(db.session, today=DAY, now=at(DAY), cadence=Cadence(), base_url=BASE_URL)
        db.session.commit()

    def deliver():
        delivery.deliver(db.session, settings=smtp.settings(), now=at(DAY, 8, 1))
        db.session.commit()

    assert _in_parallel(app, deliver, count=4) == []
    assert len(smtp.received) == 3
    assert len({r.message["Message-ID"] for r in smtp.received}) == 3
