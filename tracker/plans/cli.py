"""`tracker init` and `tracker seed`: the schema and the plan."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import clock
from tracker.assets import asset_path
from tracker.core.errors import Conflict, Invalid
from tracker.core.quarters import Quarter
from tracker.db import db
from tracker.domains import DOMAINS, optional_module
from tracker.plans import lifecycle, queries, services
from tracker.plans.models import Plan

DEFAULT_SEED = asset_path("seed_tasks.json")


def upgrade_schema() -> None:
    """Creates or upgrades the schema to the newest migration."""
    from flask_migrate import upgrade

    from tracker.extensions import bind_migrations

    bind_migrations(current_app)
    upgrade(directory=current_app.extensions["migrate"].directory)


def seed_plan(seed: dict, *, actor: str = "cli", first_period: str | None = None):
    """Loads a plan and every domain's seed part (tracker/<domain>/seed.py: the periods are reporting's); the caller commits.

    `first_period` ("2026Q1"): nothing before it is owed; default the plan's first quarter.
    Raises Invalid for a quarter outside the plan's years.
    """
    now = clock.now()
    plan, changes = services.load_seed(db.session, seed, actor=actor, now=now)
    if first_period is not None and first_period != plan.first_owed_period:
        lifecycle.set_first_owed_period(db.session, plan, first_period, actor=actor, now=now)
    for name in DOMAINS:
        module = optional_module(name, "seed")
        if module is not None:
            module.load(db.session, plan, seed, changes, actor=actor, now=now)
    return plan, changes


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database schema; each domain's seed part may then refresh what it derived."""
    upgrade_schema()
    click.echo(f"schema up to date: {db.engine.url.render_as_string(hide_password=True)}")
    said = [line for name in DOMAINS if (module := optional_module(name, "seed")) and hasattr(module, "refresh")
            for line in module.refresh(db.session)]
    db.session.commit()
    for line in said:
        click.echo(line)


@click.command("seed")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("--first-period", metavar="QUARTER",
              help="The first quarter owed, e.g. 2026Q1 (default: the plan's first quarter).")
@with_appcontext
def seed_command(path: Path | None, first_period: str | None):
    """Load a plan from seed JSON (default: seed_tasks.json); safe to run again."""
    path = path or DEFAULT_SEED
    if first_period is not None:
        try:
            first_period = Quarter.parse(first_period).key
        except ValueError:
            raise click.BadParameter("expected a quarter such as 2026Q1", param_hint="--first-period") from None
    try:
        seed = json.loads(path.read_text(encoding="utf-8"))
        plan, changes = seed_plan(seed, first_period=first_period)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path}: not a seed JSON file ({error})") from None
    except Invalid as error:
        db.session.rollback()
        raise click.BadParameter(error.template % error.params if error.params else error.template,
                                 param_hint="--first-period") from None
    except (KeyError, ValueError, TypeError) as error:
        db.session.rollback()
        raise click.ClickException(f"{path}: seed data incomplete or invalid ({error!r})") from None
    db.session.commit()
    if not changes.changed:
        click.echo(f"{plan.title}: unchanged")
        return
    click.echo(f"{plan.title}: {len(changes.created)} created, {len(changes.updated)} updated")
    for line in changes.updated:
        click.echo(f"  updated {line}")
@click.group("plans")
def plans_command() -> None:
    """The plans: several may be active at once; an ended one is archived."""


@plans_command.command("list")
@with_appcontext
def list_command():
    """Every plan: id, years, state, first owed quarter and counts."""
    for s in queries.list_plan_summaries(db.session):
        plan = s.plan
        state = plan.state.value + (f" {plan.archived_on.isoformat()}" if plan.archived_on else "")
        click.echo(f"{plan.id}\t{plan.title}\t{plan.years}\t{state}\tfirst {plan.first_owed_period or f'{plan.start_year}Q1'}"
                   f"\t{s.tasks} tasks ({s.closed} closed)\t{s.units} units")


@plans_command.command("archive")
@click.argument("plan_id", type=int)
@with_appcontext
def archive_command(plan_id: int):
    """Archive plan ID: read-only from today; no more obligations, reminders or lights."""
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise click.ClickException(f"no plan {plan_id} (see: tracker plans list)")
    try:
        lifecycle.archive_plan(db.session, plan, actor="cli", today=clock.today(), now=clock.now())
    except Conflict:
        raise click.ClickException(f"plan {plan_id} is already archived") from None
    db.session.commit()
    click.echo(f"{plan.title}: archived on {plan.archived_on.isoformat()}")


commands = [init_command, seed_command, plans_command]
