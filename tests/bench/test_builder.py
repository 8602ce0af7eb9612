"""The benchmark builder, at a tiny scale: the same options give the same database."""
from __future__ import annotations

import hashlib
import random

from sqlalchemy import func, select, text

from tracker.bench import builder, shape
from tracker.bench.shape import Scale
from tracker.core.workdays import CHINA
from tracker.db import Base
from tracker.plans.models import Assignment, Task
from tracker.reporting.models import Period, Report, ReportVersion, State
from tracker.reporting.obligations import owed

TINY = Scale(tasks=20, sections=4, units=10, periods=4, seed=1)


def build(session, scale: Scale = TINY) -> builder.Built:
    built = builder.build(session, scale, workdays_after=5, calendar=CHINA)
    session.commit()
    return built


def fingerprint(session) -> str:
    """Every row of the plan's tables, in id order, hashed (password hashes are salted: left out)."""
    digest = hashlib.sha256()
    queries = [f'SELECT * FROM "{table}" ORDER BY 1, 2' for table in
               ("unit", "task", "task_unit", "assignment", "period", "report", "report_version", "review")]
    queries.append('SELECT id, username, role, unit_id, email, created_at FROM "user" ORDER BY id')
    for query in queries:
        for row in session.execute(text(query)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def empty(session) -> None:
    session.commit()
    tables = list(reversed(Base.metadata.sorted_tables))
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            session.execute(table.delete())
    session.commit()


def test_the_same_scale_and_seed_build_the_same_database(ctx):
    empty(ctx)  # ids from 1 for both builds: sequences keep what earlier tests on this database drew (xdist order)
    build(ctx)
    first = fingerprint(ctx)
    empty(ctx)
    build(ctx)
    assert fingerprint(ctx) == first


def test_another_seed_builds_another_history(ctx):
    empty(ctx)  # as above: only the seed differs between the two builds
    build(ctx)
    first = fingerprint(ctx)
    empty(ctx)
    build(ctx, Scale(tasks=20, sections=4, units=10, periods=4, seed=2))
    assert fingerprint(ctx) != first


def test_the_tiny_plan_has_its_tasks_units_and_periods(ctx):
    built = build(ctx)
    assert built.counts["task"] == 20
    assert built.counts["unit"] == 10 + 1  # and the collective group
    assert [p.key for p in ctx.scalars(select(Period).order_by(Period.key))] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert built.counts["report"] == ctx.scalar(select(func.count(Report.id))) > 0


def test_every_report_answers_an_obligation(ctx):
    build(ctx)
    rows = ctx.execute(owed()).all()
    answered = {r.report_id for r in rows if r.report_id is not None}
    assert answered == set(ctx.scalars(select(Report.id)))


def test_the_focus_unit_answers_a_tenth_of_the_tasks(ctx):
    build(ctx)
    focus = ctx.scalar(text("SELECT unit_id FROM \"user\" WHERE username = :u"), {"u": builder.unit_user(0)})
    assert ctx.scalar(select(func.count(Assignment.id)).where(Assignment.unit_id == focus)) == TINY.focus_tasks


def test_the_running_quarter_holds_only_drafts_and_past_ones_were_submitted(ctx):
    build(ctx)
    states = dict(ctx.execute(
        select(Period.key, func.count(Report.id)).join(Report, Report.period_id == Period.id)
        .where(Report.state == State.DRAFT).group_by(Period.key)
    ).all())
    assert set(states) <= {"2025Q4"}


def test_each_version_of_a_report_is_numbered_from_one(ctx):
    build(ctx)
    highest = dict(ctx.execute(select(ReportVersion.report_id, func.max(ReportVersion.number))
                               .group_by(ReportVersion.report_id)).all())
    assert highest == dict(ctx.execute(select(Report.id, Report.version)).all())


def test_a_third_of_the_tasks_name_the_collective_group():
    tasks = shape.tasks(Scale(tasks=300), random.Random(1))
    assert sum(shape.GROUP in t.units for t in tasks) == 100


def test_no_task_is_closed_before_its_first_quarter():
    scale = Scale(tasks=300)
    first = shape.quarters(scale)[0].starts_on
    assert all(t.closed_on is None or t.closed_on > first for t in shape.tasks(scale, random.Random(1)))


def test_task_ids_follow_the_plan_order(ctx):
    build(ctx)
    assert list(ctx.scalars(select(Task.number).order_by(Task.id))) == [str(n) for n in range(1, 21)]
