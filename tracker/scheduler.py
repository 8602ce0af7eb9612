"""Builds the APScheduler that runs every domain's jobs, in the configured time zone."""
from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from tracker.domains import DOMAINS, optional_module

log = logging.getLogger(__name__)


def build(app: Flask, scheduler_class: type[BaseScheduler] = BackgroundScheduler) -> BaseScheduler:
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
