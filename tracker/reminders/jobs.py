"""Scheduled reminders: the daily sweep, the weekly digest and outbox delivery (APScheduler 3).

Each run is an entry point: its own app context, one transaction, committed at the end
(rolled back on error, which is logged; the next run tries again). The sweep and the
digest also run once when the scheduler starts, so a restart catches up missed runs once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy import select

from tracker import clock
from tracker.db import db
from tracker.reminders import delivery, queries, rules
from tracker.reminders.rules import Cadence
from tracker.scheduler import in_app

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from tracker.reminders import services
    from tracker.reminders.models import OutboxMessage

log = logging.getLogger(__name__)

DELIVERY_BATCHES = 10


def register(scheduler: BaseScheduler, app: Flask) -> None:
    remind_at = app.config["TRACKER_REMIND_AT"]
    digest_day, digest_at = app.config["TRACKER_DIGEST_CRON"]
    started = datetime.now(_zone(app))
    common = dict(coalesce=True, max_instances=1, replace_existing=True)
    scheduler.add_job(in_app(app, sweep_job), "cron", hour=remind_at.hour, minute=remind_at.minute,
                      id="reminders.sweep", next_run_time=started, **common)
    scheduler.add_job(in_app(app, digest_job), "cron", day_of_week=digest_day, hour=digest_at.hour,
                      minute=digest_at.minute, id="reminders.digest", next_run_time=started, **common)
    scheduler.add_job(in_app(app, deliver_job), "interval", seconds=app.config["TRACKER_DELIVER_EVERY_SECONDS"],
                      id="reminders.deliver", **common)


def sweep_job() -> None:
    remind(today=clock.today(), now=clock.now())
    deliver_outbox(now=clock.now())


def digest_job() -> None:
    now = clock.now()
    day, at = current_app.config["TRACKER_DIGEST_CRON"]
    if rules.digest_is_due(now, day, at):
        send_digests(today=now.date(), now=now)


def deliver_job() -> None:
    deliver_outbox(now=clock.now())


@dataclass(frozen=True)
class Summary:
    decided: int
    queued: tuple[services.Queued, ...]
    no_address: tuple[str, ...]


def remind(*, today: date, now: datetime, dry_run: bool = False) -> Summary:
    """Decides today's reminders and commits them with their outbox rows (rolls back on dry_run)."""
    # imported here: `tracker deliver` needs none of them
    from tracker.reminders import services
    from tracker.supervision.services import raise_ignored_escalations
    from tracker.supervision.settings import configured_ladder

    try:
        decided = services.sweep(db.session, today=today, now=now, cadence=Cadence.from_config(current_app.config),
                                 base_url=current_app.config["TRACKER_BASE_URL"])
        raise_ignored_escalations(db.session, today=today, now=now, ladder=configured_ladder(),
                                  base_url=current_app.config["TRACKER_BASE_URL"])
        summary = Summary(len(decided.reminders), tuple(decided.messages), tuple(decided.no_address))
    except BaseException:
        db.session.rollback()
        raise
    _finish(dry_run)
    log.info("reminders %s: %d decided, %d e-mail(s), %d unit(s) without address", today,
             summary.decided, len(summary.queued), len(summary.no_address))
    return summary


def send_digests(*, today: date, now: datetime, dry_run: bool = False) -> Summary:
    """This week's digest of every plan (once per plan and week)."""
    from tracker.plans.models import Plan
    from tracker.reminders import digest

    try:
        decided = [d for plan in db.session.scalars(select(Plan).order_by(Plan.id))
                   if (d := digest.send_digest(db.session, plan, today=today, now=now,
                                               base_url=current_app.config["TRACKER_BASE_URL"])) is not None]
        summary = Summary(len(decided), tuple(_queued(d.message) for d in decided if d.message_key),
                          tuple(d.plan.title for d in decided if d.message_key is None))
    except BaseException:
        db.session.rollback()
        raise
    _finish(dry_run)
    return summary


@dataclass(frozen=True)
class Attempt:
    subject: str
    recipients: tuple[str, ...]
    attempts: int
    error: str


@dataclass(frozen=True)
class Delivered:
    configured: bool
    sent: tuple[Attempt, ...] = ()
    failed: tuple[Attempt, ...] = ()
    waiting: int = 0                       # still to send, waiting for their retry time
    next_retry_at: datetime | None = None


def deliver_outbox(*, now: datetime) -> Delivered:
    """Sends what is due, batch after batch (delivery commits after each message)."""
    settings = delivery.SmtpSettings.from_config(current_app.config)
    sent: list[Attempt] = []
    failed: list[Attempt] = []
    for _ in range(DELIVERY_BATCHES):
        try:
            batch = delivery.deliver(db.session, settings=settings, now=now)
            sent += [_attempt(m) for m in batch.sent]
            failed += [_attempt(m) for m in batch.failed]
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        if batch.unreachable or batch.due < delivery.BATCH:
            break
    waiting, next_at = queries.count_waiting_for_retry(db.session, now=now)
    db.session.commit()
    log.info("delivery: %d sent, %d failed, %d waiting for retry%s", len(sent), len(failed), waiting,
             f" (next at {next_at.astimezone(clock.zone()):%Y-%m-%d %H:%M})" if next_at else "")
    return Delivered(settings.configured, tuple(sent), tuple(failed), waiting, next_at)


def _attempt(message: delivery.Outcome) -> Attempt:
    recipients = (*message.to_addrs, *message.cc_addrs) or (message.recipient_name,)
    return Attempt(message.subject, recipients, message.attempts, message.last_error)


def _queued(message: OutboxMessage) -> services.Queued:
    from tracker.reminders import services

    return services.Queued(message.subject, tuple(message.to_addrs), tuple(message.cc_addrs), message.message_id)


def _finish(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()


def _zone(app: Flask):
    from zoneinfo import ZoneInfo

    return ZoneInfo(app.config["TRACKER_TIMEZONE"])
