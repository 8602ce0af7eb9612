"""`tracker remind`, `tracker digest`, `tracker deliver`: what they print is what they sent."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tracker.cli import main
from tracker.db import db
from tracker.reminders.models import OutboxMessage, Reminder

SUBJECT = "【催报】市发展和改革委员会：2024年第3季度进展报送逾期提醒"


@pytest.fixture
def smtp_configured(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "TRACKER_SMTP_PORT", smtp.port)
    monkeypatch.setitem(app.config, "TRACKER_MAIL_FROM", "tracker@example.gov.cn")
    monkeypatch.setitem(app.config, "TRACKER_BASE_URL", "https://tracker.example.gov.cn")
    return smtp


def _tracker(app, *args) -> str:
    """`tracker ARGS` on the test app; returns stdout (click keeps stderr, where logs go, apart)."""
    result = app.test_cli_runner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.stdout


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_remind_sends_and_prints_what_it_sent(app, addressed, smtp_configured):
    out = _tracker(app, "remind", "--today", "2024-10-14")
    assert f"queued: {SUBJECT} → fgw@zz.example.cn" in out
    assert f"sent: {SUBJECT} → fgw@zz.example.cn" in out
    assert "no address: 市财政局" in out
    assert "3 sent, 0 failed" in out
    assert len(smtp_configured.received) == 3


def test_remind_run_twice_the_same_day_sends_nothing_more(app, addressed, smtp_configured):
    _tracker(app, "remind", "--today", "2024-10-14")
    out = _tracker(app, "remind", "--today", "2024-10-14")
    assert "0 decided, 0 e-mail(s) queued" in out and "0 sent" in out
    assert len(smtp_configured.received) == 3


def test_a_dry_run_prints_what_it_would_send_and_keeps_nothing(app, addressed, smtp_configured):
    out = _tracker(app, "remind", "--today", "2024-10-14", "--dry-run")
    assert f"would send: {SUBJECT} → fgw@zz.example.cn" in out
    assert "dry run: nothing kept" in out and "sent:" not in out
    assert _count(app, Reminder) == 0 and _count(app, OutboxMessage) == 0
    assert smtp_configured.received == []


def test_without_smtp_remind_keeps_the_mail_in_the_outbox_and_says_so(app, addressed):
    out = _tracker(app, "remind", "--today", "2024-10-14")
    assert "SMTP not configured" in out and "/admin/outbox" in out
    assert _count(app, OutboxMessage) == 3


def test_deliver_sends_what_waits_in_the_outbox(app, addressed, smtp, monkeypatch):
    _tracker(app, "remind", "--today", "2024-10-14")    # no SMTP yet: three wait
    monkeypatch.setitem(app.config, "TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "TRACKER_SMTP_PORT", smtp.port)
    out = _tracker(app, "deliver")
    assert out.count("sent: ") == 3 and "3 sent, 0 failed" in out
    assert len(smtp.received) == 3


def test_deliver_reports_a_failure_without_losing_the_message(app, addressed, smtp_configured):
    smtp_configured.stop()
    out = _tracker(app, "remind", "--today", "2024-10-14")
    assert "0 sent, 3 failed, 3 waiting for retry until 2024-10-14 " in out and "failed (attempt 1)" in out
    assert _count(app, OutboxMessage) == 3


def test_digest_goes_to_the_supervision_office_once_a_week(app, addressed, smtp_configured):
    out = _tracker(app, "digest", "--today", "2024-11-18")
    assert "queued: 【督办周报】2024-11-18" in out and "dcs@zz.example.cn" in out
    assert "0 decided" in _tracker(app, "digest", "--today", "2024-11-22")
    assert len(smtp_configured.received) == 1


def test_scheduler_runs_the_jobs_in_its_own_process_until_stopped(app, monkeypatch):
    from apscheduler.schedulers.blocking import BlockingScheduler

    def stop_at_once(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(BlockingScheduler, "start", stop_at_once)
    out = _tracker(app, "scheduler")
    assert "job reminders.sweep: cron[hour='8', minute='30']" in out
    assert "job reminders.digest: cron[day_of_week='mon', hour='9', minute='0']" in out
    assert "job reminders.deliver: interval[0:01:00]" in out
    assert "scheduler stopped" in out


def test_remind_from_cron_decides_and_sends_in_the_job_app_as_in_the_whole_one(app, database_url, addressed, smtp):
    """`tracker remind` as cron runs it (its own process, the job app without sessions, Babel or error
    pages) prints and sends what the test app's run above does."""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": "test-secret",
                   "TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": str(smtp.port),
                   "TRACKER_MAIL_FROM": "tracker@example.gov.cn", "TRACKER_BASE_URL": "https://tracker.example.gov.cn",
                   "TRACKER_LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, "-c", "from tracker.cli import main; main()", "remind", "--today",
                             "2024-10-14"], env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"queued: {SUBJECT} → fgw@zz.example.cn" in result.stdout
    assert f"sent: {SUBJECT} → fgw@zz.example.cn" in result.stdout
    assert "no address: 市财政局" in result.stdout and "3 sent, 0 failed" in result.stdout
    assert len(smtp.received) == 3
