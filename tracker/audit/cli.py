"""`tracker audit list|export|verify|prune`: the audit log from the command line."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from tracker import clock
from tracker.audit import exports, queries, services
from tracker.core.audit import record
from tracker.core.errors import NotAllowed
from tracker.db import db

audit = AppGroup("audit", help="Read, export, verify and prune the audit log.")


def _filter_options(command):
    for option in (click.option("--actor", default=""), click.option("--unit", default=""),
                   click.option("--action", default="", help="an action code or its prefix, e.g. login."),
                   click.option("--object", "object_", default="", help="a type, an id, or Type:id"),
                   click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None),
                   click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None)):
        command = option(command)
    return command


def _filters(actor, unit, action, object_, since, until) -> queries.AuditFilter:
    return queries.AuditFilter(actor=actor, unit=unit, action=action, object=object_,
                               since=since.date() if since else None, until=until.date() if until else None)


@audit.command("list")
@_filter_options
@click.option("--limit", default=50, show_default=True)
def list_entries(actor, unit, action, object_, since, until, limit):
    """Print the newest entries, one a line (tab-separated)."""
    page = queries.list_entries(db.session, _filters(actor, unit, action, object_, since, until), zone=clock.zone(),
                                size=limit)
    for e in page.entries:
        click.echo("\t".join([str(e.id), e.at.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M:%S"), e.actor_label,
                              e.role or "-", e.action, f"{e.object_type}:{e.object_id}", e.address or "-"]))
    click.echo(f"{page.total} entries", err=True)


@audit.command("export")
@_filter_options
@click.option("--format", "kind", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-")
def export(actor, unit, action, object_, since, until, kind, output):
    """Write the matching entries, oldest first, as CSV or .xlsx."""
    build = exports.audit_xlsx if kind == "xlsx" else exports.audit_csv
    data = build(queries.iter_entries(db.session, _filters(actor, unit, action, object_, since, until),
                                      zone=clock.zone()), lambda s: s, clock.zone())
    if output == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(output, "wb") as handle:
            handle.write(data)
        click.echo(f"wrote {output}", err=True)


@audit.command("verify")
def verify():
    """Check the hash chain; exit 1 naming the first entry changed, deleted before, or inserted."""
    verdict = queries.check_chain(db.session)
    broken = verdict.broken
    record(db.session, actor="cli", action="audit.verify", object_type="audit", object_id="-", at=clock.now(),
           new={"intact": verdict.intact, "checked": verdict.checked, "head": verdict.head,
                "broken_at": broken.id if broken else None, "kind": broken.kind if broken else None})
    db.session.commit()
    if verdict.intact:
        click.echo(f"chain intact: {verdict.checked} entries, head {verdict.head}")
        return
    words = {"changed": "was changed", "deleted": "follows a deleted entry",
             "inserted": "was inserted out of order"}
    click.echo(f"chain broken at entry {verdict.broken.id}: it {words[verdict.broken.kind]} "
               f"({verdict.checked} entries before it are intact)", err=True)
    raise SystemExit(1)


@audit.command("prune")
@click.option("--before", required=True, type=click.DateTime(["%Y-%m-%d"]), help="delete entries dated before")
def prune(before):
    """Delete old entries (never younger than TRACKER_AUDIT_MIN_DAYS); the pruning is itself recorded."""
    try:
        removed = services.prune(db.session, before=before.date(), actor="cli", now=clock.now(),
                                 min_days=int(current_app.config.get("TRACKER_AUDIT_MIN_DAYS") or 180))
    except NotAllowed as refused:
        click.echo(refused.template % refused.params, err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"removed {removed} entries dated before {before.date().isoformat()}")


commands = [audit]
