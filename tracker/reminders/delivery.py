"""Sending the outbox over SMTP: one connection per batch, retries with exponential backoff.

At least once: a message is marked sent in the transaction the caller commits after the
batch, so a crash in between sends it again (same Message-ID). Two delivery processes on
PostgreSQL never take the same message (SELECT … FOR UPDATE SKIP LOCKED).
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.reminders import channels, mail, rules
from tracker.reminders.models import OutboxMessage
from tracker.reminders.rules import Channel, MessageState

log = logging.getLogger(__name__)

BATCH = 200
TIMEOUT_SECONDS = 30


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


def deliver(session: Session, *, settings: SmtpSettings, now: datetime, limit: int = BATCH) -> Delivery:
    """Sends the messages that are due: robot channels one by one, e-mails over one SMTP connection
    (without SMTP settings e-mails wait); records every attempt. Never commits."""
    query = (select(OutboxMessage)
             .where(OutboxMessage.state == MessageState.PENDING, OutboxMessage.next_attempt_at <= now)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
             .limit(limit)
             .with_for_update(skip_locked=True))
    if not settings.configured:
        query = query.where(OutboxMessage.channel != Channel.EMAIL)
    due = list(session.scalars(query))
    result = Delivery(configured=settings.configured)
    for message in (m for m in due if m.channel is not Channel.EMAIL):
        _send_to_channel(message, now, result)
    due = [m for m in due if m.channel is Channel.EMAIL]
    if not due:
        session.flush()
        return result
    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        for message in due:
            _failed(message, error, now, result)
        result.unreachable = True
        log.warning("SMTP %s:%s unreachable: %s", settings.host, settings.port, error)
        session.flush()
        return result
    try:
        for index, message in enumerate(due):
            try:
                refused = connection.send_message(
                    mail.build_email(subject=message.subject, text=message.text_body, html=message.html_body,
                                     sender=settings.sender, recipient_name=message.recipient_name,
                                     to=message.to_addrs, cc=message.cc_addrs, message_id=message.message_id,
                                     now=now),
                    from_addr=mail.sender_address(settings.sender).addr_spec,
                    to_addrs=[*message.to_addrs, *message.cc_addrs])
            except (smtplib.SMTPServerDisconnected, OSError) as error:
                for lost in due[index:]:   # the connection is gone: the rest wait for the next run
                    _failed(lost, error, now, result)
                result.unreachable = True
                break
            except (smtplib.SMTPException, ValueError) as error:
                _failed(message, error, now, result)
                _reset(connection)
            else:
                _sent(message, refused, now, result)
    finally:
        _quit(connection)
    session.flush()
    log.info("outbox: %d sent, %d failed", len(result.sent), len(result.failed))
    return result


def _send_to_channel(message: OutboxMessage, now: datetime, result: Delivery) -> None:
    """One robot message: sent, or failed and retried like an e-mail."""
    if message.endpoint is None or not message.endpoint.active:
        _failed(message, channels.ChannelError("the channel was removed"), now, result)
        return
    try:
        channels.send(message, message.endpoint, now=now)
    except (channels.ChannelError, OSError, ValueError) as error:
        _failed(message, error, now, result)
    else:
        _sent(message, {}, now, result)


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
    message.attempts += 1
    message.last_attempt_at = now
    message.state = MessageState.SENT
    message.sent_at = now
    message.last_error = ("refused: " + ", ".join(sorted(refused)))[:2000] if refused else ""
    result.sent.append(message)


def _failed(message: OutboxMessage, error: BaseException, now: datetime, result: Delivery) -> None:
    message.attempts += 1
    message.last_attempt_at = now
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if rules.gives_up(message.attempts):
        message.state = MessageState.FAILED
    else:
        message.next_attempt_at = now + rules.retry_delay(message.attempts)
    result.failed.append(message)


def _reset(connection: smtplib.SMTP) -> None:
    """After a refused message, the next one starts a clean SMTP transaction."""
    try:
        connection.rset()
    except (smtplib.SMTPException, OSError):
        pass


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
