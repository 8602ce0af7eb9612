"""`tracker periods recompute` (due dates counted again once a newer official calendar is installed) and
`tracker evidence prune-orphans` (evidence files that no report refers to)."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import clock
from tracker.core.workdays import CHINA
from tracker.db import db
from tracker.reporting.evidence_changes import list_orphan_files
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


@click.group("evidence")
def evidence() -> None:
    """Evidence files (佐证材料) on disk."""


@evidence.command("prune-orphans")
@click.option("--dry-run", is_flag=True, help="List the orphan files, delete nothing.")
@click.option("--min-age-minutes", default=60, show_default=True, type=click.IntRange(min=0),
              help="Leave files younger than this alone (a save may still be writing them).")
@with_appcontext
def prune_orphans(dry_run: bool, min_age_minutes: int) -> None:
    """Delete files in TRACKER_UPLOAD_DIR that no evidence row names (left by rolled-back saves)."""
    orphans = list_orphan_files(db.session, current_app.config["TRACKER_UPLOAD_DIR"], now=clock.wall_now(),
                                min_age=timedelta(minutes=min_age_minutes))
    for path in orphans:
        if dry_run:
            click.echo(f"would delete {path.name} ({path.stat().st_size} bytes)")
        else:
            path.unlink(missing_ok=True)
            click.echo(f"deleted {path.name}")
    click.echo(f"{len(orphans)} orphan file(s){' found' if dry_run else ' deleted'}.")


commands = [periods, evidence]
