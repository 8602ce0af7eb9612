"""The scheduled jobs: configured cadences, their own app context, catching up once after a restart."""
from __future__ import annotations

from datetime import date, datetime, time

from apscheduler.schedulers.background import BackgroundScheduler

from tracker.reminders import jobs
from tracker.scheduler import build

from .conftest import ZONE


def _jobs(app) -> dict:
    return {job.id: job for job in build(app, BackgroundScheduler).get_jobs()}


def test_the_scheduler_runs_the_sweep_the_digest_and_delivery_on_the_configured_cadence(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_REMIND_AT", time(7, 45))
    monkeypatch.setitem(app.config, "TRACKER_DIGEST_CRON", ("fri", time(16, 30)))
    monkeypatch.setitem(app.config, "TRACKER_DELIVER_EVERY_SECONDS", 120)
    found = _jobs(app)
    sweep, digest, deliver = found["reminders.sweep"], found["reminders.digest"], found["reminders.deliver"]
    assert "hour='7', minute='45'" in str(sweep.trigger)
    assert "day_of_week='fri', hour='16', minute='30'" in str(digest.trigger)
    assert deliver.trigger.interval.total_seconds() == 120
    assert all(job.coalesce for job in found.values())
    assert str(sweep.trigger.timezone) == "Asia/Shanghai"


def test_a_restart_catches_up_the_sweep_once_at_start(app):
    sweep = _jobs(app)["reminders.sweep"]
    assert sweep.next_run_time is not None
    assert (datetime.now(ZONE) - sweep.next_run_time).total_seconds() < 60


def test_the_sweep_job_runs_in_its_own_app_context_and_sends(app, addressed, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", date(2024, 10, 14))
    monkeypatch.setitem(app.config, "TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "TRACKER_SMTP_PORT", smtp.port)
    _jobs(app)["reminders.sweep"].func()     # as APScheduler calls it: no app context around it
    assert len(smtp.received) == 3
    _jobs(app)["reminders.sweep"].func()
    assert len(smtp.received) == 3


def test_a_failing_job_is_logged_and_does_not_raise(app, monkeypatch, caplog):
    def broken(**_):
        raise RuntimeError("database away")

    monkeypatch.setattr(jobs, "remind", broken)
    _jobs(app)["reminders.sweep"].func()
    assert "database away" in caplog.text
