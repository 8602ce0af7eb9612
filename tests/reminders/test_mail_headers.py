"""Mail headers as an office sets them: a Chinese display name in the sender and the recipients,
and "抄送督查室" only when the office really is in copy (real SMTP on loopback)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.config import ConfigError, read
from tracker.db import db
from tracker.reminders import delivery, services
from tracker.reminders.rules import Cadence

from .conftest import BASE_URL, at

FGW = "fgw@zz.example.cn"
OFFICE_SENDER = "郑州市知识产权局督查室 <duban@example.test>"
FIRST_OVERDUE = date(2024, 10, 14)          # the first working day after the (make-up Saturday) due date
AT_ONCE = Cadence(max_overdue=0)            # the escalation copy is the first overdue reminder


def _run(app, smtp, day, sender="tracker@example.gov.cn", cadence=Cadence()):
    before = len(smtp.received)
    with app.app_context():
        services.sweep(db.session, today=day, now=at(day), cadence=cadence, base_url=BASE_URL)
        db.session.commit()
        result = delivery.deliver(db.session, settings=smtp.settings(sender), now=at(day, 9))
        db.session.commit()
        errors = [m.last_error for m in result.failed]
    return smtp.received[before:], errors


def test_a_display_name_sender_in_chinese_delivers(app, addressed, smtp):
    received, errors = _run(app, smtp, FIRST_OVERDUE, sender=OFFICE_SENDER)
    assert errors == []
    mine = [r for r in received if FGW in r.rcpt_tos][0]
    sender = mine.message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("郑州市知识产权局督查室", "duban@example.test")
    assert mine.mail_from == "duban@example.test"        # the envelope carries the bare address
    to = mine.message["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == ("市发展和改革委员会", FGW)
    assert mine.raw.isascii()


def test_the_office_sender_address_is_checked_at_start_up(tmp_path):
    assert read({"TRACKER_MAIL_FROM": OFFICE_SENDER}, tmp_path)["TRACKER_MAIL_FROM"] == OFFICE_SENDER
    with pytest.raises(ConfigError, match="TRACKER_MAIL_FROM"):
        read({"TRACKER_MAIL_FROM": "督查室"}, tmp_path)


def test_the_escalation_says_the_office_is_copied_only_when_it_is(app, addressed, smtp):
    received, _ = _run(app, smtp, FIRST_OVERDUE, cadence=AT_ONCE)
    escalation = [r for r in received if FGW in r.rcpt_tos][0]
    assert "抄送督查室" in escalation.subject and "本邮件同时抄送督查室" in escalation.text
    assert escalation.message["Cc"].addresses[0].display_name == "督查室"


def test_without_an_office_address_the_unit_is_not_told_the_office_was_copied(app, addressed, smtp, client,
                                                                              login, make_user):
    with app.app_context():
        office = db.session.scalar(select(User).where(User.username == "duchashi"))
        office.email = ""
        db.session.commit()
    received, _ = _run(app, smtp, FIRST_OVERDUE, cadence=AT_ONCE)
    escalation = [r for r in received if FGW in r.rcpt_tos][0]
    assert escalation.subject.startswith("【督办】")
    assert "抄送" not in escalation.subject and "抄送" not in escalation.text
    assert escalation.message["Cc"] is None and escalation.rcpt_tos == [FGW]
    make_user("admin", role="admin")
    login(client, "admin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "督查室没有有效的邮件地址" in page and "未抄送督查室：无地址" in page
