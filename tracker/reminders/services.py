"""Deciding reminders: scheduled sweeps and 催办 by hand. Each decision is a row, written once,
with its e-mail in the outbox in the same transaction. Never commits: the entry point does.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict
from tracker.core.i18n import N_
from tracker.core.workdays import CHINA, WorkCalendar
from tracker.plans.models import Plan, PlanState, Unit
from tracker.reminders import mail, queries, rules
from tracker.reminders.models import OutboxMessage, Reminder
from tracker.reminders.rules import Cadence, Channel, Decision, Kind, MessageState, Outcome
from tracker.reporting.extensions import effective_due_dates, effective_due_on
from tracker.reporting.models import Period

# pg_advisory_xact_lock key: two scheduler processes never sweep at the same time.
SWEEP_LOCK = 0x7472_6D64  # "trmd"


@dataclass(frozen=True)
class Queued:
    """An e-mail written to the outbox, as plain values (readable after a dry run's rollback)."""

    subject: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    message_id: str


@dataclass
class Decided:
    """What one run decided: new reminders, the e-mails queued for them, units without address."""

    reminders: list[Reminder] = field(default_factory=list)
    messages: list[Queued] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)


def lock_sweep(session: Session) -> None:
    """On PostgreSQL, waits for any other sweep's transaction to end (released at commit/rollback)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SWEEP_LOCK})


def sweep(session: Session, *, today: date, now: datetime, cadence: Cadence, base_url: str,
          calendar: WorkCalendar = CHINA) -> Decided:
    """Today's scheduled reminders (notice, overdue, escalation), each decided once, on working days only.

    Each missing report is chased from its own date: the period's due date, an approved extension's,
    or the day it was returned when that came after (then without a notice)."""
    lock_sweep(session)
    if not calendar.is_workday(today):
        return Decided()
    # An archived plan is reminded of nothing (its history stays as it is).
    active = select(Plan.id).where(Plan.state == PlanState.ACTIVE)
    periods = {p.id: p for p in session.scalars(select(Period).where(Period.plan_id.in_(active)))
               if today >= calendar.subtract_workdays(p.due_on, max(cadence.before_workdays, 0))}
    # Only the reports whose chase began within the window decide anything today (rules.oldest_chase):
    # read those, not every missing report of every past quarter. A return before the window never
    # moves a chase into it, so the returns are read from its start too.
    since = rules.oldest_chase(today, cadence, calendar)
    since_at = datetime.combine(since, time(0), tzinfo=now.tzinfo)
    rows = queries.list_chased(session, [periods[i] for i in sorted(periods)], since=since, since_at=since_at)
    extended = effective_due_dates(session, period_ids=sorted(periods))
    returned = queries.list_returned_on(session, sorted(periods), since_at=since_at)
    decisions: dict[tuple[int, date], tuple[Period, Decision]] = {}
    chased = []
    for row in rows:
        key = (row.period_id, row.task_id, row.unit_id)
        due = effective_due_on(periods[row.period_id].due_on, extended.get(key))
        returned_on = returned[key].astimezone(now.tzinfo).date() if key in returned else None
        chase_from, notice = (returned_on, False) if returned_on and returned_on > due else (due, True)
        if (row.period_id, chase_from) not in decisions:
            decision = rules.decide(chase_from, today, cadence, calendar, notice=notice)
            decisions[(row.period_id, chase_from)] = (periods[row.period_id], decision)
        if decisions[(row.period_id, chase_from)][1] is not None:
            chased.append(replace(row, chase_from=chase_from))
    return _remind(session, chased, decisions, today=today, now=now, actor=None, base_url=base_url)


def remind_now(session: Session, *, period: Period, units: list[Unit], actor: Any, now: datetime,
               base_url: str) -> list[Reminder]:
    """催办 by hand: one reminder and one e-mail per unit that still owes reports for the period.

    Units that owe nothing are skipped; a unit already reminded by hand today for this period
    is skipped too (the unique key). `now` is in the configured time zone.
    """
    today = now.date()
    rows = [replace(r, chase_from=period.due_on)
            for r in queries.list_unsubmitted(session, [period.id], unit_ids=[u.id for u in units])]
    decision = Decision(Kind.MANUAL, rules.manual_step(today))
    decided = _remind(session, rows, {(period.id, period.due_on): (period, decision)}, today=today, now=now,
                      actor=actor, base_url=base_url)
    for reminder in decided.reminders:
        audit.record(session, actor=actor, action="reminder.manual", obj=reminder, at=now,
                     new={"unit_id": reminder.unit_id, "period": period.key, "outcome": reminder.outcome})
    return decided.reminders


def retry_message(session: Session, message: OutboxMessage, *, actor: Any, now: datetime) -> None:
    """Puts a waiting or failed message first in line again; raises Conflict if it was sent."""
    if message.state is MessageState.SENT:
        raise Conflict(N_("该邮件已发送，无需重试。"))
    audit.record(session, actor=actor, action="outbox.retry", obj=message, at=now,
                 old={"state": message.state, "attempts": message.attempts}, new={"state": MessageState.PENDING})
    message.state = MessageState.PENDING
    message.next_attempt_at = now
    session.flush()


def _remind(session: Session, rows: list[queries.OwedTask], decisions: dict[tuple[int, date], tuple[Period, Decision]],
            *,
            today: date, now: datetime, actor: Any, base_url: str) -> Decided:
    """Inserts the decisions no run has made yet, then one e-mail per unit for those: a fixed number of queries."""
    by_unit = queries.group_by_unit(rows)
    addresses = queries.list_unit_addresses(session, by_unit)
    checked = {unit_id: mail.check_addresses(entry.addresses) for unit_id, entry in addresses.items()}
    values = []
    for unit_id, tasks in by_unit.items():
        valid, rejected = checked[unit_id]
        key = mail.new_message_id(base_url) if valid else None
        counts: dict[tuple[int, date], int] = defaultdict(int)
        for task in tasks:
            counts[(task.period_id, task.chase_from)] += 1
        for (period_id, chase_from), count in counts.items():
            decision = decisions[(period_id, chase_from)][1]
            values.append(dict(unit_id=unit_id, period_id=period_id, kind=decision.kind, step=decision.step,
                               chase_from=chase_from,
                               decided_on=today, decided_at=now, actor_id=getattr(actor, "id", None),
                               outcome=Outcome.QUEUED if valid else Outcome.NO_ADDRESS, task_count=count,
                               recipients=valid, rejected=rejected, message_key=key))
    decided = Decided(reminders=_insert_new(session, values))
    new_by_unit: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in decided.reminders:
        new_by_unit[reminder.unit_id].append(reminder)
    office: list[str] | None = None
    outbox = []
    endpoints = queries.list_endpoints(session, new_by_unit, office=True) if new_by_unit else {}
    for unit_id, reminders in new_by_unit.items():
        entry = addresses[unit_id]
        escalated = any(r.kind is Kind.ESCALATION for r in reminders)
        if escalated and office is None:
            office = mail.check_addresses(queries.list_office_addresses(session))[0]
        blocks = [_block(r, decisions[(r.period_id, r.chase_from)][0], by_unit[unit_id], today, base_url)
                  for r in sorted(reminders, key=lambda r: (decisions[(r.period_id, r.chase_from)][0].key,
                                                            r.chase_from))]
        to = checked[unit_id][0]
        cc = [a for a in (office or []) if escalated and a.lower() not in {t.lower() for t in to}]
        # "抄送督查室" only when the office is really copied; otherwise /admin/outbox and the digest say why.
        letter = mail.reminder_letter(entry.name, blocks, escalated=escalated, copied=bool(cc), today=today)
        link = blocks[0].link
        outbox += channel_rows(endpoints.get(unit_id, []) + (endpoints.get(None, []) if escalated else []), letter,
                               now=now, base_url=base_url, link=link)
        if reminders[0].message_key is None:
            decided.no_address.append(entry.name)
            continue
        outbox.append(outbox_row(letter, recipient_name=entry.name, to=to, cc=cc,
                                 message_id=reminders[0].message_key, now=now, link=link))
    queue_messages(session, outbox)
    decided.messages = [Queued(row["subject"], tuple(row["to_addrs"]) or (row["recipient_name"],), tuple(row["cc_addrs"]),
                               row["message_id"])
                        for row in outbox]
    return decided


def outbox_row(letter: mail.Letter, *, recipient_name: str, to: list[str], cc: list[str], message_id: str,
               now: datetime, channel: Channel = Channel.EMAIL, channel_id: int | None = None,
               link: str = "") -> dict[str, Any]:
    """An outbox row, due at once: an e-mail, or (channel_id) a message to one robot webhook."""
    return dict(created_at=now, recipient_name=rules.header_text(recipient_name), to_addrs=to, cc_addrs=cc,
                subject=letter.subject, text_body=letter.text, html_body=letter.html, message_id=message_id,
                state=MessageState.PENDING, attempts=0, next_attempt_at=now, last_error="",
                channel=channel, channel_id=channel_id, link=link[:500])


def channel_rows(endpoints, letter: mail.Letter, *, now: datetime, base_url: str, link: str) -> list[dict[str, Any]]:
    """One outbox row per robot channel: each is sent and retried on its own."""
    return [outbox_row(letter, recipient_name=endpoint.label, to=[], cc=[], message_id=mail.new_message_id(base_url),
                       now=now, channel=endpoint.channel, channel_id=endpoint.id, link=link)
            for endpoint in endpoints]


def queue_messages(session: Session, rows: list[dict[str, Any]]) -> None:
    """One INSERT for every e-mail of the run (no RETURNING: the Message-ID is the link)."""
    if rows:
        session.execute(insert(OutboxMessage), rows)


def _block(reminder: Reminder, period: Period, tasks: list[queries.OwedTask], today: date,
           base_url: str) -> mail.PeriodBlock:
    lines = [mail.TaskLine(t.number, t.title, t.duty.label, t.state.value if t.state else "")
             for t in tasks if t.period_id == period.id and t.chase_from == reminder.chase_from]
    due = reminder.chase_from or period.due_on
    return mail.PeriodBlock(reminder.kind, reminder.step, period.key, rules.period_label(period.key), due,
                            rules.days_overdue(due, today),
                            mail.workspace_link(base_url, period.key, period.plan_id), lines,
                            plan_title=period.plan.title, provisional=period.due_provisional)


def _insert_new(session: Session, values: list[dict]) -> list[Reminder]:
    """INSERT … ON CONFLICT DO NOTHING: only decisions no run has made before come back."""
    return insert_once(session, Reminder, values, ["unit_id", "period_id", "kind", "step", "chase_from"])


def insert_once(session: Session, model, values: list[dict], key: list[str]) -> list:
    """INSERT … ON CONFLICT (key) DO NOTHING RETURNING: only the rows no run has written before."""
    if not values:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - the two databases we support
        raise RuntimeError(f"reminders need PostgreSQL or SQLite, not {dialect}")
    statement = dialect_insert(model).on_conflict_do_nothing(index_elements=key).returning(model)
    # render_nulls: one batch even where some rows have no message key (else SQLAlchemy splits them).
    return list(session.scalars(statement, values, execution_options={"render_nulls": True}))
