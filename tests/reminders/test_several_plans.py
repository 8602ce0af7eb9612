"""Reminders with two active plans name and link the right plan; an archived plan is reminded of nothing."""
from __future__ import annotations

from datetime import date, timedelta

from tracker.db import db
from tracker.plans.lifecycle import archive_plan
from tracker.plans.models import Plan

from .conftest import BASE_URL, at

XCB = "市委宣传部（新闻出版局）"   # leads task 9 in both plans
MAIL = "xcb@zz.example.cn"


def test_a_reminder_names_its_plan_and_links_its_plan_s_quarter(app, later_plan, run_day, set_unit_emails):
    old, new = later_plan
    set_unit_emails(XCB, [MAIL])
    sent = [r for day in range(9, 16) for r in run_day(date(2026, 1, day)) if MAIL in r.rcpt_tos]
    assert sent, "the 14th plan's 2025Q4 is overdue: its units are reminded"
    mail = sent[-1]
    assert "所属规划：郑州市“十四五”知识产权发展规划（征求意见稿）" in mail.text
    assert f"{BASE_URL}/workspace/2025Q4?plan={old}" in mail.text
    assert f'href="{BASE_URL}/workspace/2025Q4?plan={old}"' in mail.html
    assert "十五五" not in mail.text  # nothing of the new plan is due yet


def test_archiving_a_plan_stops_its_reminders(app, later_plan, run_day, set_unit_emails):
    old, new = later_plan
    set_unit_emails(XCB, [MAIL])
    with app.app_context():
        archive_plan(db.session, db.session.get(Plan, old), actor="test", today=date(2026, 1, 6), now=at(date(2026, 1, 6)))
        db.session.commit()
    sent = [r for day in range(9, 31) for r in run_day(date(2026, 1, day)) if MAIL in r.rcpt_tos]
    assert sent == []


def test_a_provisional_due_date_says_so_in_the_mail(app, later_plan, run_day, set_unit_emails):
    from sqlalchemy import select

    from tracker.reporting.models import Period

    old, _ = later_plan
    set_unit_emails(XCB, [MAIL])
    with app.app_context():
        period = db.session.scalar(select(Period).where(Period.plan_id == old, Period.key == "2025Q4"))
        period.due_provisional = True
        db.session.commit()
        due = period.due_on
    sent = [r for day in range(0, 8) for r in run_day(due + timedelta(days=day)) if MAIL in r.rcpt_tos]
    assert "截止日期暂按周一至周五计算，待国务院公布节假日安排后更新。" in sent[-1].text
