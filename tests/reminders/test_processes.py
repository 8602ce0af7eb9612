"""Real `tracker deliver` processes against a real SMTP server: each message once, at most one more per crash.

Runs on the suite's database (SQLite file or PostgreSQL): the processes share it as two
servers would. A kill -9 mid-run costs at most the one message in flight.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from tracker.db import db
from tracker.reminders.models import OutboxMessage
from tracker.reminders.rules import MessageState

from .conftest import at

# The processes read what the test commits, on their own connections.
pytestmark = pytest.mark.real_commits

DAY = date(2024, 10, 13)
TRACKER = [sys.executable, "-c", "from tracker.cli import main; main()"]


def _queue(app, count: int, round_: int = 0) -> set[str]:
    """`count` due messages in the outbox; returns their Message-IDs."""
    with app.app_context():
        ids = [f"<r{round_}-m{n}@test>" for n in range(count)]
        db.session.add_all(OutboxMessage(created_at=at(DAY - timedelta(days=1), 7), recipient_name="单位", to_addrs=[f"u{n}@zz.example.cn"],
                                         cc_addrs=[], subject=f"提醒 {round_}-{n}", text_body="请报送。",
                                         html_body="<p>请报送。</p>", message_id=key, state=MessageState.PENDING,
                                         attempts=0, next_attempt_at=at(DAY - timedelta(days=1), 7), last_error="")
                           for n, key in enumerate(ids))
        db.session.commit()
        return set(ids)


def _environment(database_url: str, smtp, today: date = DAY) -> dict[str, str]:
    return {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": "test-secret",
            "TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": str(smtp.port),
            "TRACKER_TODAY": today.isoformat(), "TRACKER_LOG_LEVEL": "INFO"}


def _deliver(environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([*TRACKER, "deliver"], env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _received(smtp) -> Counter:
    return Counter(r.message["Message-ID"] for r in smtp.received)


def _unsent(app) -> int:
    with app.app_context():
        count = db.session.query(OutboxMessage).filter(OutboxMessage.state != MessageState.SENT).count()
        db.session.remove()
        return count


def test_two_delivery_processes_at_once_send_each_message_exactly_once(app, database_url, smtp):
    environment = _environment(database_url, smtp)
    expected: set[str] = set()
    for round_ in range(4):
        expected |= _queue(app, 60, round_)
        processes = [_deliver(environment) for _ in range(2)]
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert "INFO tracker.reminders.jobs: delivery: " in err      # one log line per run, on stderr
            assert "sent, 0 failed" in out
        received = _received(smtp)
        assert set(received) == expected, f"round {round_}: lost {len(expected - set(received))}"
        assert max(received.values()) == 1, f"round {round_}: {sum(received.values()) - len(received)} twice"
    assert _unsent(app) == 0


def test_kill_9_during_delivery_resends_at_most_one_message_per_kill_and_loses_none(app, database_url, smtp):
    total, kills = 400, 3
    expected = _queue(app, total)
    environment = _environment(database_url, smtp)
    for kill in range(kills):
        before = len(smtp.received)
        process = _deliver(environment)
        while len(smtp.received) < before + 25 and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, f"kill {kill}: the run ended before it was killed"
    # The claims of the killed runs expire with their lease: a run a day later takes them again.
    later = _environment(database_url, smtp, today=DAY + timedelta(days=1))
    finished = subprocess.run([*TRACKER, "deliver"], env=later, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    received = _received(smtp)
    duplicates = sum(received.values()) - len(received)
    assert set(received) == expected, f"lost {len(expected - set(received))}"
    assert duplicates <= kills
    assert _unsent(app) == 0
    print(f"\n{total} messages, {kills} kills: {duplicates} duplicate(s)")
