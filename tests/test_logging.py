"""Logs reach stderr, one formatted INFO line per event; stdout keeps the command's output."""
from __future__ import annotations

import logging
import subprocess
import sys


def test_create_app_keeps_the_stderr_handler_of_the_tracker_logger_and_adds_it_once():
    code = ("import logging; from tracker import create_app; create_app({'SECRET_KEY': 'x'}); "
            "create_app({'SECRET_KEY': 'x'}); logging.getLogger('tracker.reminders.jobs').info('delivery: 1 sent')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"TRACKER_LOG_LEVEL": "INFO", "TRACKER_SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    lines = [line for line in result.stderr.splitlines() if "delivery: 1 sent" in line]
    assert len(lines) == 1 and " INFO tracker.reminders.jobs: delivery: 1 sent" in lines[0]
    assert result.stdout == ""


def test_every_job_run_and_every_login_failure_is_logged_at_info(app, client, plan, token, caplog):
    from tracker.reminders import jobs
    from tracker.scheduler import in_app

    caplog.set_level(logging.INFO, logger="tracker")
    in_app(app, jobs.deliver_job)()
    client.post("/login", data={"username": "nobody", "password": "guess-guess", "csrf_token": token(client)})
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert "job deliver_job started" in messages and "job deliver_job done" in messages
    assert "login failure: 'nobody' from 127.0.0.1 (wrong credentials)" in messages
