"""The outbox: nothing lost when SMTP is down or the process dies; retries back off."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from tracker.db import db
from tracker.reminders import delivery, services
from tracker.reminders.delivery import SmtpSettings
from tracker.reminders.models import OutboxMessage
from tracker.reminders.rules import MAX_ATTEMPTS, Cadence, MessageState

from .conftest import BASE_URL, at

DAY = date(2024, 10, 14)


def _decide(app, day=DAY) -> int:
    with app.app_context():
        decided = services.sweep(db.session, today=day, now=at(day), cadence=Cadence(), base_url=BASE_URL)
        db.session.commit()
        return len(decided.messages)


def _deliver(app, settings: SmtpSettings, now):
    with app.app_context():
        result = delivery.deliver(db.session, settings=settings, now=now)
        db.session.commit()
        return len(result.sent), len(result.failed)


def _outbox(app) -> list[tuple]:
    with app.app_context():
        return [(m.state, m.attempts, m.last_error, m.next_attempt_at)
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_a_crash_between_decision_and_delivery_loses_nothing(app, addressed, smtp):
    assert _decide(app) == 3           # decided and committed; the process "dies" before delivering
    assert smtp.received == []
    assert _deliver(app, smtp.settings(), at(DAY, 9)) == (3, 0)   # a fresh delivery run picks them up
    assert len(smtp.received) == 3
    assert _deliver(app, smtp.settings(), at(DAY, 10)) == (0, 0)  # and never sends them twice


def test_an_smtp_outage_records_attempts_and_keeps_every_message(app, addressed, smtp):
    _decide(app)
    smtp.stop()
    assert _deliver(app, smtp.settings(), at(DAY, 9)) == (0, 3)
    rows = _outbox(app)
    assert {(state, attempts) for state, attempts, _, _ in rows} == {(MessageState.PENDING, 1)}
    assert all("Connection refused" in error or "ConnectionRefused" in error for _, _, error, _ in rows)
    assert all(next_at == at(DAY, 9) + timedelta(minutes=1) for _, _, _, next_at in rows)
    assert _deliver(app, smtp.settings(), at(DAY, 9) + timedelta(seconds=30)) == (0, 0)   # backing off
    smtp.start()
    assert _deliver(app, smtp.settings(), at(DAY, 9, 2)) == (3, 0)
    assert len(smtp.received) == 3
    assert {(state, attempts, error) for state, attempts, error, _ in _outbox(app)} == {(MessageState.SENT, 2, "")}


def test_the_backoff_doubles_after_each_failed_attempt(app, addressed, smtp):
    _decide(app)
    smtp.stop()
    now = at(DAY, 9)
    waits = []
    for _ in range(3):
        _deliver(app, smtp.settings(), now)
        next_at = _outbox(app)[0][3]
        waits.append(next_at - now)
        now = next_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]


def test_after_max_attempts_a_message_is_marked_failed_until_retried(app, addressed, smtp):
    _decide(app)
    with app.app_context():
        for message in db.session.scalars(select(OutboxMessage)):
            message.attempts = MAX_ATTEMPTS - 1
        db.session.commit()
    smtp.stop()
    _deliver(app, smtp.settings(), at(DAY, 9))
    assert {row[0] for row in _outbox(app)} == {MessageState.FAILED}
    smtp.start()
    assert _deliver(app, smtp.settings(), at(DAY, 23)) == (0, 0)   # failed ones wait for a person
    with app.app_context():
        for message in db.session.scalars(select(OutboxMessage)):
            services.retry_message(db.session, message, actor=None, now=at(DAY, 23))
        db.session.commit()
    assert _deliver(app, smtp.settings(), at(DAY, 23)) == (3, 0)


def test_one_refused_recipient_does_not_block_the_rest_of_the_batch(app, addressed, smtp, set_unit_emails):
    set_unit_emails("市财政局", ["czj@zz.example.cn"])
    _decide(app)

    original = smtp.inbox.handle_DATA

    async def refuse_one(server, session, envelope):
        if "czj@zz.example.cn" in envelope.rcpt_tos:
            return "550 mailbox unavailable"
        return await original(server, session, envelope)

    smtp.inbox.handle_DATA = refuse_one
    assert _deliver(app, smtp.settings(), at(DAY, 9)) == (3, 1)
    with app.app_context():
        refused = db.session.scalar(select(OutboxMessage).where(OutboxMessage.state == MessageState.PENDING))
        assert refused.to_addrs == ["czj@zz.example.cn"] and "550" in refused.last_error


def test_without_smtp_configured_mail_stays_in_the_outbox(app, addressed):
    _decide(app)
    with app.app_context():
        result = delivery.deliver(db.session, settings=SmtpSettings(host=None), now=at(DAY, 9))
        assert not result.configured and result.sent == []
    assert {(state, attempts) for state, attempts, _, _ in _outbox(app)} == {(MessageState.PENDING, 0)}


def test_one_smtp_connection_carries_the_whole_batch(app, addressed, smtp, monkeypatch):
    import smtplib

    opened = []
    real = smtplib.SMTP.__init__

    def counting(self, *args, **kwargs):
        opened.append(args)
        real(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "__init__", counting)
    _decide(app)
    assert _deliver(app, smtp.settings(), at(DAY, 9)) == (3, 0)
    assert len(opened) == 1


def _queue_plain(app, count: int) -> None:
    with app.app_context():
        due = at(DAY, 8)
        db.session.add_all(OutboxMessage(created_at=due, recipient_name="单位", to_addrs=[f"u{n}@zz.example.cn"],
                                         cc_addrs=[], subject=f"提醒 {n}", text_body="请报送。", html_body="<p>请报送。</p>",
                                         message_id=f"<m{n}@test>", state=MessageState.PENDING, attempts=0,
                                         next_attempt_at=due, last_error="") for n in range(count))
        db.session.commit()


def test_a_run_claims_fifty_messages_per_statement_and_marks_each_one_with_one(app, smtp, count_queries):
    _queue_plain(app, 120)
    with count_queries() as counted:
        assert _deliver(app, smtp.settings(), at(DAY, 9)) == (120, 0)
    assert len(counted.statements) == 1 + 3 + 120     # what is due, three claims, one mark per message
    assert sorted(r.message["Message-ID"] for r in smtp.received) == sorted(f"<m{n}@test>" for n in range(120))
    assert {(state, attempts) for state, attempts, _, _ in _outbox(app)} == {(MessageState.SENT, 1)}


@pytest.mark.real_commits
def test_the_last_mark_of_each_chunk_waits_for_the_disk_and_the_others_do_not(app, database_url, smtp):
    """Within a claimed chunk a mark is committed without waiting for the disk; the chunk's last one waits
    (and makes those before it durable with it), and a connection goes back to the pool as it came."""
    from tracker.app import create_app
    from tracker.config import normalise_database_url

    _queue_plain(app, 120)
    job = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url), "SECRET_KEY": "test-secret"},
                     lean=True, job=True, signals=False)       # the engine `tracker deliver` has, without the test's
    marks: list[bool] = []

    def durable(connection) -> bool:
        cursor = connection.connection.dbapi_connection.cursor()
        if connection.dialect.name == "postgresql":
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0] != "off"
        cursor.execute("PRAGMA synchronous")
        return cursor.fetchone()[0] >= 2

    def after(connection, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE outbox_message") and "RETURNING" not in statement:
            marks.append(durable(connection))

    with job.app_context():
        event.listen(db.engine, "after_cursor_execute", after)
        try:
            result = delivery.deliver(db.session, settings=smtp.settings(), now=at(DAY, 9))
            db.session.commit()
            with db.engine.connect() as connection:     # the pool's connection, as the next user gets it
                assert durable(connection)
        finally:
            event.remove(db.engine, "after_cursor_execute", after)
            db.session.remove()
            db.engine.dispose()
    assert len(result.sent) == 120
    assert [n + 1 for n, waited in enumerate(marks) if waited] == [50, 100, 120]
    assert {(state, attempts) for state, attempts, _, _ in _outbox(app)} == {(MessageState.SENT, 1)}
