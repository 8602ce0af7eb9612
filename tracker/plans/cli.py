"""`tracker init` and `tracker seed`: the schema and the plan."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import clock
from tracker.assets import asset_path
from tracker.core.workdays import CHINA
from tracker.db import db
from tracker.domains import DOMAINS, optional_module
from tracker.plans import services
from tracker.reporting.schedule import ensure_periods

DEFAULT_SEED = asset_path("seed_tasks.json")


def upgrade_schema() -> None:
    """Creates or upgrades the schema to the newest migration."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)


def seed_plan(seed: dict, *, actor: str = "cli"):
    """Loads a plan, its periods and every domain's seed part (tracker/<domain>/seed.py); the caller commits."""
    now = clock.now()
    plan, changes = services.load_seed(db.session, seed, actor=actor, now=now)
    ensure_periods(db.session, plan, workdays_after=current_app.config["TRACKER_DUE_WORKDAYS"], calendar=CHINA)
    for name in DOMAINS:
        module = optional_module(name, "seed")
        if module is not None:
            module.load(db.session, plan, seed, changes, actor=actor, now=now)
    return plan, changes


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database schema."""
    upgrade_schema()
    click.echo(f"schema up to date: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("seed")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@with_appcontext
def seed_command(path: Path | None):
    """Load a plan from seed JSON (default: seed_tasks.json); safe to run again."""
    path = path or DEFAULT_SEED
    try:
        seed = json.loads(path.read_text(encoding="utf-8"))
        plan, changes = seed_plan(seed)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path}: not a seed JSON file ({error})") from None
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
commands = [init_command, seed_command]
