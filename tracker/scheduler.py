"""Builds the APScheduler that runs every domain's jobs, in the configured time zone; wraps each job.

APScheduler is imported only when a scheduler is built: the jobs modules import `in_app` from
here, and `tracker remind`/`tracker deliver` run those jobs without a scheduler.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask

from tracker.db import db
from tracker.domains import DOMAINS, optional_module

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

log = logging.getLogger(__name__)


def build(app: Flask, scheduler_class: type[BaseScheduler] | None = None) -> BaseScheduler:
    if scheduler_class is None:
        from apscheduler.schedulers.background import BackgroundScheduler
        scheduler_class = BackgroundScheduler
    scheduler = scheduler_class(timezone=app.config["TRACKER_TIMEZONE"],
                                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
    for name in DOMAINS:
        jobs = optional_module(name, "jobs")
        if jobs is not None:
            jobs.register(scheduler, app)
    return scheduler


def start_in_process(app: Flask) -> BaseScheduler:
    scheduler = build(app)
    scheduler.start()
    log.info("scheduler running in-process with %d job(s)", len(scheduler.get_jobs()))
    return scheduler


def in_app(app: Flask, job: Callable[[], Any]) -> Callable[[], None]:
    """The job inside its own app context; errors are logged, never kill the scheduler."""

    @functools.wraps(job)
    def run() -> None:
        with app.app_context():
            try:
                log.info("job %s started", job.__name__)
                job()
                log.info("job %s done", job.__name__)
            except Exception:
                log.exception("job %s failed; the next run tries again", job.__name__)
            finally:
                db.session.remove()

    return run
