"""Each unit's 应报/已报/迟报 per quarter kept current in the database, so the dashboard reads a few
hundred rows instead of aggregating every obligation of the plan on every view.

The figures are reporting/compliance.py's (`tally_columns` over `owed()`), stored per (quarter, unit).
Each flush names what its writes touched: a report its own (quarter, unit); an assignment every
quarter of its unit; a task's closure every quarter of the units answering for the task; a period,
a plan or a task moved or deleted the whole plan. Before the transaction commits (or before a read
in the same transaction) those rows are recomputed with the same aggregate and rewritten. Time
alone changes nothing here (迟报 is stored on the report), so, unlike the lights, rows never expire.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import ColumnElement, Select, delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from tracker.plans.models import Assignment, Plan, Task, TaskClosure, Unit
from tracker.reporting.compliance import UnitTally, tally_columns, tally_of
from tracker.reporting.models import Period, Report
from tracker.reporting.obligations import owed
from tracker.supervision.models import KeptTally

PENDING = "tracker.tallies.pending"


@dataclass
class Pending:
    """What this transaction's writes touched and the kept tallies do not show yet."""

    pairs: set[tuple[int, int]] = field(default_factory=set)    # (period_id, unit_id)
    unit_ids: set[int] = field(default_factory=set)              # every quarter of these units
    plan_ids: set[int] = field(default_factory=set)              # every quarter and unit of these plans

    def __bool__(self) -> bool:
        return bool(self.pairs or self.unit_ids or self.plan_ids)


def read(session: Session, period_id: int) -> list[UnitTally]:
    """One row per unit that owes anything in the quarter, by unit name: what
    compliance.tally_by_unit(session, period_id) gives, read from the kept rows in one query."""
    refresh_pending(session)
    query = (select(Unit.id, Unit.name, KeptTally.owed, KeptTally.submitted, KeptTally.late)
             .join(Unit, Unit.id == KeptTally.unit_id).where(KeptTally.period_id == period_id)
             .order_by(Unit.name))
    return [UnitTally(unit_id, name, tally_of(*figures)) for unit_id, name, *figures in session.execute(query)]


def refresh_pending(session: Session) -> int:
    """Rewrites the rows this transaction's writes touched so far; how many statements ran."""
    session.flush()
    pending = take_pending(session)
    if not pending:
        return 0
    return refresh(session, pairs=pending.pairs, unit_ids=pending.unit_ids, plan_ids=pending.plan_ids)


def take_pending(session: Session) -> Pending:
    """What the transaction touched so far, forgotten here (the caller rewrites it)."""
    return session.info.pop(PENDING, None) or Pending()


def refresh(session: Session, *, pairs=(), unit_ids=(), plan_ids=()) -> int:
    """Recomputes and rewrites the rows of `pairs` (period_id, unit_id), of every quarter of
    `unit_ids` and of every quarter and unit of `plan_ids`: one delete and one INSERT … SELECT per scope.
    Each scope deletes before it inserts, so scopes that overlap rewrite a row twice, never duplicate it."""
    scopes: list[tuple[ColumnElement[bool], Select]] = [(KeptTally.period_id.in_(select(Period.id).where(Period.plan_id == plan_id)),
               owed(plan_id=plan_id)) for plan_id in sorted(set(plan_ids))]
    if unit_ids:
        units = sorted(set(unit_ids))
        scopes.append((KeptTally.unit_id.in_(units), owed().where(Assignment.unit_id.in_(units))))
    by_period: dict[int, set[int]] = defaultdict(set)
    for period_id, unit_id in pairs:
        by_period[period_id].add(unit_id)
    for period_id, units_of in sorted(by_period.items()):
        units = sorted(units_of)
        scopes.append(((KeptTally.period_id == period_id) & KeptTally.unit_id.in_(units),
                       owed(period_ids=[period_id]).where(Assignment.unit_id.in_(units))))
    for scope, obligations in scopes:
        # Writers of the same rows take turns (PostgreSQL row locks): the second recomputes after the
        # first has committed, from data that includes the first one's write.
        session.execute(select(KeptTally.period_id).where(scope)
                        .order_by(KeptTally.period_id, KeptTally.unit_id).with_for_update()).all()
        rows = obligations.subquery()
        figures = (select(rows.c.period_id, rows.c.unit_id, *tally_columns(rows))
                   .group_by(rows.c.period_id, rows.c.unit_id))
        session.execute(delete(KeptTally).where(scope))
        session.execute(insert(KeptTally).from_select(["period_id", "unit_id", "owed", "submitted", "late"],
                                                      figures))
    return len(scopes)


def _values(obj, name: str) -> set:
    """The attribute's value now and, if this flush changed it, before."""
    history = inspect(obj).attrs[name].history
    return {v for v in chain([getattr(obj, name)], history.deleted or ()) if v is not None}


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _note_touched(session: Session, flush_context) -> None:
    """Names what the flush may have changed in the tallies; ids are known by now."""
    changed = list(chain(session.new, session.dirty, session.deleted))
    if not any(isinstance(obj, (Report, Assignment, TaskClosure, Task, Period, Plan)) for obj in changed):
        return
    pending = session.info.setdefault(PENDING, Pending())
    closed_tasks = set()
    for obj in changed:
        if isinstance(obj, Report):
            pending.pairs |= {(p, u) for p in _values(obj, "period_id") for u in _values(obj, "unit_id")}
        elif isinstance(obj, Assignment):
            pending.unit_ids |= _values(obj, "unit_id")
        elif isinstance(obj, TaskClosure):
            closed_tasks |= _values(obj, "task_id")
        elif isinstance(obj, Task):
            # A new task owes nothing until its assignments (written as rows of their own) do; a deleted
            # or moved one takes its obligations with it, and its assignments may already be gone.
            if obj in session.deleted or _changed(obj, "plan_id"):
                pending.plan_ids |= _values(obj, "plan_id")
        elif isinstance(obj, Period):
            if obj not in session.dirty or _changed(obj, "plan_id", "key", "starts_on", "ends_on"):
                pending.plan_ids |= _values(obj, "plan_id")     # not a due date: 迟报 is stored on the report
        elif isinstance(obj, Plan):     # a deleted plan's rows go with its periods
            if obj in session.new or (obj in session.dirty and _changed(obj, "first_owed_period", "archived_on")):
                pending.plan_ids.add(obj.id)
    if closed_tasks:
        pending.unit_ids |= set(session.scalars(select(Assignment.unit_id).where(Assignment.task_id.in_(closed_tasks))))


@event.listens_for(Session, "before_commit")
def _rewrite_tallies(session: Session) -> None:
    session.flush()              # commit flushes after this hook: flush first, so every write is named
    if session.info.get(PENDING):
        refresh_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:      # the whole transaction is gone, and its writes with it
        session.info.pop(PENDING, None)
