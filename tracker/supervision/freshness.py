"""When lights may have changed: a plan revision bumped by writes, and a cache keyed by it.

Lights are derived from reports, periods, assignments, tasks, flags, escalations,
milestones and the office's light rules.
Every flush that touches one of them bumps `plan.revision` in the same transaction, so
a cached evaluation is reused only while the data behind it is unchanged — in this
process or any other that shares the database.
"""
from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime
from itertools import chain
from threading import Lock
from typing import Any, Callable, Hashable

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from tracker.plans.models import Assignment, Plan, Task
from tracker.reporting.models import Period, Report
from tracker.supervision.models import Escalation, EscalationResponse, Flag, LightRuleSet, Milestone

WATCHED = (Report, Period, Assignment, Task, Flag, Escalation, EscalationResponse, Plan, LightRuleSet, Milestone)
SIZE = 16

_cache: OrderedDict[Hashable, Any] = OrderedDict()
_lock = Lock()


@event.listens_for(Session, "before_flush")
def _bump_on_change(session: Session, flush_context, instances) -> None:
    if any(isinstance(obj, WATCHED) for obj in chain(session.new, session.dirty, session.deleted)):
        session.execute(update(Plan).values(revision=Plan.revision + 1))


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
