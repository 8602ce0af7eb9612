"""Sending the outbox over SMTP: claim, send, mark — one message at a time on one connection.

Each message is claimed before it is sent by a compare-and-set on its row (`claimed_until`,
a lease), committed at once, so no two delivery runs — two jobs of one scheduler, two
`tracker deliver`, two processes on SQLite or PostgreSQL — ever send the same message. It is
marked sent (or failed) and committed right after the SMTP server accepts it, so a crash
resends at most the one message in flight (same Message-ID); a claim left by a crashed
process expires with its lease and the message is taken again. `deliver_one` is the seam a
channel plugs into: it sends one claimed message and records the attempt.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from tracker.reminders import channels, mail, rules
from tracker.reminders.models import OutboxMessage
from tracker.reminders.rules import Channel, MessageState

log = logging.getLogger(__name__)

BATCH = 200
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


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: list[OutboxMessage] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)
    configured: bool = True
    unreachable: bool = False    # the connection failed: the rest of the outbox waits for the next run
    error: BaseException | None = None
    due: int = 0                 # messages that were due when the run began (claimed by us or not)


def deliver(session: Session, *, settings: SmtpSettings, now: datetime, limit: int = BATCH) -> Delivery:
    """Sends up to `limit` due messages, claiming and marking each one: robot channels one by one,
    e-mails over one SMTP connection (without SMTP settings, e-mails wait).

    Commits the session after each claim and each mark (that is what makes a crash cost at
    most one duplicate); the caller's pending changes are committed with the first claim.
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
    if not due:
        return result
    started = time.monotonic()
    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        _unreachable(session, due, error, now, result)
        log.warning("SMTP %s:%s unreachable: %s", settings.host, settings.port, error)
        return result
    try:
        for index, message_id in enumerate(due):
            message = claim(session, message_id, now=now + timedelta(seconds=time.monotonic() - started))
            if message is None:
                continue        # another run has it, or has sent it
            if not deliver_one(session, message, lambda m: _send_smtp(connection, settings, m, now), now, result):
                _unreachable(session, due[index + 1:], result.error, now, result)
                break
    finally:
        _quit(connection)
    return result


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
        _failed(message, error, now, result)
        result.unreachable, result.error = True, error
        session.commit()
        return False
    except (smtplib.SMTPException, ValueError) as error:
        _failed(message, error, now, result)
    else:
        _sent(message, refused, now, result)
    session.commit()
    return True


def _send_smtp(connection: smtplib.SMTP, settings: SmtpSettings, message: OutboxMessage, now: datetime) -> dict:
    try:
        return connection.send_message(
            mail.build_email(subject=message.subject, text=message.text_body, html=message.html_body,
                             sender=settings.sender, recipient_name=message.recipient_name,
                             to=message.to_addrs, cc=message.cc_addrs, message_id=message.message_id, now=now),
            from_addr=mail.sender_address(settings.sender).addr_spec, to_addrs=[*message.to_addrs, *message.cc_addrs])
    except smtplib.SMTPServerDisconnected:
        raise
    except smtplib.SMTPException:
        _reset(connection)   # the next message starts a clean SMTP transaction
        raise


def _unreachable(session: Session, message_ids: list[int], error: BaseException, now: datetime,
                 result: Delivery) -> None:
    """The channel is gone: each message still due (and claimed by us, in the same commit) waits for a retry."""
    result.unreachable = True
    for message_id in message_ids:
        message = _claim_for_failure(session, message_id, now=now)
        if message is not None:
            _failed(message, error, now, result)
    session.commit()


def _claim_for_failure(session: Session, message_id: int, *, now: datetime) -> OutboxMessage | None:
    """Like claim, without committing: the failure is recorded in the same transaction."""
    taken = session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, *_due(now))
                            .values(claimed_until=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        return None
    return session.get(OutboxMessage, message_id, populate_existing=True)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
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


def _sent(message: OutboxMessage, refused: dict, now: datetime, result: Delivery) -> None:
    message.claimed_until = None
    message.attempts += 1
    message.last_attempt_at = now
    message.state = MessageState.SENT
    message.sent_at = now
    message.last_error = ("refused: " + ", ".join(sorted(refused)))[:2000] if refused else ""
    result.sent.append(message)


def _failed(message: OutboxMessage, error: BaseException, now: datetime, result: Delivery) -> None:
    message.claimed_until = None
    message.attempts += 1
    message.last_attempt_at = now
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if rules.gives_up(message.attempts):
        message.state = MessageState.FAILED
    else:
        message.next_attempt_at = now + rules.retry_delay(message.attempts)
    result.failed.append(message)


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
