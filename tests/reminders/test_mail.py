"""The e-mail as received: Chinese decoded intact, headers complete, nothing injected."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.plans.models import Unit

from .conftest import BASE_URL

FGW = "fgw@zz.example.cn"


def _rename(app, old: str, new: str) -> None:
    with app.app_context():
        db.session.scalar(select(Unit).where(Unit.name == old)).name = new
        db.session.commit()


def test_the_chinese_subject_and_both_parts_decode_exactly(run_day, addressed):
    received = [r for r in run_day(date(2024, 10, 14)) if FGW in r.rcpt_tos][0]
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert received.subject == "【催报】市发展和改革委员会：2024年第3季度进展报送逾期提醒"
    assert received.raw.isascii()   # 7-bit on the wire: RFC 2047 headers, encoded UTF-8 bodies
    assert b"=?utf-8?" in received.raw.lower()
    assert received.text.startswith("市发展和改革委员会：\n")
    assert "贵单位尚有以下" in received.text and "请尽快报送" in received.text
    assert "<td>加强知识产权现代化治理的制度供给</td>" in received.html
    assert f'<a href="{BASE_URL}/workspace/2024Q3?plan=' in received.html
    for part in message.get_body(("plain",)), message.get_body(("html",)):
        assert part.get_content_charset() == "utf-8"


def test_the_recipient_is_named_after_the_unit_and_the_sender_after_the_platform(run_day, addressed):
    message = [r for r in run_day(date(2024, 10, 14)) if FGW in r.rcpt_tos][0].message
    to = message["To"].addresses[0]
    sender = message["From"].addresses[0]
    assert (to.display_name, to.addr_spec) == ("市发展和改革委员会", FGW)
    assert (sender.display_name, sender.addr_spec) == ("规划任务督办平台", "tracker@example.gov.cn")


def test_every_message_has_a_message_id_and_a_date(run_day, addressed):
    received = run_day(date(2024, 10, 14))
    ids = {r.message["Message-ID"] for r in received}
    assert len(ids) == len(received) == 3
    assert all(i.startswith("<") and i.endswith("@tracker.example.gov.cn>") for i in ids)
    assert all(r.message["Date"].datetime.date() == date(2024, 10, 14) for r in received)


def test_a_unit_name_with_line_breaks_cannot_inject_headers(app, run_day, addressed):
    _rename(app, "市发展和改革委员会", "市发改委\r\nBcc: thief@evil.example\r\n\r\nforged body")
    received = [r for r in run_day(date(2024, 10, 14)) if FGW in r.rcpt_tos][0]
    message = received.message
    assert received.rcpt_tos == [FGW]
    assert message["Bcc"] is None and b"\r\nBcc:" not in received.raw
    assert "\n" not in received.subject and "\r" not in received.subject
    assert received.subject == "【催报】市发改委 Bcc: thief@evil.example forged body：2024年第3季度进展报送逾期提醒"
    assert message["To"].addresses[0].addr_spec == FGW


def test_markup_in_a_task_or_unit_name_is_escaped_in_the_html_part(app, run_day, addressed):
    _rename(app, "市发展和改革委员会", "市发改委<script>alert(1)</script>")
    html = [r for r in run_day(date(2024, 10, 14)) if FGW in r.rcpt_tos][0].html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_address_with_a_line_break_is_rejected_not_sent(app, run_day, addressed, set_unit_emails, smtp):
    set_unit_emails("市财政局", ["czj@zz.example.cn\r\nBcc: thief@evil.example"])
    run_day(date(2024, 10, 14))
    assert all("thief@evil.example" not in r.rcpt_tos for r in smtp.received)
    assert not smtp.to("czj@zz.example.cn")


def _compat32_reference(*, subject, text, html, sender, recipient_name, to, cc, message_id, now, boundary) -> bytes:
    """The same mail built and flattened by the `email` package's compat32 classes (what was sent before)."""
    from email import policy
    from email.header import Header
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.utils import format_datetime, formataddr

    from tracker.reminders.mail import OFFICE_NAME
    from tracker.reminders.rules import header_text

    message = MIMEMultipart("alternative", boundary=boundary)
    message["Subject"] = Header(header_text(subject, 300), "utf-8")  # type: ignore[assignment]
    message["From"] = formataddr((sender.display_name, sender.addr_spec), "utf-8")
    message["To"] = ", ".join(formataddr((header_text(recipient_name), a), "utf-8") for a in to)
    if cc:
        message["Cc"] = ", ".join(formataddr((OFFICE_NAME, a), "utf-8") for a in cc)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.attach(MIMEText(text, "plain", "utf-8"))
    message.attach(MIMEText(html, "html", "utf-8"))
    return message.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))


@pytest.mark.database_free
@pytest.mark.parametrize("mail", [
    dict(subject="【催办】2025年第3季度进展报告已逾期（基准单位001）", text="基准\n单位" * 100, html="<p>任务</p>",
         sender=("规划任务督办平台", "t@x.cn"), recipient_name="基准单位001", to=["u@b.cn"], cc=[]),
    dict(subject="short ascii", text="", html="", sender=("Tracker", "t@x.cn"), recipient_name="Unit",
         to=["a@b.cn", "c@d.cn", "e@f.cn", "g@h.cn", "i@j.cn"], cc=["o@p.cn", "q@r.cn"]),
    dict(subject="长" * 290, text="a" * 1000, html="é" * 500, sender=("郑州市知识产权局督查室", "duban@example.test"),
         recipient_name="市发展和改革委员会" * 5, to=["fgw@zz.example.cn", "x@zz.example.cn"], cc=["dcs@zz.example.cn"]),
    dict(subject="a  b\r\nBcc: evil@x.cn", text="line\r\nline2\n.\n", html="<b>\n</b>", sender=("A B", "t@x.cn"),
         recipient_name="Mr  Two\nSpaces", to=["a@b.cn"], cc=[]),
], ids=["reminder", "many-recipients", "long-everything", "line-breaks"])
def test_the_mail_bytes_are_those_the_email_package_writes(mail):
    from datetime import datetime
    from email.headerregistry import Address
    from zoneinfo import ZoneInfo

    from tracker.reminders.mail import build_email

    fields = {**mail, "sender": Address(display_name=mail["sender"][0], addr_spec=mail["sender"][1]),
              "message_id": "<m-" + "x" * 70 + "@example.test>",
              "now": datetime(2024, 10, 14, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
              "boundary": "===============1234567890123456789=="}
    built = build_email(**fields)
    assert built == _compat32_reference(**fields)
    assert b"\nBcc:" not in built and built.isascii()
