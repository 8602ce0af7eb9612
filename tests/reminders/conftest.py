"""Reminder fixtures: a real SMTP server on loopback, unit addresses, and one reminder run."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from datetime import date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.db import db

ZONE = ZoneInfo("Asia/Shanghai")
BASE_URL = "https://tracker.example.gov.cn"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 and a free port; stop() and start() simulate an outage."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = _free_port()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    def settings(self, sender: str = "tracker@example.gov.cn"):
        from tracker.reminders.delivery import SmtpSettings

        return SmtpSettings(host="127.0.0.1", port=self.port, security="none", sender=sender)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def set_unit_emails(app):
    """Gives units contact addresses: set(name, [addresses])."""
    from tracker.plans.models import Unit

    def set_emails(name: str, emails: list[str]) -> int:
        with app.app_context():
            unit = db.session.scalar(select(Unit).where(Unit.name == name))
            unit.emails = list(emails)
            db.session.commit()
            return unit.id

    return set_emails


@pytest.fixture
def run_day(app, smtp):
    """One day of the scheduler: the sweep (committed), then delivery (committed). Returns new mail."""
    from tracker.reminders import delivery, services
    from tracker.reminders.rules import Cadence

    def run(day: date, cadence: Cadence = Cadence()) -> list[Received]:
        before = len(smtp.received)
        with app.app_context():
            services.sweep(db.session, today=day, now=at(day), cadence=cadence, base_url=BASE_URL)
            db.session.commit()
            delivery.deliver(db.session, settings=smtp.settings(), now=at(day, 8, 31))
            db.session.commit()
            db.session.remove()
        return smtp.received[before:]

    return run


@pytest.fixture
def addressed(plan, set_unit_emails, make_user):
    """Three units with addresses (contacts and/or users), everyone else without. Returns addresses by unit."""
    set_unit_emails("市发展和改革委员会", ["fgw@zz.example.cn"])
    make_user("gxj", unit="市工业和信息化局", email="gxj@zz.example.cn")
    set_unit_emails("市林业局", ["lyj@zz.example.cn", "lyj-office@zz.example.cn"])
    make_user("ly", unit="市林业局", email="ly-clerk@zz.example.cn")
    make_user("duchashi", role="supervisor", email="dcs@zz.example.cn")
    return {"市发展和改革委员会": ["fgw@zz.example.cn"], "市工业和信息化局": ["gxj@zz.example.cn"],
            "市林业局": ["lyj@zz.example.cn", "lyj-office@zz.example.cn", "ly-clerk@zz.example.cn"]}
