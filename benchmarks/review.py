"""Items 10–12: the report page in full, the review queue with 10,000 reports waiting, and
batch-accepting 500 of them. Each puts back what it changed (restore() only deletes new rows;
these items also change existing reports' states, so they put those back themselves)."""
from __future__ import annotations

import re
import time

from items import Context, Missing, page, restore, route_exists, snapshot
from measure import Result
from sqlalchemy import func, select, update

from tracker.db import db
from tracker.plans.models import Task
from tracker.reporting.models import Report, State

WAITING = 10_000
BATCH = 500


def report_page_all(ctx: Context, result: Result) -> Result:
    """The same unit's page with every task shown (?show=all): the page before the owed filter."""
    page(ctx, result, ctx.unit, f"/workspace/{ctx.period.key}?show=all")
    result.note = "every task of the unit, submitted ones as compact text, co-units' reports folded"
    return result


def _waiting_ids(ctx: Context) -> list[int]:
    return list(db.session.scalars(select(Report.id).join(Task, Task.id == Report.task_id)
                                   .where(Task.plan_id == ctx.plan_id, Report.state == State.SUBMITTED)))


def _make_waiting(ctx: Context, count: int) -> tuple[list[int], list[tuple[int, str, int]]]:
    """At least `count` reports awaiting review: accepted ones turned back to submitted for the
    measurement; returns (waiting ids, [(id, old state, old version)] to put back)."""
    waiting = _waiting_ids(ctx)
    changed: list[tuple[int, str, int]] = []
    if len(waiting) < count:
        extra = db.session.execute(
            select(Report.id, Report.state, Report.version).join(Task, Task.id == Report.task_id)
            .where(Task.plan_id == ctx.plan_id, Report.state == State.ACCEPTED, Report.submitted_at.is_not(None))
            .order_by(Report.id).limit(count - len(waiting))).all()
        changed = [(rid, state.value, version) for rid, state, version in extra]
        db.session.execute(update(Report).where(Report.id.in_([c[0] for c in changed]))
                           .values(state=State.SUBMITTED).execution_options(synchronize_session=False))
        db.session.commit()
        waiting = _waiting_ids(ctx)
    return waiting, changed


def _put_back(changed: list[tuple[int, str, int]], states: dict[int, tuple[str, int]]) -> None:
    for rid, (state, version) in {**states, **{c[0]: (c[1], c[2]) for c in changed}}.items():
        db.session.execute(update(Report).where(Report.id == rid).values(state=State(state), version=version)
                           .execution_options(synchronize_session=False))
    db.session.commit()


def review_queue(ctx: Context, result: Result) -> Result:
    """GET /supervision/reviews?period=all with 10,000 reports waiting (first page of 100)."""
    if not route_exists(ctx.app, "/supervision/reviews"):
        raise Missing("no /supervision/reviews")
    with ctx.app.app_context():
        waiting, changed = _make_waiting(ctx, WAITING)
    try:
        path = f"/supervision/reviews?plan={ctx.plan_id}&period=all"
        page(ctx, result, ctx.supervisor, path)
        shown = ctx.supervisor.get(path).get_data(as_text=True)
        total = re.search(r'id="queue-total">\D*([\d,]+)', shown)
        result.note = f"{len(waiting):,} waiting ({total.group(1) if total else '?'} on the page), first 100 shown"
    finally:
        with ctx.app.app_context():
            _put_back(changed, {})
    return result


def batch_accept(ctx: Context, result: Result) -> Result:
    """POST /supervision/reviews/accept with 500 reports ticked; put back after each run."""
    if not route_exists(ctx.app, "/supervision/reviews/accept", "POST"):
        raise Missing("no POST /supervision/reviews/accept")
    with ctx.app.app_context():
        waiting, changed = _make_waiting(ctx, BATCH)
        chosen = waiting[:BATCH]
        states = {rid: (state.value, version) for rid, state, version in db.session.execute(
            select(Report.id, Report.state, Report.version).where(Report.id.in_(chosen)))}
        before = snapshot()
    html = ctx.supervisor.get(f"/supervision/reviews?plan={ctx.plan_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    try:
        # Only the request is timed; putting the reports back after each run is not.
        times = []
        for index in range(max(1, min(ctx.repeat, 5)) + 1):
            started = time.perf_counter()
            response = ctx.supervisor.post(f"/supervision/reviews/accept?plan={ctx.plan_id}&period=all",
                                           data={"csrf_token": token, "report": [str(i) for i in chosen]})
            elapsed = time.perf_counter() - started
            if response.status_code != 302:
                raise RuntimeError(f"batch accept: {response.status_code}")
            with ctx.app.app_context():
                accepted = db.session.scalar(select(func.count()).select_from(Report).where(
                    Report.id.in_(chosen), Report.state == State.ACCEPTED))
                restore(before)
                _put_back([], states)
            if accepted != len(chosen):
                raise RuntimeError(f"batch accept: {accepted} of {len(chosen)} accepted")
            if index:            # the first run is the warm-up
                times.append(elapsed)
        result.times = times
        result.note = f"{BATCH} reports in one request, each by accept_report's rule; states put back after each run"
    finally:
        with ctx.app.app_context():
            _put_back(changed, {})
    return result
