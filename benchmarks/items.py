"""The nine measurements. Each returns a Result; a domain not built yet gives "n/a (not implemented)".

Pages go through the Flask test client in-process with sessions logged in through the
real login form; the API with a bearer token made by the API's own service.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from inspect import signature
from zoneinfo import ZoneInfo

import floors
from flask import Flask
from measure import Result, repeat
from sqlalchemy import func, inspect, select
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tracker.accounts.models import User
from tracker.bench import builder, shape
from tracker.db import Base, db
from tracker.plans.models import Assignment, Duty, Plan, Task
from tracker.reporting.models import Period, Report
from tracker.reporting.periods import reporting_quarter

ZONE = ZoneInfo("Asia/Shanghai")
NOT_IMPLEMENTED = "n/a (not implemented)"


class Missing(Exception):
    """A part of the application the measurement needs is not there (yet)."""


def optional(module: str, name: str | None = None):
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as error:
        raise Missing(f"{module} missing") from error
    if name is None:
        return found
    if not hasattr(found, name):
        raise Missing(f"{module}.{name} missing")
    return getattr(found, name)


@dataclass
class Context:
    app: Flask
    repeat: int
    warmup: int
    plan_id: int
    period: Period             # the latest overdue quarter (2025Q3)
    frame: floors.Frame
    supervisor: object         # logged-in test clients
    unit: object
    unit_id: int


def route_exists(app: Flask, path: str, method: str = "GET") -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?")[0], method=method)
    except (NotFound, MethodNotAllowed):
        return False
    return True


def logged_in(app: Flask, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": shape.PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {response.status_code}")
    return client


def prepare(app: Flask, *, repeat_count: int, warmup: int) -> Context:
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.key == shape.PLAN_KEY))
        periods = {p.key: p for p in db.session.scalars(select(Period).where(Period.plan_id == plan.id))}
        latest = periods[reporting_quarter(shape.TODAY).key]
        previous = periods[latest.quarter.previous().key]
        frame = floors.Frame(plan_id=plan.id, today=shape.TODAY, period_id=latest.id, previous_id=previous.id,
                             expected=_expected(plan, periods.values()), behind_by=_behind_by(),
                             office_tables=all(inspect(db.engine).has_table(t) for t in ("flag", "escalation")))
        unit_id = db.session.scalar(select(User.unit_id).where(User.username == builder.unit_user(0)))
        db.session.expunge_all()
    return Context(app, repeat_count, warmup, plan.id, latest, frame, logged_in(app, shape.SUPERVISOR),
                   logged_in(app, builder.unit_user(0)), unit_id)


def _expected(plan: Plan, periods) -> dict[str, int]:
    try:
        time_share = optional("tracker.supervision.lights", "time_share")
    except Missing:
        return {}
    starts, ends = date(plan.start_year, 1, 1), date(plan.end_year, 12, 31)
    return {p.key: round(time_share(starts, ends, p.ends_on) * 100) for p in periods}


def _behind_by() -> int:
    try:
        return optional("tracker.supervision.settings", "configured_rules")().behind_by_points
    except Missing:
        return 20


def _get(client, path: str, headers: dict | None = None, expect: int = 200):
    def run():
        response = client.get(path, headers=headers or {})
        if response.status_code != expect:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        response.get_data()
        return response
    return run


def _floor(ctx: Context, query) -> list[float]:
    """The fastest of the floor's formulations (see floors.variants), timed like the page."""
    best: list[float] = []
    with ctx.app.app_context():
        with db.engine.connect() as connection:
            for variant in floors.variants(query):
                times = repeat(lambda variant=variant: variant(connection, ctx.frame), times=ctx.repeat, warmup=ctx.warmup)
                if not best or sorted(times)[len(times) // 2] < sorted(best)[len(best) // 2]:
                    best = times
    return best


def page(ctx: Context, result: Result, client, path: str, floor=None) -> Result:
    if not route_exists(ctx.app, path):
        raise Missing(f"no route {path}")
    result.times = repeat(_get(client, path), times=ctx.repeat, warmup=ctx.warmup, cpu=result.cpu_times)
    if floor is not None:
        result.floor_times = _floor(ctx, floor)
    return result


def dashboard(ctx: Context, result: Result) -> Result:
    page(ctx, result, ctx.supervisor, "/supervision", floors.dashboard)
    try:
        result.note = _check_colours(ctx)
    except Missing:
        result.note = "light counts not compared: tracker.supervision.queries.list_lights missing"
    return result


def lagging(ctx: Context, result: Result) -> Result:
    return page(ctx, result, ctx.supervisor, "/supervision/lagging", floors.lagging)


def workspace(ctx: Context, result: Result) -> Result:
    return page(ctx, result, ctx.unit, "/workspace")


def report_page(ctx: Context, result: Result) -> Result:
    return page(ctx, result, ctx.unit, f"/workspace/{ctx.period.key}")


def _check_colours(ctx: Context) -> str:
    """The floor must give the application's figures: compare the colour counts."""
    list_lights = optional("tracker.supervision.queries", "list_lights")
    with ctx.app.app_context():
        counts: dict[str, int] = {}
        for lit in list_lights(db.session, ctx.plan_id, today=shape.TODAY).values():
            counts[lit.colour.value] = counts.get(lit.colour.value, 0) + 1
        with db.engine.connect() as connection:
            floor = floors.colour_counts(connection, ctx.frame)
    shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return f"lights {shown}" + ("" if counts == floor else f" — FLOOR DIFFERS: {sorted(floor.items())}")


def api_token(ctx: Context, username: str) -> str:
    create_token = optional("tracker.api.tokens", "create_token")
    with ctx.app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _, secret = create_token(db.session, user=user, name="bench", actor=user, now=datetime.now(ZONE))
        db.session.commit()
    return secret


def compliance(ctx: Context, result: Result) -> Result:
    path = f"/api/v1/compliance?period={ctx.period.key}"
    if not route_exists(ctx.app, path):
        raise Missing("no route /api/v1/compliance")
    headers = {"Authorization": f"Bearer {api_token(ctx, shape.SUPERVISOR)}"}
    result.times = repeat(_get(ctx.supervisor, path, headers), times=ctx.repeat, warmup=ctx.warmup,
                          cpu=result.cpu_times)
    result.floor_times = _floor(ctx, floors.tally)
    body = ctx.supervisor.get(path, headers=headers).get_json()
    app_total = [sum(u[k] for u in body["units"]) for k in ("owed", "submitted", "late")]
    with ctx.app.app_context(), db.engine.connect() as connection:
        rows = floors.tally(connection, ctx.frame)
    floor_total = [sum(int(r[i]) for r in rows) for i in (2, 3, 4)]
    result.note = (f"{ctx.period.key}: owed/submitted/late {app_total[0]}/{app_total[1]}/{app_total[2]} "
                   f"over {len(body['units'])} units" + ("" if app_total == floor_total else
                                                          f" — FLOOR DIFFERS: {floor_total}"))
    return result


def submit(ctx: Context, result: Result) -> Result:
    """PUT /api/v1/tasks/<n>/reports/<period> with submit: each run a report not written before."""
    if not route_exists(ctx.app, f"/api/v1/tasks/1/reports/{ctx.period.key}", "PUT"):
        raise Missing("no PUT /api/v1/tasks/<n>/reports/<period>")
    headers = {"Authorization": f"Bearer {api_token(ctx, builder.unit_user(0))}"}
    todo = iter(_unreported(ctx, ctx.warmup + ctx.repeat))

    def run():
        number, key, duty = next(todo)
        body = {"status": "on_track", "percent": 50 if duty is Duty.LEAD else None, "progress": "按计划推进，完成阶段目标。",
                "problems": "", "next_steps": "继续推进。", "submit": True}
        response = ctx.unit.put(f"/api/v1/tasks/{number}/reports/{key}", json=body, headers=headers)
        if response.status_code not in (200, 201) or response.get_json()["state"] != "submitted":
            raise RuntimeError(f"PUT report {number} {key}: {response.status_code} {response.get_data(as_text=True)[:200]}")

    result.times = repeat(run, times=ctx.repeat, warmup=ctx.warmup, cpu=result.cpu_times)
    result.note = "PUT /api/v1/tasks/<n>/reports/<period> (save + submit), a new report each run"
    return result


def _unreported(ctx: Context, count: int) -> list[tuple[str, str, Duty]]:
    """The focus unit's obligations with no report at all, newest ended quarter first."""
    with ctx.app.app_context():
        reported = select(Report.id).where(Report.task_id == Assignment.task_id, Report.unit_id == Assignment.unit_id,
                                           Report.period_id == Period.id).exists()
        rows = db.session.execute(
            select(Task.number, Period.key, Assignment.duty)
            .join(Task, Task.id == Assignment.task_id).join(Period, Period.plan_id == Task.plan_id)
            .where(Assignment.unit_id == ctx.unit_id, Period.ends_on < shape.TODAY, ~reported, Task.closed_on.is_(None))
            .order_by(Period.key.desc(), Task.position).limit(count)).all()
    if len(rows) < count:
        raise RuntimeError(f"only {len(rows)} unreported obligations left: rebuild with tracker bench-data")
    return [tuple(r) for r in rows]


def sweep(ctx: Context, result: Result) -> Result:
    """The scheduled sweep on the day after 2025Q3's due date (only that quarter is decided); rolled back."""
    services = optional("tracker.reminders.services")
    cadence = optional("tracker.reminders.rules", "Cadence").from_config(ctx.app.config)
    today = ctx.period.due_on + timedelta(days=1)
    now = datetime.combine(today, clock_time(9), tzinfo=ZONE)
    arguments = dict(today=today, now=now, cadence=cadence, base_url="http://127.0.0.1:5000", sender="tracker@localhost")
    accepted = signature(services.sweep).parameters
    arguments = {k: v for k, v in arguments.items() if k in accepted}
    decided: list = []

    def run():
        with ctx.app.app_context():
            try:
                outcome = services.sweep(db.session, **arguments)
                decided[:] = [len(outcome.reminders), len(outcome.messages)]
            finally:
                db.session.rollback()

    result.times = repeat(run, times=ctx.repeat, warmup=ctx.warmup, cpu=result.cpu_times)
    result.floor_times = _floor(ctx, floors.unsubmitted)
    with ctx.app.app_context(), db.engine.connect() as connection:
        units = len(floors.unsubmitted(connection, ctx.frame))
    result.note = (f"sweep on {today} ({ctx.period.key} one day overdue): {decided[0]} reminders, {decided[1]} mails"
                   f" queued, rolled back; floor: {units} units owe reports" + ("" if decided[0] == units else " — DIFFERS"))
    return result


def snapshot() -> dict[str, int]:
    """Highest id of every table with one: what a measurement added is deleted afterwards."""
    out = {}
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and inspect(db.engine).has_table(table.name):
            out[table.name] = db.session.scalar(select(func.max(table.c.id))) or 0
    db.session.rollback()
    return out


def restore(before: dict[str, int]) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in before:
            db.session.execute(table.delete().where(table.c.id > before[table.name]))
    db.session.commit()
