"""`tracker bench-data`: the scaled benchmark database (see README, Benchmarks)."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask

from tracker.bench import builder, schema, shape
from tracker.bench.shape import Scale

BENCH_RATE_LIMIT = "1000000 per minute"
BENCH_IDLE_MINUTES = 24 * 60

def default_url() -> str:
    """instance/bench.db: never the application's own database, which the builder would wipe."""
    from tracker.app import create_app

    return f"sqlite:///{Path(create_app().instance_path) / 'bench.db'}"


def bench_app(url: str) -> Flask:
    """The application on the benchmark database, on the benchmark's fixed day; the API's rate
    limit (still counted) set high enough that thousands of timed calls are answered, not refused,
    and sessions that outlive the idle timeout while other items are measured."""
    from tracker.app import create_app
    from tracker.config import normalise_database_url

    return create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "TRACKER_TODAY": shape.TODAY,
                       "TRACKER_SCHEDULER": False, "TRACKER_SMTP_HOST": None,
                       "TRACKER_API_RATE_LIMIT": BENCH_RATE_LIMIT, "TRACKER_SESSION_IDLE_MINUTES": BENCH_IDLE_MINUTES})


def build_database(url: str, scale: Scale, *, force: bool = False,
                   echo: Callable[[str], None] = click.echo) -> builder.Built:
    """Wipes the database at `url` and builds the benchmark plan into it; commits."""
    from tracker.core.workdays import CHINA
    from tracker.db import db

    app = bench_app(url)
    with app.app_context():
        others = builder.foreign_plans(db.session)
        if others and not force:
            raise builder.NotABenchDatabase(f"the database holds other plans ({', '.join(others[:3])}); "
                                            "pass --force to wipe it")
        started = time.perf_counter()
        builder.drop_everything(db.session)
        echo(schema.create())
        built = builder.build(db.session, scale, workdays_after=app.config["TRACKER_DUE_WORKDAYS"], calendar=CHINA)
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
        else:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        built.counts["seconds"] = round(time.perf_counter() - started)
        db.session.remove()
        db.engine.dispose()
    return built


@click.command("bench-data")
@click.option("--tasks", default=Scale.tasks, show_default=True)
@click.option("--sections", default=Scale.sections, show_default=True)
@click.option("--units", default=Scale.units, show_default=True)
@click.option("--periods", default=Scale.periods, show_default=True, help="quarters, ending with 2025Q4")
@click.option("--seed", default=Scale.seed, show_default=True)
@click.option("--database-url", default=None, help="default: instance/bench.db (SQLite)")
@click.option("--force", is_flag=True, help="wipe a database that holds another plan")
def bench_data_command(tasks, sections, units, periods, seed, database_url, force):
    """Build the scaled benchmark database (wipes it first), the same for the same options."""
    if min(tasks, sections, units, periods) < 1 or units < 6:
        raise click.BadParameter("every count must be positive, and --units at least 6")
    url = database_url or default_url()
    try:
        built = build_database(url, Scale(tasks, sections, units, periods, seed), force=force)
    except builder.NotABenchDatabase as refused:
        raise click.ClickException(str(refused)) from None
    for note in built.notes:
        click.echo(note)
    click.echo(", ".join(f"{name} {count:,}" for name, count in built.counts.items() if name != "seconds"))
    click.echo(f"built in {built.counts['seconds']} s: {url}; today {shape.TODAY}; "
               f"supervisor {shape.SUPERVISOR}, unit with {Scale(tasks).focus_tasks} tasks {built.focus_username}, "
               f"password {shape.PASSWORD}")


commands = [bench_data_command]
