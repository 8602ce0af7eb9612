"""Each task's light kept current in the database, so no page recomputes a whole plan.

A write's flush names the tasks it touched (freshness.py); before its transaction commits,
or before a read in the same transaction, those tasks are recomputed (queries.py, the full
rules) and their rows rewritten, so every process and host reads the same current lights.
Time alone changes lights too (a report is overdue from midnight after its due date, and
"已逾期 N 天" counts up): each row says until when it holds (light_record.changes_on), a read
recomputes, without storing, the rows whose day has come, and the nightly job
(supervision/jobs.py) rewrites them.
"""
from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import chain

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.plans.models import Plan, Task
from tracker.reporting.models import Extension, Period
from tracker.supervision import freshness, queries
from tracker.supervision.light_record import changes_on, dump_facts, dump_light, load_facts, load_light, rules_key
from tracker.supervision.light_rules import LightRules
from tracker.supervision.models import TaskLight
from tracker.supervision.settings import current_rules


def read(session: Session, plan_id: int, *, today: date, rules: LightRules | None = None,
         task_ids: list[int] | None = None) -> dict[int, queries.Evaluated]:
    """Facts and light of every task of the plan (or of `task_ids`) on `today`: three queries while the
    rows hold (a fourth for rows this process has not decoded yet), plus the full recompute of the rows
    that do not hold (missing, of other rules, or of another day)."""
    refresh_pending(session)
    plan = session.get(Plan, plan_id)
    if plan is None:
        return {}
    day = _lit_on(plan, today)
    rules = rules or current_rules(session)
    key = rules_key(rules)
    query = (select(Task.id, TaskLight.computed_on, TaskLight.valid_until, TaskLight.rules_key, TaskLight.stamp)
             .outerjoin(TaskLight, TaskLight.task_id == Task.id).where(Task.plan_id == plan_id).order_by(Task.id))
    if task_ids is not None:
        query = query.where(Task.id.in_(task_ids))
    out: dict[int, queries.Evaluated | None] = {}
    stale, undecoded = [], {}
    for task_id, computed_on, valid_until, lit_by, stamp in session.execute(query):
        out[task_id] = None
        if computed_on is None or lit_by != key or day < computed_on or (valid_until is not None
                                                                          and day >= valid_until):
            stale.append(task_id)
        elif (known := _decoded.get(task_id)) is not None and known[0] == stamp:
            out[task_id] = known[1]
        else:
            undecoded[task_id] = stamp
    if undecoded:
        for task_id, light, facts in session.execute(select(TaskLight.task_id, TaskLight.light, TaskLight.facts)
                                                     .where(TaskLight.task_id.in_(list(undecoded)))):
            out[task_id] = _remember(task_id, undecoded[task_id],
                                     queries.Evaluated(load_facts(facts), load_light(light)))
    if stale:
        fresh = queries._evaluate(session, plan_id, today=today, rules=rules,
                                  task_ids=None if len(stale) == len(out) and task_ids is None else stale)
        out.update((task_id, fresh[task_id]) for task_id in stale)
    return out  # type: ignore[return-value]  # every None was replaced


# What this process decoded of each row, by task: (the row's stamp, its facts and light). Checked against
# the stamp read from the database on every read, so it can never serve a row that has since changed.
_decoded: dict[int, tuple[str, queries.Evaluated]] = {}
DECODED_MAX = 200_000


def _remember(task_id: int, stamp: str, evaluated: queries.Evaluated) -> queries.Evaluated:
    if len(_decoded) >= DECODED_MAX:
        _decoded.clear()
    _decoded[task_id] = (stamp, evaluated)
    return evaluated


def refresh_pending(session: Session) -> int:
    """Rewrites the lights of what this transaction's writes touched so far; how many rows."""
    session.flush()
    pending = freshness.take_pending(session)
    if not pending:
        return 0
    plan_ids = set(session.scalars(select(Plan.id))) if pending.every_plan else pending.plan_ids
    # The day the rows are lit for: the write's own (the writes themselves take no `today` here).
    return refresh(session, task_ids=pending.task_ids, plan_ids=plan_ids, today=clock.today())


def refresh(session: Session, *, task_ids: Iterable[int] = (), plan_ids: Iterable[int] = (), today: date) -> int:
    """Recomputes and rewrites the rows of `task_ids` and of every task of `plan_ids`; how many rows."""
    scope: dict[int, set[int] | None] = {plan_id: None for plan_id in plan_ids}    # None: the whole plan
    task_ids = list(task_ids)
    if task_ids:
        for task_id, plan_id in session.execute(select(Task.id, Task.plan_id).where(Task.id.in_(task_ids))):
            if plan_id not in scope:
                scope[plan_id] = set()
            if scope[plan_id] is not None:
                scope[plan_id].add(task_id)    # type: ignore[union-attr]
    if not scope:
        return 0
    rules = current_rules(session)
    return sum(_refresh_plan(session, plan_id, None if ids is None else sorted(ids), today=today, rules=rules)
               for plan_id, ids in scope.items())


def refresh_expired(session: Session, *, today: date) -> int:
    """Rewrites every row that no longer holds on `today` (or is missing, or of other rules): the nightly job."""
    rules = current_rules(session)
    key = rules_key(rules)
    count = 0
    for plan in session.scalars(select(Plan).order_by(Plan.id)):
        day = _lit_on(plan, today)
        rows = session.execute(select(Task.id, TaskLight.computed_on, TaskLight.valid_until, TaskLight.rules_key)
                               .outerjoin(TaskLight, TaskLight.task_id == Task.id).where(Task.plan_id == plan.id))
        expired = [task_id for task_id, computed_on, valid_until, lit_by in rows
                   if computed_on is None or lit_by != key or day < computed_on
                   or (valid_until is not None and day >= valid_until)]
        if expired:
            count += _refresh_plan(session, plan.id, expired, today=today, rules=rules)
    return count


def _refresh_plan(session: Session, plan_id: int, task_ids: list[int] | None, *, today: date,
                  rules: LightRules) -> int:
    plan = session.get(Plan, plan_id)
    if plan is None:
        return 0
    day = _lit_on(plan, today)
    scope = (TaskLight.task_id.in_(task_ids) if task_ids is not None
             else TaskLight.task_id.in_(select(Task.id).where(Task.plan_id == plan_id)))
    # Writers of the same tasks take turns here (PostgreSQL row locks): the second computes after the
    # first has committed, from data that includes the first one's write.
    session.execute(select(TaskLight.task_id).where(scope).order_by(TaskLight.task_id).with_for_update()).all()
    evaluated = queries._evaluate(session, plan_id, today=today, rules=rules, task_ids=task_ids)
    due_dates = _due_dates(session, plan_id, task_ids)
    key, stamp = rules_key(rules), secrets.token_hex(8)
    rows = [{"task_id": task_id, "colour": e.light.colour.value, "computed_on": day,
             "valid_until": changes_on(e.facts, rules, day, due_dates=chain(due_dates[None], due_dates[task_id])),
             "rules_key": key, "stamp": stamp, "light": dump_light(e.light), "facts": dump_facts(e.facts)}
            for task_id, e in evaluated.items()]
    session.execute(delete(TaskLight).where(scope))
    if rows:
        session.execute(insert(TaskLight), rows)
    for task_id, e in evaluated.items():   # a new stamp: never matched unless this transaction commits
        _remember(task_id, stamp, e)
    return len(rows)


def _due_dates(session: Session, plan_id: int, task_ids: list[int] | None) -> dict[int | None, list[date]]:
    """The plan's quarters' due dates (under None) and each task's extended ones: what makes a report overdue."""
    out: dict[int | None, list[date]] = defaultdict(list)
    out[None] = list(session.scalars(select(Period.due_on).where(Period.plan_id == plan_id)))
    query = select(Extension.task_id, Extension.due_on).join(Task, Task.id == Extension.task_id) \
        .where(Task.plan_id == plan_id)
    if task_ids is not None:
        query = query.where(Extension.task_id.in_(task_ids))
    for task_id, due_on in session.execute(query):
        if due_on is not None:
            out[task_id].append(due_on)
    return out


def _lit_on(plan: Plan, today: date) -> date:
    """The day a plan's lights are judged on: an archived plan's stay as they were on its archive day."""
    return min(today, plan.archived_on) if plan.archived_on is not None else today
