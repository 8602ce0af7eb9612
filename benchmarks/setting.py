"""What a benchmark ran on and against: the machine, the versions, the load, and the data.

Shared by run.py (in-process) and http.py (over gunicorn), so their tables carry the same header.
"""
from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
from datetime import datetime

from tracker.bench import schema, shape
from tracker.bench.cli import bench_app, build_database, default_url
from tracker.bench.shape import Scale

SCALES = {1: Scale(), 4: Scale(tasks=8000, units=1200)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--database-url, --scale, --tasks, --units: which data, at which size."""
    parser.add_argument("--database-url", help="default: instance/bench.db (SQLite), instance/bench4.db at --scale 4")
    parser.add_argument("--scale", type=int, choices=sorted(SCALES), default=1,
                        help="1: 2,000 tasks and 300 units; 4: 8,000 tasks and 1,200 units")
    parser.add_argument("--tasks", type=int, help="instead of --scale: this many tasks (tracker bench-data --tasks)")
    parser.add_argument("--units", type=int, help="with --tasks: this many units")


def chosen(args: argparse.Namespace) -> tuple[str, Scale]:
    scale = SCALES[args.scale]
    if args.tasks or args.units:
        scale = Scale(tasks=args.tasks or scale.tasks, units=args.units or scale.units)
    if args.database_url:
        return args.database_url, scale
    name = "bench.db" if scale == SCALES[1] else "bench4.db" if scale == SCALES[4] else \
        f"bench-{scale.tasks}-{scale.units}.db"
    return default_url().replace("bench.db", name), scale


class NotBuilt(Exception):
    """The database does not hold the benchmark plan at this size, and building it was not asked for."""


def ensure_data(url: str, scale: Scale, echo=print, *, build: bool = True) -> None:
    """Builds the benchmark plan at `scale` unless the database already holds it (same tasks and units);
    migrates one that does to the newest schema first. Without `build`, raises NotBuilt instead."""
    from sqlalchemy import func, inspect, select

    from tracker.db import db
    from tracker.plans.models import Plan, Task, Unit
    from tracker.reporting.models import Report

    app = bench_app(url)
    with app.app_context():
        plan = inspect(db.engine).has_table("plan") and db.session.scalar(
            select(Plan.id).where(Plan.key == shape.PLAN_KEY))
        if plan:
            upgraded = upgrade(db.session)
            if upgraded:
                echo(f"data: migrated {upgraded}")
        counts = (db.session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan)),
                  db.session.scalar(select(func.count(Unit.id))) - 1,  # less the collective group
                  db.session.scalar(select(func.count(Report.id)))) if plan else (0, 0, 0)
        lagging = schema.missing_in_database() if plan else []
        unfilled = empty_tables(db.session) if plan and not lagging else []
        db.engine.dispose()
    why = ""
    if not plan:
        why = "no benchmark plan here"
    elif lagging:
        why = f"the models have changed since the build ({', '.join(lagging[:4])}…)"
    elif counts[:2] != (scale.tasks, scale.units):
        why = f"it holds {counts[0]:,} tasks and {counts[1]:,} units, not {scale.tasks:,} and {scale.units:,}"
    if not why:
        echo(f"data: {counts[0]:,} tasks, {counts[1]:,} units, {counts[2]:,} reports "
             f"(rebuild: tracker bench-data --database-url URL)")
        if unfilled:
            echo(f"data: WARNING: empty table(s) {', '.join(unfilled)}: if the application keeps them current, "
                 "the builder (tracker/bench/builder.py) or their migration must fill them, or the figures are wrong")
        return
    if not build:
        raise NotBuilt(f"{why} (build: tracker bench-data --tasks {scale.tasks} --units {scale.units} "
                       f"--database-url URL)")
    echo(f"data: {why}; building it (tracker bench-data --tasks {scale.tasks} --units {scale.units}) …")
    built = build_database(url, scale, echo=echo)
    echo(f"data: built in {built.counts['seconds']} s: {built.counts['report']:,} reports")


def upgrade(session) -> str:
    """Applies the migrations newer than the database's (a bench database built before the last
    merge, say): they add what the models gained and fill it, as on a production database, so a
    new migration costs no rebuild. "" when it was at the head already (or was built without
    migrations: then the models' check decides)."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask import current_app
    from sqlalchemy import inspect

    from tracker.extensions import bind_migrations
    from tracker.plans.cli import upgrade_schema

    if not inspect(session.connection()).has_table("alembic_version"):
        return ""

    def current() -> str | None:
        return MigrationContext.configure(session.connection()).get_current_revision()

    before = current()
    session.rollback()
    bind_migrations(current_app)
    if before in ScriptDirectory(current_app.extensions["migrate"].directory).get_heads():
        return ""
    upgrade_schema()
    after = current()
    session.rollback()
    return "" if after == before else f"{before} → {after}"


# Tables the benchmark plan leaves empty on purpose: what the measured writes, the office's
# own actions and the jobs create (an item makes and deletes its own rows). A table of the
# models not named here and empty after a build is one the builder does not fill.
EMPTY_BY_DESIGN = frozenset({
    "api_token", "audit_entry", "channel_endpoint", "digest", "escalation", "escalation_response", "escalation_unit",
    "evidence", "extension", "flag", "light_rule_set", "login_failure", "milestone", "notice", "notice_setting",
    "outbox_message", "password_history", "peer_figure", "recovery_code", "reminder", "score_rule_set",
    "sso_request", "status_update",
})


def empty_tables(session) -> list[str]:
    """The models' tables with no row, less those the benchmark plan leaves empty on purpose."""
    from sqlalchemy import exists, select

    from tracker.db import Base

    found = [t.name for t in Base.metadata.sorted_tables
             if t.name not in EMPTY_BY_DESIGN and not session.scalar(select(exists().select_from(t)))]
    session.rollback()
    return found


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def database_version(url: str) -> str:
    if url.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}"
    from sqlalchemy import text

    from tracker.db import db

    app = bench_app(url)
    with app.app_context():
        found = db.session.scalar(text("SHOW server_version"))
        db.engine.dispose()
    return f"PostgreSQL {found.split()[0]}"


def machine() -> str:
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return (f"nproc {nproc}, {total} RAM, {platform.python_implementation()} {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version} (Python's), {platform.system()} {platform.release()}")


def header(url: str, scale: Scale, what: str, load_before: str) -> list[str]:
    """The lines above a pasted table: date, machine, database and data, load average before and after."""
    return [f"**{what}**, {datetime.now().astimezone().isoformat(timespec='minutes')}: {machine()}.",
            f"Database {database_version(url)} ({url.split('@')[-1].split('/')[-1]}), "
            f"{scale.tasks:,} tasks, {scale.units:,} units, today {shape.TODAY}. "
            f"Load average (1, 5, 15 min) before {load_before}, after {load()}.",
            ""]

