"""`tracker demo`: one command from a fresh clone to a working, populated site."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

DEMO_TODAY = date(2024, 11, 20)
DEMO_FIRST_OWED = "2023Q1"


def build_demo(app) -> list[tuple[str, str, str]]:
    """Schema, plan, accounts and history in app's database; returns the accounts."""
    from tracker import clock
    from tracker.db import db
    from tracker.demo.accounts import create_demo_accounts
    from tracker.domains import DOMAINS, optional_module
    from tracker.plans.cli import DEFAULT_SEED, seed_plan, upgrade_schema

    with app.app_context():
        upgrade_schema()
        plan, _ = seed_plan(json.loads(DEFAULT_SEED.read_text(encoding="utf-8")), actor="demo")
        plan.first_owed_period = DEMO_FIRST_OWED
        accounts = create_demo_accounts(db.session, now=clock.now())
        # Each domain's demo.py fills its own history, in dependency order.
        for name in DOMAINS:
            module = optional_module(name, "demo")
            if module is not None:
                module.fill(db.session, plan, today=clock.today())
        db.session.commit()
    return accounts


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=DEMO_TODAY.isoformat(), show_default=True,
              help="The demo's fixed date.")
@click.option("--no-serve", is_flag=True, help="Build the demo database and stop.")
@click.option("--reuse", is_flag=True,
              help="Serve the demo database already in the instance folder instead of building it afresh.")
def demo_command(host: str, port: int, today, no_serve: bool, reuse: bool):
    """Build a fresh demo database (instance/demo.db) and serve it."""
    from tracker.app import create_app
    from tracker.demo.accounts import ACCOUNTS, PASSWORD

    probe = create_app()
    path = Path(probe.instance_path) / "demo.db"
    reused = reuse and path.exists()
    if not reused:
        for stale in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
            stale.unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TRACKER_TODAY": today.date(),
                      "TRACKER_SCHEDULER": True})
    if reused:
        accounts = [(username, role.value, unit or "-") for username, role, unit, _ in ACCOUNTS]
    else:
        accounts = build_demo(app)
    click.echo(f"demo database: {path}{' (reused)' if reused else ''}")
    click.echo(f"demo date: {today.date().isoformat()}")
    click.echo(f"accounts (password for all: {PASSWORD}):")
    for username, role, unit in accounts:
        click.echo(f"  {username:<10} {role:<10} {unit}")
    if no_serve:
        return
    from tracker.scheduler import start_in_process

    start_in_process(app)
    click.echo(f"serving on http://{host}:{port}/  (Ctrl+C stops)")
    # Not app.run(): Flask ignores it inside its own CLI.
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False)
