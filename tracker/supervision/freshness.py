"""When lights may have changed: which tasks a write touched, and the plan revision it bumps.

Lights are derived from reports, periods, assignments, tasks, flags, escalations,
milestones, extensions, status updates, unit names and the office's light rules.
Every flush that touches one of them bumps `plan.revision` and names the tasks touched
(a period or plan change names the whole plan, a rule change every plan); before the
transaction commits, light_store.py rewrites those tasks' lights in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from tracker.plans.models import Assignment, Plan, Task, TaskClosure, Unit
from tracker.reporting.models import Extension, Period, Report, StatusUpdate
from tracker.supervision.models import Escalation, EscalationResponse, EscalationUnit, Flag, LightRuleSet, Milestone

WATCHED = (Report, Period, Assignment, Task, Flag, Escalation, EscalationResponse, EscalationUnit, Extension, Plan,
           StatusUpdate, TaskClosure, LightRuleSet, Milestone)
OF_A_TASK = (Report, Assignment, Flag, Escalation, Extension, StatusUpdate, TaskClosure, Milestone)
PENDING = "tracker.lights.pending"


@dataclass
class Pending:
    """What this transaction's writes touched and light_store has not yet rewritten."""

    task_ids: set[int] = field(default_factory=set)
    plan_ids: set[int] = field(default_factory=set)
    every_plan: bool = False

    def __bool__(self) -> bool:
        return self.every_plan or bool(self.task_ids or self.plan_ids)


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
    # Only the plans written to: a write to one plan leaves the others' revisions alone.
    session.execute(update(Plan).where(Plan.id.in_(plan_ids)).values(revision=Plan.revision + 1))


@event.listens_for(Session, "after_flush")
def _note_touched(session: Session, flush_context) -> None:
    """Names the tasks (or plans) whose lights the flush may have changed; ids are known by now."""
    pending = session.info.setdefault(PENDING, Pending())
    escalation_ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, LightRuleSet):
            pending.every_plan = True
        elif isinstance(obj, Plan):
            pending.plan_ids.add(obj.id)
        elif isinstance(obj, Period):
            pending.plan_ids.add(obj.plan_id)
        elif isinstance(obj, Task):
            pending.task_ids.add(obj.id)
        elif isinstance(obj, (EscalationResponse, EscalationUnit)):
            escalation_ids.add(obj.escalation_id)
        elif isinstance(obj, OF_A_TASK):
            pending.task_ids.add(obj.task_id)
        elif isinstance(obj, Unit) and obj in session.dirty and inspect(obj).attrs.name.history.has_changes():
            # lights name their units: a renamed unit touches every task it answers for
            pending.task_ids |= set(session.scalars(select(Assignment.task_id).where(Assignment.unit_id == obj.id)))
    if escalation_ids:
        pending.task_ids |= set(session.scalars(select(Escalation.task_id).where(Escalation.id.in_(escalation_ids))))


@event.listens_for(Session, "before_commit")
def _rewrite_lights(session: Session) -> None:
    session.flush()              # commit flushes after this hook: flush first, so every write is named
    if session.info.get(PENDING):
        from tracker.supervision import light_store  # it builds on queries.py, which imports this module

        light_store.refresh_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:      # the whole transaction is gone, and its writes with it
        session.info.pop(PENDING, None)


def take_pending(session: Session) -> Pending:
    """What the transaction touched so far, forgotten here (the caller rewrites it)."""
    return session.info.pop(PENDING, None) or Pending()


def stamp(session: Session, plan_id: int) -> tuple[int, datetime, int] | None:
    """What identifies the plan's data now: its id, when it was imported, its revision."""
    row = session.execute(select(Plan.imported_at, Plan.revision).where(Plan.id == plan_id)).first()
    return None if row is None else (plan_id, row[0], row[1])
