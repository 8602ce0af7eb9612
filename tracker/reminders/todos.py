"""我的待办: what a unit (or the office) has to do now, each item linking to where it is done.

A unit: reports owed (quarter over, not submitted; due date or days overdue, extensions counted),
reports returned (with the comment), open 督办 (deadline, 签收 state), its extension requests and
the decisions of the last two weeks. The office: extension requests to decide and 督办 answered,
waiting to be closed. Reads only, in a fixed number of queries; `count_todos` is one query.
A unit's home page shows the first SHORTLIST of the same list (`shortlist`): it reads only the
report rows it shows, after counting the rest per quarter.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.accounts.permissions import is_supervisor
from tracker.plans.models import Plan, PlanState, Section, Task
from tracker.reporting.extensions import effective_due_on, extended_due_dates
from tracker.reporting.models import Extension, ExtensionState, Period, State
from tracker.reporting.obligations import owed
from tracker.reporting.queries import latest_return_comments
from tracker.supervision.ladder import EscalationState
from tracker.supervision.models import Escalation, EscalationResponse, EscalationUnit

RECENT = timedelta(days=14)      # extension decisions stay on the list this long
KINDS = ("report", "returned", "escalation", "extension")
SHORTLIST = 20                   # the home page's 我的待办: the most urgent, then "N more" and a link to /todos


@dataclass(frozen=True)
class Todo:
    kind: str                 # report | returned | escalation | extension
    plan: int
    task: str                 # the task's number
    period: str | None        # the quarter's key; None for a 督办
    due: date | None
    url: str
    title: str = ""
    days_overdue: int = 0
    comment: str = ""
    state: str = ""           # draft/returned; open/acknowledged/responded; requested/approved/refused
    escalation: int | None = None
    extension: int | None = None
    colour_level: int | None = None

    def as_json(self) -> dict:
        return asdict(self)


def list_todos(session: Session, user, *, today: date) -> list[Todo]:
    if is_supervisor(user):
        return _office_todos(session, today=today)
    if getattr(user, "unit_id", None) is None:
        return []
    unit_id = user.unit_id
    return (_escalations(session, unit_id, today=today) + _reports(session, unit_id, today=today)
            + _extensions(session, unit_id, today=today))


def count_todos(session: Session, user, *, today: date) -> int:
    """The menu's badge: reports owed or returned, open 督办 not yet answered, extension requests waiting."""
    if is_supervisor(user):
        return int(session.scalar(select(func.count()).select_from(Extension)
                                  .where(Extension.state == ExtensionState.REQUESTED)) or 0) \
            + len([e for e in _office_escalations(session)])
    if getattr(user, "unit_id", None) is None:
        return 0
    rows = owed(unit_id=user.unit_id).subquery()
    reports = (select(func.count()).select_from(rows).join(Period, Period.id == rows.c.period_id)
               .where(*_still_owed(rows, today)))
    answered = select(EscalationResponse.id).where(EscalationResponse.escalation_id == Escalation.id,
                                                   EscalationResponse.unit_id == user.unit_id).exists()
    escalations = (select(func.count()).select_from(EscalationUnit)
                   .join(Escalation, Escalation.id == EscalationUnit.escalation_id)
                   .where(EscalationUnit.unit_id == user.unit_id, Escalation.closed_at.is_(None), ~answered))
    extensions = select(func.count()).select_from(Extension).where(
        Extension.unit_id == user.unit_id, Extension.state == ExtensionState.REQUESTED)
    return int(session.scalar(select(reports.scalar_subquery() + escalations.scalar_subquery()
                                     + extensions.scalar_subquery())) or 0)


def _active_plans():
    """An archived plan owes nothing more: its reports are history, not to-dos."""
    return select(Plan.id).where(Plan.state == PlanState.ACTIVE)


def _still_owed(rows, today: date) -> tuple:
    """A report on the list: its quarter is over, its plan active, and it is missing, a draft or returned."""
    return (Period.ends_on <= today, Period.plan_id.in_(_active_plans()),
            or_(rows.c.state.is_(None), rows.c.state.in_([State.DRAFT.value, State.RETURNED.value])))


@dataclass(frozen=True)
class Shortlist:
    """The first items of the to-do list (in list_todos' order) and how many the whole list holds."""

    items: list[Todo]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class Waiting:
    """A unit's to-dos before any report row is read: its 督办 and extension items, and how many
    reports each quarter still owes ((period key, plan id, period id, count), newest quarter first)."""

    escalations: list[Todo]
    extensions: list[Todo]
    owed: list[tuple[str, int, int, int]]

    @property
    def count(self) -> int:
        """The menu's badge, as count_todos counts it, without another query."""
        return (len(self.escalations) + sum(n for *_, n in self.owed)
                + sum(1 for x in self.extensions if x.state == ExtensionState.REQUESTED.value))


def waiting(session: Session, unit_id: int, *, today: date) -> Waiting:
    """Three queries: the 督办, the extensions, the reports still owed counted per quarter."""
    rows = owed(unit_id=unit_id).subquery()
    counted = session.execute(
        select(Period.key, Period.plan_id, Period.id, func.count()).select_from(rows)
        .join(Period, Period.id == rows.c.period_id).where(*_still_owed(rows, today))
        .group_by(Period.key, Period.plan_id, Period.id).order_by(Period.key.desc())).all()
    return Waiting(_escalations(session, unit_id, today=today), _extensions(session, unit_id, today=today),
                   [(key, plan_id, period_id, n) for key, plan_id, period_id, n in counted])


def shortlist(session: Session, user, *, today: date, limit: int = SHORTLIST, plan_id: int | None = None,
              known: Waiting | None = None) -> Shortlist:
    """The first `limit` items of list_todos (of one plan, given plan_id) and the list's length.

    For a unit it reads the rows of the newest quarters only, as many as the limit needs: the list
    is ordered newest quarter first, so those rows are its head (a unit owing 972 old reports reads 20)."""
    if is_supervisor(user) or getattr(user, "unit_id", None) is None:
        items = [t for t in list_todos(session, user, today=today) if plan_id is None or t.plan == plan_id]
        return Shortlist(items[:limit], len(items))
    found = known or waiting(session, user.unit_id, today=today)

    def mine(items):
        return [t for t in items if plan_id is None or t.plan == plan_id]

    escalations, extensions = mine(found.escalations), mine(found.extensions)
    counts = [(key, pid, n) for key, p, pid, n in found.owed if plan_id is None or p == plan_id]
    room, keys, got = max(0, limit - len(escalations)), set(), 0
    for key, _period_id, n in counts:      # whole quarters (each of every plan) until the room is filled
        if got >= room:
            break
        keys.add(key)
        got += n
    period_ids = [pid for key, pid, _n in counts if key in keys]
    reports = _reports(session, user.unit_id, today=today, period_ids=period_ids, limit=room) if period_ids else []
    return Shortlist((escalations + reports + extensions)[:limit],
                     len(escalations) + sum(n for *_, n in counts) + len(extensions))


def _reports(session: Session, unit_id: int, *, today: date, period_ids: list[int] | None = None,
             limit: int | None = None) -> list[Todo]:
    rows = owed(unit_id=unit_id, period_ids=period_ids).subquery()
    granted = extended_due_dates(unit_id=unit_id)
    query = (select(rows.c.period_id, rows.c.report_id, rows.c.state, Task.id, Task.number, Task.title, Task.plan_id,
                    Period.key, Period.due_on, granted.c.due_on.label("extended_to"))
             .join(Task, Task.id == rows.c.task_id).join(Section, Section.id == Task.section_id)
             .join(Period, Period.id == rows.c.period_id)
             .outerjoin(granted, and_(granted.c.period_id == rows.c.period_id, granted.c.task_id == rows.c.task_id))
             .where(*_still_owed(rows, today))
             .order_by(Period.key.desc(), Section.position, Task.position, Task.id).limit(limit))
    found = session.execute(query).all()
    returned_ids = [r.report_id for r in found if getattr(r.state, "value", r.state) == State.RETURNED.value]
    comments = latest_return_comments(session, returned_ids) if returned_ids else {}
    out = []
    for r in found:
        state = getattr(r.state, "value", r.state)
        due = effective_due_on(r.due_on, r.extended_to)
        returned = state == State.RETURNED.value
        out.append(Todo("returned" if returned else "report", r.plan_id, r.number, r.key, due,
                        f"/workspace/{r.key}?plan={r.plan_id}#task-{r.id}", title=r.title, days_overdue=max(0, (today - due).days),
                        comment=comments.get(r.report_id, "") if returned else "", state=state or ""))
    return out


def _escalations(session: Session, unit_id: int, *, today: date) -> list[Todo]:
    found = session.scalars(
        select(Escalation).join(EscalationUnit, EscalationUnit.escalation_id == Escalation.id)
        .where(EscalationUnit.unit_id == unit_id, Escalation.closed_at.is_(None)).order_by(Escalation.respond_by)
        .options(joinedload(Escalation.task), joinedload(Escalation.units), joinedload(Escalation.responses))
    ).unique().all()
    return [Todo("escalation", e.task.plan_id, e.task.number, None, e.respond_by,
                 f"/plans/{e.task.plan_id}/tasks/{e.task.number}#supervision", title=e.task.title,
                 days_overdue=max(0, (today - e.respond_by).days), comment=e.reason,
                 state=e.state_for(unit_id).value, escalation=e.id, colour_level=e.level)
            for e in found if e.state_for(unit_id) is not EscalationState.RESPONDED]


def _extensions(session: Session, unit_id: int, *, today: date) -> list[Todo]:
    found = session.scalars(
        select(Extension).where(Extension.unit_id == unit_id,
                                or_(Extension.state == ExtensionState.REQUESTED,
                                    Extension.decided_at >= _midnight(today - RECENT)))
        .order_by(Extension.id.desc()).options(joinedload(Extension.task), joinedload(Extension.period))).all()
    return [_extension_todo(x) for x in found]


def _office_todos(session: Session, *, today: date) -> list[Todo]:
    waiting = session.scalars(
        select(Extension).where(Extension.state == ExtensionState.REQUESTED).order_by(Extension.asked_at)
        .options(joinedload(Extension.task), joinedload(Extension.period), joinedload(Extension.unit))).all()
    answered = [Todo("escalation", e.task.plan_id, e.task.number, None, e.respond_by,
                     f"/plans/{e.task.plan_id}/tasks/{e.task.number}#supervision", title=e.task.title,
                     comment=e.reason, state=e.state.value, escalation=e.id, colour_level=e.level)
                for e in _office_escalations(session)]
    return [_extension_todo(x, for_office=True) for x in waiting] + answered


def _office_escalations(session: Session) -> list[Escalation]:
    """Open 督办 every unit concerned has answered: the office's turn to close (办结)."""
    found = session.scalars(select(Escalation).where(Escalation.closed_at.is_(None))
                            .options(joinedload(Escalation.task), selectinload(Escalation.units),
                                     selectinload(Escalation.responses))).unique().all()
    return [e for e in found if e.state is EscalationState.RESPONDED]


def _extension_todo(x: Extension, *, for_office: bool = False) -> Todo:
    return Todo("extension", x.task.plan_id, x.task.number, x.period.key, x.due_on,
                f"/extensions/{x.id}", title=(f"{x.unit.name} · " if for_office else "") + x.task.title,
                comment=x.comment or x.reason, state=x.state.value, extension=x.id)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)
