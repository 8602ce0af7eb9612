"""Sending the outbox over SMTP: claim, send, mark — on one connection, claims a chunk at a time.

Messages are claimed before they are sent by a compare-and-set on their rows (`claimed_until`,
a lease): up to CLAIM of them in one UPDATE, committed at once, so no two delivery runs — two
jobs of one scheduler, two `tracker deliver`, two processes on SQLite or PostgreSQL — ever send
the same message. Each is marked sent (or failed) and committed right after the SMTP server
accepts it, so a crash of the process resends at most the one message in flight (same
Message-ID); the claims left by a crashed process expire with their lease and those messages are
taken again. A chunk whose sending outlasts half the lease renews it first. `deliver_one` is the
seam a channel plugs into: it sends one claimed message and records the attempt.

The marks inside a chunk are committed without waiting for the disk (SQLite `synchronous=NORMAL`
in WAL mode, PostgreSQL `synchronous_commit=off`, for those transactions only): the commit is
complete for every other connection and survives the process being killed, but only the chunk's
last mark (and the next claim) waits until it is on disk. So the host of the database losing
power, or the PostgreSQL server crashing, can forget at most the marks of the chunk in progress
(≤ CLAIM messages, resent with their Message-ID); waiting for the disk at every mark made it the
slowest step of delivery.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.headerregistry import Address

from sqlalchemy import Connection, event, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from tracker.reminders import channels, mail, rules
from tracker.reminders.models import OutboxMessage
from tracker.reminders.rules import Channel, MessageState

log = logging.getLogger(__name__)

BATCH = 200
CLAIM = 50                      # e-mails claimed in one statement; a crash leaves at most these for LEASE
TIMEOUT_SECONDS = 30
LEASE = timedelta(minutes=10)   # far longer than one message takes (TIMEOUT_SECONDS per SMTP step)


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None
    port: int = 25
    username: str | None = None
    password: str | None = None
    security: str = "none"           # none | starttls | ssl
    sender: str = "tracker@localhost"

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> SmtpSettings:
        return cls(config.get("TRACKER_SMTP_HOST") or None, int(config.get("TRACKER_SMTP_PORT") or 25),
                   config.get("TRACKER_SMTP_USERNAME") or None, config.get("TRACKER_SMTP_PASSWORD") or None,
                   str(config.get("TRACKER_SMTP_SECURITY") or "none"),
                   str(config.get("TRACKER_MAIL_FROM") or "tracker@localhost"))

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Outcome:
    """One message's attempt in this run, as recorded."""

    subject: str
    recipient_name: str
    to_addrs: list[str]
    cc_addrs: list[str]
    attempts: int
    last_error: str


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    configured: bool = True
    unreachable: bool = False    # the connection failed: the rest of the outbox waits for the next run
    error: BaseException | None = None
    due: int = 0                 # messages that were due when the run began (claimed by us or not)


def deliver(session: Session, *, settings: SmtpSettings, now: datetime, limit: int = BATCH) -> Delivery:
    """Sends up to `limit` due messages, claiming and marking each one: robot channels one by one,
    e-mails over one SMTP connection (without SMTP settings, e-mails wait).

    Commits the session after each claim and each mark (that is what makes a crash cost at
    most one duplicate); the caller's pending changes are committed first.
    """
    query = (select(OutboxMessage.id, OutboxMessage.channel).where(*_due(now))
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if not settings.configured:
        query = query.where(OutboxMessage.channel != Channel.EMAIL)
    rows = session.execute(query).all()
    session.commit()
    result = Delivery(configured=settings.configured)
    result.due = len(rows)
    for message_id, channel in rows:
        if channel is not Channel.EMAIL:
            message = claim(session, message_id, now=now)
            if message is not None:
                deliver_one(session, message, lambda m: _send_to_channel(m, now), now, result)
    due = [message_id for message_id, channel in rows if channel is Channel.EMAIL]
    if due:
        _deliver_emails(session, due, settings=settings, now=now, result=result)
    return result


def _deliver_emails(session: Session, due: list[int], *, settings: SmtpSettings, now: datetime,
                    result: Delivery) -> None:
    started = time.monotonic()

    def at() -> datetime:    # the run's `now`, moved on by the time the run has taken
        return now + timedelta(seconds=time.monotonic() - started)

    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        _unreachable(session, [], due, error, now, result)
        log.warning("SMTP %s:%s unreachable: %s", settings.host, settings.port, error)
        return
    sender = mail.sender_address(settings.sender)
    try:
        for first in range(0, len(due), CLAIM):
            held = _claim_emails(session, due[first:first + CLAIM], now=at())
            while held:
                if at() > held[0].held_until - LEASE / 2:     # a slow server: hold the rest longer first
                    held = _renew(session, held, now=at())
                    continue
                email, held = held[0], held[1:]
                # the chunk's last mark waits for the disk, and with it every mark before it
                if not _deliver_email(session, connection, sender, email, now, result, durable=not held):
                    _unreachable(session, held, due[first + CLAIM:], result.error, now, result)
                    return
    finally:
        _quit(connection)


@dataclass(frozen=True)
class Email:
    """A claimed e-mail as read with its claim: what sending it and recording the attempt need."""

    id: int
    subject: str
    text_body: str
    html_body: str
    recipient_name: str
    to_addrs: list[str]
    cc_addrs: list[str]
    message_id: str
    attempts: int
    held_until: datetime


EMAIL_COLUMNS = (OutboxMessage.id, OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body,
                 OutboxMessage.recipient_name, OutboxMessage.to_addrs, OutboxMessage.cc_addrs,
                 OutboxMessage.message_id, OutboxMessage.attempts, OutboxMessage.claimed_until)


def _email(row) -> Email:
    return Email(row.id, row.subject, row.text_body, row.html_body, row.recipient_name, row.to_addrs, row.cc_addrs,
                 row.message_id, row.attempts, row.claimed_until)


def _claim_emails(session: Session, message_ids: list[int], *, now: datetime) -> list[Email]:
    """Takes those of the messages still due and free for LEASE, in one compare-and-set; commits.
    Returns them in the order asked."""
    taken = session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(message_ids), *_due(now))
                            .values(claimed_until=now + LEASE).returning(*EMAIL_COLUMNS)
                            .execution_options(synchronize_session=False)).all()
    session.commit()
    by_id = {row.id: _email(row) for row in taken}
    return [by_id[message_id] for message_id in message_ids if message_id in by_id]


def _renew(session: Session, held: list[Email], *, now: datetime) -> list[Email]:
    """A longer lease on the messages we still hold (compare-and-set on our own lease); commits."""
    renewed = []
    for email in held:
        changed = session.execute(update(OutboxMessage)
                                  .where(OutboxMessage.id == email.id, OutboxMessage.claimed_until == email.held_until,
                                         OutboxMessage.state == MessageState.PENDING)
                                  .values(claimed_until=now + LEASE).execution_options(synchronize_session=False))
        if changed.rowcount == 1:
            renewed.append(replace(email, held_until=now + LEASE))
    session.commit()
    return renewed


def _deliver_email(session: Session, connection: smtplib.SMTP, sender: Address, email: Email, now: datetime,
                   result: Delivery, *, durable: bool = True) -> bool:
    """Sends one held e-mail and commits the outcome (`durable`: waiting until it is on disk);
    False when the connection is gone (the attempt is recorded as failed, durably)."""
    try:
        refused = _send_smtp(connection, sender, email, now)
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        _record(session, email, _failure(email.attempts, error, now), result.failed)
        result.unreachable, result.error = True, error
        session.commit()
        return False
    except (smtplib.SMTPException, ValueError) as error:
        outcome, into = _failure(email.attempts, error, now), result.failed
    else:
        outcome, into = _success(email.attempts, refused, now), result.sent
    _record(session, email, outcome, into, durable=durable)
    session.commit()
    return True


def _record(session: Session, email: Email, outcome: dict, into: list[Outcome], *, durable: bool = True) -> None:
    """The attempt's UPDATE (`durable=False`: its commit need not wait for the disk)."""
    # Core on the session's connection: the ORM's execution layer cost more than the UPDATE
    connection = session.connection()
    statement = update(OutboxMessage).where(OutboxMessage.id == email.id).values(**outcome)
    if not durable:
        statement = statement.where(*_without_waiting_for_disk(connection))
    connection.execute(statement)
    into.append(Outcome(email.subject, email.recipient_name, email.to_addrs, email.cc_addrs, outcome["attempts"],
                        outcome["last_error"]))


SYNCHRONOUS = "tracker.synchronous"   # in a pooled SQLite connection's info: its own setting, while relaxed


def _without_waiting_for_disk(connection: Connection) -> tuple:
    """Makes the transaction's commit return once the database has it, before it is on disk: on
    PostgreSQL the condition to add to its UPDATE (set_config(…, true) is SET LOCAL inside the
    statement: one round trip fewer per mark); on SQLite a pragma, before the transaction writes
    anything (SQLite changes the setting only between transactions)."""
    if connection.dialect.name == "postgresql":
        return (func.set_config("synchronous_commit", "off", True).is_not(None),)
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        if raw is None or raw.in_transaction:    # already writing (a test's outer transaction): as it is
            return ()
        info = connection.connection.info
        if SYNCHRONOUS not in info:
            own = raw.execute("PRAGMA synchronous").fetchone()[0]
            if own < 2:                          # OFF or NORMAL already
                return ()
            raw.execute("PRAGMA synchronous=NORMAL")     # until the connection goes back to the pool
            info[SYNCHRONOUS] = own
    return ()


@event.listens_for(Pool, "checkin")
def _restore_synchronous(dbapi_connection, record) -> None:
    """A SQLite connection goes back to the pool with its own setting (the next user waits for the disk)."""
    if dbapi_connection is None or record is None or SYNCHRONOUS not in record.info:
        return
    own = record.info.pop(SYNCHRONOUS)
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute(f"PRAGMA synchronous={int(own)}")


def _send_to_channel(message: OutboxMessage, now: datetime) -> dict:
    """One robot message; any failure is this message's own (the other robots still get theirs)."""
    if message.endpoint is None or not message.endpoint.active:
        raise ValueError("the channel was removed")
    try:
        channels.send(message, message.endpoint, now=now)
    except (channels.ChannelError, OSError) as error:
        raise ValueError(str(error)) from error
    return {}


def _due(now: datetime) -> tuple:
    return (OutboxMessage.state == MessageState.PENDING, OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now))


def claim(session: Session, message_id: int, *, now: datetime) -> OutboxMessage | None:
    """Takes the message for LEASE if it is still due and nobody holds it (compare-and-set); commits."""
    taken = session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, *_due(now))
                            .values(claimed_until=now + LEASE).execution_options(synchronize_session=False))
    session.commit()
    if taken.rowcount != 1:
        return None
    return session.get(OutboxMessage, message_id, populate_existing=True)


def deliver_one(session: Session, message: OutboxMessage, send: Callable[[OutboxMessage], dict],
                now: datetime, result: Delivery) -> bool:
    """Sends one claimed message through `send` and commits the outcome; False when the channel is gone.

    `send` returns the refused recipients; it raises OSError (or SMTPServerDisconnected) when
    nothing more can go through this channel, SMTPException or ValueError when this message failed.
    """
    try:
        refused = send(message)
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        _apply(message, _failure(message.attempts, error, now), result.failed)
        result.unreachable, result.error = True, error
        session.commit()
        return False
    except (smtplib.SMTPException, ValueError) as error:
        _apply(message, _failure(message.attempts, error, now), result.failed)
    else:
        _apply(message, _success(message.attempts, refused, now), result.sent)
    session.commit()
    return True


def _apply(message: OutboxMessage, outcome: dict, into: list[Outcome]) -> None:
    for column, value in outcome.items():
        setattr(message, column, value)
    into.append(Outcome(message.subject, message.recipient_name, list(message.to_addrs), list(message.cc_addrs),
                        message.attempts, message.last_error))


def _send_smtp(connection: smtplib.SMTP, sender: Address, email: Email, now: datetime) -> dict:
    try:
        return connection.sendmail(
            sender.addr_spec, [*email.to_addrs, *email.cc_addrs],
            mail.build_email(subject=email.subject, text=email.text_body, html=email.html_body, sender=sender,
                             recipient_name=email.recipient_name, to=email.to_addrs, cc=email.cc_addrs,
                             message_id=email.message_id, now=now))
    except smtplib.SMTPServerDisconnected:
        raise
    except smtplib.SMTPException:
        _reset(connection)   # the next message starts a clean SMTP transaction
        raise


def _unreachable(session: Session, held: list[Email], unclaimed: list[int], error: BaseException | None,
                 now: datetime, result: Delivery) -> None:
    """The connection is gone: each message we hold, and each one still due (claimed by us in the same
    commit), waits for a retry."""
    result.unreachable = True
    taken = session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(unclaimed), *_due(now))
                            .values(claimed_until=now).returning(*EMAIL_COLUMNS)
                            .execution_options(synchronize_session=False)).all() if unclaimed else []
    for email in [*held, *(_email(row) for row in taken)]:
        _record(session, email, _failure(email.attempts, error, now), result.failed)
    session.commit()


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    # loading the system's CA certificates takes a while: only when the connection is encrypted
    context = ssl.create_default_context() if settings.security in ("ssl", "starttls") else None
    if settings.security == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS,
                                                    context=context)
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.ehlo()
        if settings.security == "starttls":
            connection.starttls(context=context)
            connection.ehlo()
        if settings.username:
            connection.login(settings.username, settings.password or "")
    except BaseException:
        _quit(connection)
        raise
    return connection


def _success(attempts: int, refused: dict, now: datetime) -> dict:
    """The columns of a message the server took (naming the recipients it refused, if any)."""
    return dict(claimed_until=None, attempts=attempts + 1, last_attempt_at=now, state=MessageState.SENT,
                sent_at=now, last_error=("refused: " + ", ".join(sorted(refused)))[:2000] if refused else "")


def _failure(attempts: int, error: BaseException | None, now: datetime) -> dict:
    """The columns of a failed attempt: retried after a growing delay, given up after the last."""
    outcome: dict = dict(claimed_until=None, attempts=attempts + 1, last_attempt_at=now,
                         last_error=f"{type(error).__name__}: {error}"[:2000])
    if rules.gives_up(attempts + 1):
        outcome["state"] = MessageState.FAILED
    else:
        outcome["next_attempt_at"] = now + rules.retry_delay(attempts + 1)
    return outcome


def _reset(connection: smtplib.SMTP) -> None:
    try:
        connection.rset()
    except (smtplib.SMTPException, OSError):
        pass


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
