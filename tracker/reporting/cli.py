"""`tracker periods recompute`: due dates counted again once a newer official calendar is installed."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.core.workdays import CHINA
from tracker.db import db
from tracker.reporting.schedule import recompute_due_dates


def recompute() -> list:
    """Every computed due date counted again (hand-set ones are kept); the caller commits."""
    return recompute_due_dates(db.session, workdays_after=current_app.config["TRACKER_DUE_WORKDAYS"], calendar=CHINA)


@click.group("periods")
def periods() -> None:
    """Reporting periods and their due dates."""


@periods.command("recompute")
@with_appcontext
def recompute_command():
    """Recompute stored due dates that were computed, not set by hand."""
    changed = recompute()
    db.session.commit()
    for period in changed:
        note = " (provisional: Monday–Friday)" if period.due_provisional else ""
        click.echo(f"{period.key} (plan {period.plan_id}): due {period.due_on.isoformat()}{note}")
    click.echo(f"{len(changed)} due date(s) changed")


commands = [periods]
