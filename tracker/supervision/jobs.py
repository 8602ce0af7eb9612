"""The nightly rewrite of the lights that time alone changed (a report overdue from midnight, days counting).

Reads recompute such rows themselves without storing them; this job stores them once a day,
shortly after midnight (and once when the scheduler starts), so the day's reads find them current.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask

from tracker import clock
from tracker.db import db
from tracker.scheduler import in_app
from tracker.supervision import light_store

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

log = logging.getLogger(__name__)


def register(scheduler: BaseScheduler, app: Flask) -> None:
    scheduler.add_job(in_app(app, relight_job), "cron", hour=0, minute=1, id="supervision.relight",
                      next_run_time=clock.wall_now(), coalesce=True, max_instances=1, replace_existing=True)


def relight_job() -> int:
    """Rewrites every light that no longer holds today; commits."""
    session = db.session()          # this app context's session
    try:
        count = light_store.refresh_expired(session, today=clock.today())
        session.commit()
    except BaseException:
        session.rollback()
        raise
    log.info("lights: %d task(s) relit for %s", count, clock.today())
    return count
