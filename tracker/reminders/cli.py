"""`tracker remind`, `tracker digest`, `tracker deliver`, `tracker scheduler`.

What was sent (or would be) goes to stdout; logs go to stderr.
"""
from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import clock
from tracker.reminders import jobs

DAY = click.DateTime(["%Y-%m-%d"])


def _when(today: datetime | None) -> tuple:
    """--today D: the run stands on D at the current time of day."""
    now = clock.now()
    if today is not None:
        now = datetime.combine(today.date(), now.timetz())
    return now.date(), now


@click.command("remind")
@click.option("--today", type=DAY, help="Decide as on this day (YYYY-MM-DD); default today.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; decide nothing, send nothing.")
@with_appcontext
def remind_command(today: datetime | None, dry_run: bool) -> None:
    """Decide today's reminders once, then send the outbox."""
    _decide_then_deliver(jobs.remind, today, dry_run)


@click.command("digest")
@click.option("--today", type=DAY, help="Decide as on this day (YYYY-MM-DD); default today.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; decide nothing, send nothing.")
@with_appcontext
def digest_command(today: datetime | None, dry_run: bool) -> None:
    """Queue this week's digest for the supervision office (once a week), then send the outbox."""
    _decide_then_deliver(jobs.send_digests, today, dry_run)


def _decide_then_deliver(decide, today: datetime | None, dry_run: bool) -> None:
    """One run of a deciding job, printed; then the outbox is sent (not on a dry run)."""
    day, now = _when(today)
    _print_summary(decide(today=day, now=now, dry_run=dry_run), dry_run)
    if not dry_run:
        _print_delivery(jobs.deliver_outbox(now=now))


@click.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """Send the e-mails waiting in the outbox."""
    _print_delivery(jobs.deliver_outbox(now=clock.now()))


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduled jobs in this process (production: one beside the web server)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from tracker.scheduler import build

    scheduler = build(current_app._get_current_object(), BlockingScheduler)
    for job in scheduler.get_jobs():
        click.echo(f"job {job.id}: {job.trigger}")
    click.echo("scheduler running (Ctrl+C stops)")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("scheduler stopped")


def _print_summary(summary: jobs.Summary, dry_run: bool) -> None:
    verb = "would send" if dry_run else "queued"
    for queued in summary.queued:
        cc = f" (cc {', '.join(queued.cc)})" if queued.cc else ""
        click.echo(f"{verb}: {queued.subject} → {', '.join(queued.to)}{cc}")
    for name in summary.no_address:
        click.echo(f"no address: {name}")
    click.echo(f"{summary.decided} decided, {len(summary.queued)} e-mail(s) {verb}, "
               f"{len(summary.no_address)} without address" + (" (dry run: nothing kept)" if dry_run else ""))


def _print_delivery(result: jobs.Delivered) -> None:
    if not result.configured:
        click.echo("SMTP not configured (TRACKER_SMTP_HOST): e-mails wait in the outbox (/admin/outbox)")
        if not result.sent and not result.failed:
            return
    for sent in result.sent:
        click.echo(f"sent: {sent.subject} → {', '.join(sent.recipients)}")
    for failed in result.failed:
        click.echo(f"failed (attempt {failed.attempts}): {failed.subject}: {failed.error}")
    line = f"{len(result.sent)} sent, {len(result.failed)} failed"
    if result.waiting:
        line += (f", {result.waiting} waiting for retry until "
                 f"{result.next_retry_at.astimezone(clock.zone()):%Y-%m-%d %H:%M}")
    click.echo(line)


commands = [remind_command, digest_command, deliver_command, scheduler_command]
