"""The measurements of pages, API reads and jobs. A part not built yet gives "n/a (not implemented)".

Pages go through the Flask test client in-process with sessions logged in through the
real login form; the API with a bearer token made by the API's own service. Each page is
timed warm (the same request again and again) and cold: right after a write that changes
the data behind it (`Write`: a unit submits a report it owes), the write not timed and
undone after the run.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
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
    task_number: str = "1"     # a task unit 0 leads, with a report in every quarter
    tokens: dict[str, str] = field(default_factory=dict)   # username → bearer secret
    write: Write | None = None

    def bearer(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


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
    ctx = Context(app, repeat_count, warmup, plan.id, latest, frame, logged_in(app, shape.SUPERVISOR),
                  logged_in(app, builder.unit_user(0)), unit_id)
    try:
        ctx.tokens = {name: api_token(ctx, name) for name in (shape.SUPERVISOR, builder.unit_user(0))}
        ctx.write = Write(ctx)
    except Missing:
        pass  # no API: cold runs and API items say "n/a"
    return ctx


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


FLOOR_RUNS = 10  # the floor's median, per formulation: steady SQL needs fewer runs than a page's p95


def _floor(ctx: Context, query) -> list[float]:
    """The fastest of the floor's formulations (see floors.variants), by median."""
    best: list[float] = []
    with ctx.app.app_context():
        with db.engine.connect() as connection:
            for variant in floors.variants(query):
                times = repeat(lambda variant=variant: variant(connection, ctx.frame), times=min(ctx.repeat, FLOOR_RUNS),
                               warmup=min(ctx.warmup, 1))
                if not best or sorted(times)[len(times) // 2] < sorted(best)[len(best) // 2]:
                    best = times
    return best


def page(ctx: Context, result: Result, client, path: str, floor=None, *, headers: dict | None = None,
         cold: bool = True, times: int | None = None, warmup: int | None = None) -> Result:
    """Warm runs, then (with `cold`) as many right after a write each; the floor once."""
    if not route_exists(ctx.app, path):
        raise Missing(f"no route {path}")
    times, warmup = times or ctx.repeat, ctx.warmup if warmup is None else warmup
    result.times = repeat(_get(client, path, headers), times=times, warmup=warmup, cpu=result.cpu_times)
    if cold and ctx.write is not None:
        result.cold_times = repeat(_get(client, path, headers), times=times, warmup=warmup,
                                   cpu=result.cold_cpu_times, before=ctx.write.apply, after=ctx.write.undo)
    if floor is not None:
        result.floor_times = _floor(ctx, floor)
    return result


def view(who: str, path, floor=None):
    """An item that times one page as the supervisor ("office") or unit 0 ("unit"); path may use ctx."""
    def run(ctx: Context, result: Result) -> Result:
        client = ctx.supervisor if who == "office" else ctx.unit
        return page(ctx, result, client, path(ctx) if callable(path) else path, floor)
    return run


class Write:
    """The write before a cold run: unit 0 submits a report it owes for the latest overdue quarter
    through the API (a light, the compliance figures, the review queue and the unit's own pages
    change); after the run it is deleted again, through the ORM so that whatever the application
    keeps in step with reports (revisions, stored lights) follows. Rotates over a few obligations."""

    def __init__(self, ctx: Context) -> None:
        if not route_exists(ctx.app, f"/api/v1/tasks/1/reports/{ctx.period.key}", "PUT"):
            raise Missing("no PUT /api/v1/tasks/<n>/reports/<period>")
        self.ctx, self.turn, self.before = ctx, 0, {}
        self.owed = [o for o in _unreported(ctx, 40, strict=False) if o[1] == ctx.period.key][:6]
        if not self.owed:
            raise RuntimeError(f"unit 0 owes nothing for {ctx.period.key}: rebuild with tracker bench-data")

    def apply(self) -> None:
        with self.ctx.app.app_context():
            self.before = snapshot()
        number, key, duty = self.owed[self.turn % len(self.owed)]
        self.turn += 1
        submit_report(self.ctx, number, key, duty)

    def undo(self) -> None:
        with self.ctx.app.app_context():
            restore(self.before)


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
    if not route_exists(ctx.app, path) or not ctx.tokens:
        raise Missing("no route /api/v1/compliance")
    headers = ctx.bearer(shape.SUPERVISOR)
    page(ctx, result, ctx.supervisor, path, floors.tally, headers=headers)
    units, following = [], f"{path}&limit=500"
    while following:  # the API pages its units (100 by default): the check adds up every page
        body = ctx.supervisor.get(following, headers=headers).get_json()
        units += body["units"]
        following = body.get("next")
    app_total = [sum(u[k] for u in units) for k in ("owed", "submitted", "late")]
    with ctx.app.app_context(), db.engine.connect() as connection:
        rows = floors.tally(connection, ctx.frame)
    floor_total = [sum(int(r[i]) for r in rows) for i in (2, 3, 4)]
    result.note = (f"{ctx.period.key}: owed/submitted/late {app_total[0]}/{app_total[1]}/{app_total[2]} "
                   f"over {len(units)} units (timed: the first page)" + ("" if app_total == floor_total else
                                                          f" — FLOOR DIFFERS: {floor_total}"))
    return result


def submit_report(ctx: Context, number: str, key: str, duty: Duty) -> None:
    """Unit 0 saves and submits its report through the API, as an integrating system would."""
    body = {"status": "on_track", "percent": 50 if duty is Duty.LEAD else None, "progress": "按计划推进，完成阶段目标。",
            "problems": "", "next_steps": "继续推进。", "submit": True}
    response = ctx.unit.put(f"/api/v1/tasks/{number}/reports/{key}", json=body,
                            headers=ctx.bearer(builder.unit_user(0)))
    if response.status_code not in (200, 201) or response.get_json()["state"] != "submitted":
        raise RuntimeError(f"PUT report {number} {key}: {response.status_code} {response.get_data(as_text=True)[:200]}")


def submit(ctx: Context, result: Result) -> Result:
    """PUT /api/v1/tasks/<n>/reports/<period> with submit: each run a report not written before."""
    if ctx.write is None:
        raise Missing("no PUT /api/v1/tasks/<n>/reports/<period>")
    todo = iter(_unreported(ctx, ctx.warmup + ctx.repeat))
    result.times = repeat(lambda: submit_report(ctx, *next(todo)), times=ctx.repeat, warmup=ctx.warmup,
                          cpu=result.cpu_times)
    result.note = "PUT /api/v1/tasks/<n>/reports/<period> (save + submit), a new report each run"
    return result


def _unreported(ctx: Context, count: int, *, strict: bool = True) -> list[tuple[str, str, Duty]]:
    """The focus unit's obligations with no report at all, newest ended quarter first (up to `count`;
    `strict`: exactly `count`, or an error)."""
    with ctx.app.app_context():
        reported = select(Report.id).where(Report.task_id == Assignment.task_id, Report.unit_id == Assignment.unit_id,
                                           Report.period_id == Period.id).exists()
        rows = db.session.execute(
            select(Task.number, Period.key, Assignment.duty)
            .join(Task, Task.id == Assignment.task_id).join(Period, Period.plan_id == Task.plan_id)
            .where(Assignment.unit_id == ctx.unit_id, Period.ends_on < shape.TODAY, ~reported, Task.closed_on.is_(None))
            .order_by(Period.key.desc(), Task.position).limit(count)).all()
    if strict and len(rows) < count:
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


def api_list(path: str):
    """A list read asking for one page of 100 (`limit=100`); says so when the API does not page."""
    def run(ctx: Context, result: Result) -> Result:
        if not route_exists(ctx.app, path) or not ctx.tokens:
            raise Missing(f"no route {path}")
        headers = ctx.bearer(shape.SUPERVISOR)
        asked = f"{path}{'&' if '?' in path else '?'}limit=100"
        response = ctx.supervisor.get(asked, headers=headers)
        result.paged = response.status_code == 200
        measured = asked if result.paged else path
        body = ctx.supervisor.get(measured, headers=headers).get_json()
        shown = next((len(v) for v in body.values() if isinstance(v, list)), 0)
        page(ctx, result, ctx.supervisor, measured, headers=headers)
        if result.paged:
            result.paged = shown <= 100
            result.note = f"GET {measured}: {shown} items, total {body.get('total', '?')}, next {body.get('next')!r}"
        else:
            result.note = (f"GET {path}: not paged (limit=100 refused: {response.status_code}), "
                           f"all {shown} items in one answer")
        return result
    return run


def api_read(path):
    """One API read as the supervision office's token; path may use ctx."""
    def run(ctx: Context, result: Result) -> Result:
        found = path(ctx) if callable(path) else path
        if not route_exists(ctx.app, found) or not ctx.tokens:
            raise Missing(f"no route {found}")
        return page(ctx, result, ctx.supervisor, found, headers=ctx.bearer(shape.SUPERVISOR))
    return run


def history(ctx: Context, result: Result) -> Result:
    """One task's history in one call: every period's reports with their versions."""
    path = f"/api/v1/tasks/{ctx.task_number}?include=reports"
    if not ctx.tokens:
        raise Missing("no API")
    response = ctx.supervisor.get(path, headers=ctx.bearer(shape.SUPERVISOR))
    body = response.get_json(silent=True) or {}
    if response.status_code != 200 or "reports" not in body:
        raise Missing(f"GET {path} answers {response.status_code} without reports")
    page(ctx, result, ctx.supervisor, path, headers=ctx.bearer(shape.SUPERVISOR))
    reports = body["reports"]
    result.note = f"GET {path}: {len(reports)} reports" + (
        f", {sum(len(r.get('versions', [])) for r in reports)} versions" if reports and isinstance(reports[0], dict)
        else "")
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
    """Deletes every row added since `before`. Reports go through the ORM (their children are
    deleted first, children before parents), so that the flush listeners that keep derived
    facts in step with reports (plan revision, stored lights) see the deletion."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in before:
            continue
        if table is Report.__table__:
            for report in db.session.scalars(select(Report).where(Report.id > before[table.name])):
                db.session.delete(report)
            db.session.flush()
        else:
            db.session.execute(table.delete().where(table.c.id > before[table.name]))
    db.session.commit()
