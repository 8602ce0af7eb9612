"""The weekly digest to the supervision office: lagging tasks, silent units, the week's changes.

Read in a fixed number of queries; decided once per plan and week (the Digest row's UNIQUE key);
the e-mail goes through the outbox like every reminder. Recipients: the supervision office,
i.e. the active users with the supervisor role (see README, "Reminders and e-mail").
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.plans.models import Plan, Task, Unit
from tracker.reminders import mail, queries, rules, signals
from tracker.reminders.models import Digest, OutboxMessage, Reminder
from tracker.reminders.rules import Kind, Outcome
from tracker.reminders.services import lock_sweep, outbox_row, queue_messages
from tracker.reporting.compliance import tally_by_unit
from tracker.reporting.models import Period, Report, Review
from tracker.reporting.queries import get_current_period
from tracker.supervision.queries import list_lagging

LIST_LIMIT = 50   # rows per list in the e-mail; the pages hold the rest


@dataclass(frozen=True)
class Change:
    what: str         # submitted | returned | accepted
    on: date
    unit: str
    task_number: str
    period_key: str


def digest_facts(session: Session, plan: Plan, *, today: date, now: datetime, base_url: str) -> dict[str, Any]:
    """What the digest says, as template context."""
    lagging = [dict(number=row.task.number, title=row.task.title, colour=row.light.colour.value,
                    lead=row.lead.name if row.lead else "", days_overdue=row.days_overdue,
                    reasons="；".join(row.light.texts(lambda text: text)))
               for row in list_lagging(session, plan.id, today=today)]
    period = get_current_period(session, plan.id, today=today)
    tallies = tally_by_unit(session, period.id, plan_id=plan.id) if period else []
    silent = [dict(name=t.unit_name, owed=t.tally.owed) for t in tallies if t.tally.submitted == 0]
    changes = _changes(session, plan.id, since=now - timedelta(days=7))
    counts = {what: sum(1 for c in changes if c.what == what) for what in ("submitted", "returned", "accepted")}
    no_address = [unit.name for unit in queries.list_units_without_address(session)]
    uncopied = _escalations_not_copied(session, since=now - timedelta(days=7))
    facts = dict(plan_title=plan.title, today=today, week_of=rules.week_of(today),
                 since=(now - timedelta(days=7)).date(), period_key=period.key if period else "",
                 period_label=rules.period_label(period.key) if period else "", due_on=period.due_on if period else None,
                 lagging=lagging[:LIST_LIMIT], lagging_total=len(lagging), silent=silent[:LIST_LIMIT],
                 silent_total=len(silent), changes=changes[:LIST_LIMIT], counts=counts, no_address=no_address,
                 escalations_not_copied=uncopied, link=base_url.rstrip("/") + "/")
    for _, more in signals.digest_facts.send(session, plan=plan, today=today):
        facts.update(more)    # e.g. the indicators behind their path
    return facts


def send_digest(session: Session, plan: Plan, *, today: date, now: datetime, base_url: str) -> Digest | None:
    """This week's digest of the plan, queued for the supervision office; None if already decided."""
    lock_sweep(session)
    week = rules.week_of(today)
    if session.scalar(select(Digest.id).where(Digest.plan_id == plan.id, Digest.week_of == week)):
        return None
    office = mail.check_addresses(queries.list_office_addresses(session))[0]
    digest = Digest(plan_id=plan.id, week_of=week, decided_at=now, recipients=office,
                    outcome=Outcome.QUEUED if office else Outcome.NO_ADDRESS,
                    message_key=mail.new_message_id(base_url) if office else None)
    session.add(digest)
    session.flush()   # the UNIQUE key: a concurrent run fails here and rolls back, sending nothing
    if office:
        letter = mail.digest_letter(digest_facts(session, plan, today=today, now=now, base_url=base_url))
        queue_messages(session, [outbox_row(letter, recipient_name=mail.OFFICE_NAME, to=office, cc=[],
                                            message_id=digest.message_key, now=now)])
    return digest


def _escalations_not_copied(session: Session, *, since: datetime) -> int:
    """Escalation reminders of the week that reached the unit without the office in copy (it had no address)."""
    rows = session.scalars(
        select(OutboxMessage.cc_addrs).join(Reminder, Reminder.message_key == OutboxMessage.message_id)
        .where(Reminder.kind == Kind.ESCALATION, Reminder.decided_at >= since)).all()
    return sum(1 for cc in rows if not cc)


def _changes(session: Session, plan_id: int, *, since: datetime) -> list[Change]:
    """Reports submitted, returned and accepted since `since`: two queries, newest first."""
    submitted = session.execute(
        select(Report.submitted_at, Unit.name, Task.number, Period.key)
        .join(Task, Task.id == Report.task_id).join(Unit, Unit.id == Report.unit_id)
        .join(Period, Period.id == Report.period_id)
        .where(Task.plan_id == plan_id, Report.submitted_at >= since)
    ).all()
    reviewed = session.execute(
        select(Review.reviewed_at, Review.decision, Unit.name, Task.number, Period.key)
        .join(Report, Report.id == Review.report_id).join(Task, Task.id == Report.task_id)
        .join(Unit, Unit.id == Report.unit_id).join(Period, Period.id == Report.period_id)
        .where(Task.plan_id == plan_id, Review.reviewed_at >= since)
    ).all()
    zone = since.tzinfo
    changes = [(at, Change("submitted", at.astimezone(zone).date(), unit, number, key))
               for at, unit, number, key in submitted]
    changes += [(at, Change("returned" if decision == "return" else "accepted", at.astimezone(zone).date(),
                            unit, number, key))
                for at, decision, unit, number, key in reviewed]
    return [change for _, change in sorted(changes, key=lambda pair: pair[0], reverse=True)]

