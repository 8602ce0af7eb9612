"""Reads for reminders: who still owes what (from obligations.owed()), where to write, the log.

Every function runs a fixed number of queries, whatever the number of units and tasks.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, false, func, select, tuple_, union
from sqlalchemy.orm import Session, selectinload

from tracker.accounts.models import Role, User
from tracker.plans.models import Assignment, Duty, Section, Task, Unit, current_assignment
from tracker.reminders.mail import check_addresses
from tracker.reminders.models import ChannelEndpoint, Digest, OutboxMessage, Reminder
from tracker.reminders.rules import MessageState
from tracker.reporting.models import Extension, ExtensionState, Period, Report, Review, State, counted
from tracker.reporting.obligations import owed


@dataclass(frozen=True)
class OwedTask:
    """One report a unit still owes: never submitted, a draft, or returned for revision."""

    period_id: int
    unit_id: int
    task_id: int
    number: str
    title: str
    duty: Duty
    state: State | None
    chase_from: date | None = None    # when the reminders' clock starts for this report (set by the sweep)


@dataclass
class UnitAddresses:
    unit_id: int
    name: str
    addresses: list[str] = field(default_factory=list)   # unit contacts first, then its active users


def list_unsubmitted(session: Session, period_ids: list[int], *,
                     unit_ids: Iterable[int] | None = None) -> list[OwedTask]:
    """Obligations of the periods not (yet) submitted, in plan order: one query."""
    if not period_ids:
        return []
    return _unsubmitted(session, owed(period_ids=period_ids).subquery(), unit_ids=unit_ids)


def list_chased(session: Session, periods: Iterable[Period], *, since: date, since_at: datetime) -> list[OwedTask]:
    """What list_unsubmitted gives for these periods, less the reports whose chase began before `since`
    (the sweep's window, rules.oldest_chase): a period due before it keeps only the reports an approved
    extension moved to `since` or later, or that were returned since `since_at`. Two queries."""
    periods = list(periods)
    recent = [p.id for p in periods if p.due_on >= since]
    older = [p.id for p in periods if p.due_on < since]
    keys: list[tuple[int, int, int]] = []
    if older:
        moved = select(Extension.period_id, Extension.task_id, Extension.unit_id).where(
            Extension.period_id.in_(older), Extension.state == ExtensionState.APPROVED, Extension.due_on >= since)
        returned = (select(Report.period_id, Report.task_id, Report.unit_id).join(Review, Review.report_id == Report.id)
                    .where(Report.id.in_(select(Report.id).where(Report.state == State.RETURNED,
                                                                 Report.period_id.in_(older))),
                           Review.decision == "return", Review.reviewed_at >= since_at))
        keys = sorted({(p, t, u) for p, t, u in session.execute(union(moved, returned))})
    period_ids = sorted(set(recent) | {period_id for period_id, _task, _unit in keys})
    if not period_ids:
        return []
    rows = owed(period_ids=period_ids).subquery()
    wanted: ColumnElement[bool] = rows.c.period_id.in_(recent) if recent else false()
    if keys:
        wanted = wanted | tuple_(rows.c.period_id, rows.c.task_id, rows.c.unit_id).in_(keys)
    return _unsubmitted(session, rows, where=wanted)


def _unsubmitted(session: Session, rows, *, unit_ids: Iterable[int] | None = None, where=None) -> list[OwedTask]:
    query = (
        select(rows.c.period_id, rows.c.unit_id, rows.c.task_id, Task.number, Task.title, rows.c.duty, rows.c.state)
        .join(Task, Task.id == rows.c.task_id)
        .join(Section, Section.id == Task.section_id)
        .where(rows.c.state.is_(None) | ~counted(rows.c.state))
        .order_by(rows.c.period_id, Section.position, Task.position)
    )
    if unit_ids is not None:
        query = query.where(rows.c.unit_id.in_(list(unit_ids)))
    if where is not None:
        query = query.where(where)
    return [OwedTask(r.period_id, r.unit_id, r.task_id, r.number, r.title, _duty(r.duty), _state(r.state))
            for r in session.execute(query)]


def list_unit_addresses(session: Session, unit_ids: Iterable[int]) -> dict[int, UnitAddresses]:
    """Each unit's contact addresses (Unit.emails) and its active users' e-mails: one query."""
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    query = (
        select(Unit.id, Unit.name, Unit.emails, User.email)
        .outerjoin(User, (User.unit_id == Unit.id) & User.active & (User.email != ""))
        .where(Unit.id.in_(ids))
        .order_by(Unit.id, User.id)
    )
    out: dict[int, UnitAddresses] = {}
    for unit_id, name, emails, user_email in session.execute(query):
        entry = out.get(unit_id)
        if entry is None:
            entry = out[unit_id] = UnitAddresses(unit_id, name, [e for e in (emails or []) if e])
        if user_email:
            entry.addresses.append(user_email)
    return out


def list_office_addresses(session: Session) -> list[str]:
    """The supervision office: active users with the supervisor role and an e-mail."""
    return list(session.scalars(
        select(User.email).where(User.role == Role.SUPERVISOR, User.active, User.email != "").order_by(User.id)))


def list_endpoints(session: Session, unit_ids: Iterable[int], *, office: bool = False
                   ) -> dict[int | None, list[ChannelEndpoint]]:
    """The active robot channels of these units (and, with office, the office's own under None): one query."""
    ids = sorted(set(unit_ids))
    owner = ChannelEndpoint.unit_id.in_(ids)
    if office:
        owner = owner | ChannelEndpoint.unit_id.is_(None)
    out: dict[int | None, list[ChannelEndpoint]] = defaultdict(list)
    if not ids and not office:
        return out
    for endpoint in session.scalars(select(ChannelEndpoint).where(owner, ChannelEndpoint.active)
                                    .order_by(ChannelEndpoint.id).options(selectinload(ChannelEndpoint.unit))):
        out[endpoint.unit_id].append(endpoint)
    return out


def list_returned_on(session: Session, period_ids: list[int], *, since_at: datetime | None = None
                     ) -> dict[tuple[int, int, int], datetime]:
    """When each report still RETURNED was last returned: {(period, task, unit): reviewed_at}, one query.
    since_at: only those last returned since then."""
    if not period_ids:
        return {}
    # The returned reports by their state's index first: grouped over a join, SQLite scanned every report.
    returned = select(Report.id).where(Report.state == State.RETURNED, Report.period_id.in_(period_ids))
    query = (select(Report.period_id, Report.task_id, Report.unit_id, func.max(Review.reviewed_at))
             .join(Review, Review.report_id == Report.id)
             .where(Report.id.in_(returned), Review.decision == "return")
             .group_by(Report.period_id, Report.task_id, Report.unit_id))
    if since_at is not None:
        query = query.where(Review.reviewed_at >= since_at)
    return {(p, t, u): at for p, t, u, at in session.execute(query)}


def office_has_address(session: Session) -> bool:
    """Whether an escalation copy can reach the supervision office at all."""
    return bool(check_addresses(list_office_addresses(session))[0])


def list_responsible_unit_addresses(session: Session) -> dict[int, UnitAddresses]:
    """Every unit that answers for a task today, with its addresses: two queries."""
    unit_ids = session.scalars(select(Assignment.unit_id).where(current_assignment()).distinct()).all()
    return list_unit_addresses(session, unit_ids)


def list_messages(session: Session, *, limit: int = 200) -> list[OutboxMessage]:
    """The outbox, waiting and failed first, then the newest."""
    waiting = OutboxMessage.state != MessageState.SENT
    return list(session.scalars(
        select(OutboxMessage).order_by(waiting.desc(), OutboxMessage.id.desc()).limit(limit)))


def count_waiting_for_retry(session: Session, *, now: datetime) -> tuple[int, datetime | None]:
    """Messages still to send but not yet due (after a failed attempt): how many, and the next retry time."""
    waiting = (OutboxMessage.state == MessageState.PENDING, OutboxMessage.next_attempt_at > now)
    count, next_at = session.execute(select(func.count(), func.min(OutboxMessage.next_attempt_at))
                                     .where(*waiting)).one()
    return count, next_at


def list_reminders(session: Session, *, limit: int = 200) -> list[Reminder]:
    """The reminder log, newest first, with unit, period and message: two queries."""
    return list(session.scalars(
        select(Reminder)
        .order_by(Reminder.decided_at.desc(), Reminder.id.desc())
        .limit(limit)
        .options(selectinload(Reminder.unit), selectinload(Reminder.period), selectinload(Reminder.message))
    ))


def list_digests(session: Session, *, limit: int = 20) -> list[Digest]:
    return list(session.scalars(select(Digest).order_by(Digest.week_of.desc(), Digest.id.desc()).limit(limit)
                                .options(selectinload(Digest.plan), selectinload(Digest.message))))


def group_by_unit(rows: Iterable[OwedTask]) -> dict[int, list[OwedTask]]:
    out: dict[int, list[OwedTask]] = defaultdict(list)
    for row in rows:
        out[row.unit_id].append(row)
    return out


def _duty(value) -> Duty:
    return value if isinstance(value, Duty) else Duty(value)


def _state(value) -> State | None:
    if value is None or isinstance(value, State):
        return value
    return State(value)


def list_reminders_of(session: Session, message: OutboxMessage) -> list[Reminder]:
    """The decisions one e-mail carries."""
    return list(session.scalars(
        select(Reminder).where(Reminder.message_key == message.message_id).order_by(Reminder.id)
        .options(selectinload(Reminder.unit), selectinload(Reminder.period))))


def list_units_without_address(session: Session) -> list[UnitAddresses]:
    """Units that answer for tasks but have no valid address: reminders cannot reach them."""
    units = list_responsible_unit_addresses(session).values()
    return sorted((u for u in units if not check_addresses(u.addresses)[0]), key=lambda u: u.name)
