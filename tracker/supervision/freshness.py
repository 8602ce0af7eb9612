"""When lights may have changed: a plan revision bumped by writes, and a cache keyed by it.

Lights are derived from reports, periods, assignments, tasks, flags, escalations,
milestones and the office's light rules.
Every flush that touches one of them bumps `plan.revision` in the same transaction, so
a cached evaluation is reused only while the data behind it is unchanged — in this
process or any other that shares the database.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime
from itertools import chain
from threading import Lock
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from tracker.plans.models import Assignment, Plan, Task, TaskClosure
from tracker.reporting.models import Extension, Period, Report, StatusUpdate
from tracker.supervision.models import Escalation, EscalationResponse, EscalationUnit, Flag, LightRuleSet, Milestone

WATCHED = (Report, Period, Assignment, Task, Flag, Escalation, EscalationResponse, EscalationUnit, Extension, Plan,
           StatusUpdate, TaskClosure, LightRuleSet, Milestone)
SIZE = 16

_cache: OrderedDict[Hashable, Any] = OrderedDict()
_lock = Lock()


@event.listens_for(Session, "before_flush")
def _bump_on_change(session: Session, flush_context, instances) -> None:
    changed = [obj for obj in chain(session.new, session.dirty, session.deleted) if isinstance(obj, WATCHED)]
    if not changed:
        return
    plan_ids, task_ids, escalation_ids = set(), set(), set()
    if any(isinstance(obj, LightRuleSet) for obj in changed):  # the office's rules hold for every plan
        session.execute(update(Plan).values(revision=Plan.revision + 1))
        return
    for obj in changed:
        if isinstance(obj, Plan):
            plan_ids.add(obj.id)
        elif isinstance(obj, (Task, Period)):
            plan_ids.add(obj.plan_id)
        elif isinstance(obj, (EscalationResponse, EscalationUnit)):
            escalation_ids.add(obj.escalation_id)
        else:
            task_ids.add(obj.task_id)
    if None in plan_ids or None in task_ids or None in escalation_ids:
        session.execute(update(Plan).values(revision=Plan.revision + 1))  # not yet known: every plan
        return
    task_ids |= set(session.scalars(select(Escalation.task_id).where(Escalation.id.in_(escalation_ids)))) \
        if escalation_ids else set()
    if task_ids:
        plan_ids |= set(session.scalars(select(Task.plan_id).where(Task.id.in_(task_ids))))
    # Only the plans written to: a write to one plan leaves the others' cached lights valid.
    session.execute(update(Plan).where(Plan.id.in_(plan_ids)).values(revision=Plan.revision + 1))


def stamp(session: Session, plan_id: int) -> tuple[int, datetime, int] | None:
    """What identifies the plan's data now: its id, when it was imported, its revision."""
    row = session.execute(select(Plan.imported_at, Plan.revision).where(Plan.id == plan_id)).first()
    return None if row is None else (plan_id, row[0], row[1])


def cached(session: Session, plan_id: int, today: date, extra: Hashable, compute: Callable[[], Any]) -> Any:
    """compute() once per (plan data, day, extra); recomputed after any watched write."""
    current = stamp(session, plan_id)
    if current is None:
        return compute()
    key = (current, today, extra)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    if session.new or session.dirty or session.deleted:
        return value  # unflushed changes in this session: not what other requests will see
    with _lock:
        _cache[key] = value
        while len(_cache) > SIZE:
            _cache.popitem(last=False)
    return value
