"""Notices reach the unit (real SMTP on loopback): a return with its comment, a 督办 with its deadline,
the deadline passed unanswered (unit and office, the 督办单 one colour up); each once, each switchable."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.db import db
from tracker.reminders import delivery, jobs, notices
from tracker.reminders.models import Notice
from tracker.reminders.rules import NoticeKind
from tracker.supervision import services
from tracker.supervision.ladder import EscalationState, Ladder
from tracker.supervision.models import Escalation

from .conftest import BASE_URL, at

JIA, OFFICE = "jia@zz.example.cn", "dcs@zz.example.cn"
TODAY = date(2024, 11, 20)   # a Wednesday


@pytest.fixture
def world(app, make_user):
    from tracker.plans.cli import seed_plan

    from .._small_plan import World, small_seed

    with app.app_context():
        plan, _ = seed_plan(small_seed(), actor="test")
        plan.first_owed_period = "2024Q2"
        db.session.commit()
        world = World(plan.id)
    make_user("jia", unit="甲局", email=JIA)
    make_user("duchashi", role="supervisor", email=OFFICE)
    return world


def _deliver(app, smtp, day=TODAY):
    before = len(smtp.received)
    with app.app_context():
        delivery.deliver(db.session, settings=smtp.settings(), now=at(day, 9))
        db.session.commit()
    return smtp.received[before:]


def _office(app):
    from tracker.accounts.models import User

    return db.session.scalar(select(User).where(User.username == "duchashi"))


def test_a_returned_report_reaches_the_unit_with_the_comment_once(app, world, smtp):
    with app.app_context():
        report = world.report("1", "甲局", "2024Q3")
        db.session.commit()
        services.return_report(db.session, report, comment="请补充佐证材料", actor=_office(app), now=at(TODAY),
                               base_url=BASE_URL)
        db.session.commit()
        review = report.reviews[-1]
        assert notices.report_returned(db.session, review, now=at(TODAY), base_url=BASE_URL) == []   # decided once
        db.session.commit()
    received = _deliver(app, smtp)
    assert [r.rcpt_tos for r in received] == [[JIA]]
    assert received[0].subject.startswith("【退回】任务1 2024年第3季度")
    assert "退回意见：请补充佐证材料" in received[0].text and f"{BASE_URL}/workspace/2024Q3" in received[0].text
    assert _deliver(app, smtp) == []


def test_a_report_accepted_after_a_return_is_told_and_a_first_acceptance_is_not(app, world, smtp):
    from tracker.reporting.models import State

    with app.app_context():
        first = world.report("1", "甲局", "2024Q3")
        again = world.report("4", "甲局", "2024Q3")
        db.session.commit()
        services.accept_report(db.session, first, actor=_office(app), now=at(TODAY), base_url=BASE_URL)
        services.return_report(db.session, again, comment="数据有误", actor=_office(app), now=at(TODAY),
                               base_url=BASE_URL)
        again.state = State.SUBMITTED
        services.accept_report(db.session, again, comment="已核实", actor=_office(app), now=at(TODAY),
                               base_url=BASE_URL)
        db.session.commit()
    subjects = [r.subject for r in _deliver(app, smtp)]
    assert len(subjects) == 2
    assert any(s.startswith("【审核通过】任务4") for s in subjects) and not any("任务1" in s for s in subjects)


def test_the_office_can_switch_a_notice_off(app, world, smtp):
    with app.app_context():
        notices.set_enabled(db.session, NoticeKind.REPORT_RETURNED, False, actor=_office(app), now=at(TODAY))
        report = world.report("1", "甲局", "2024Q3")
        services.return_report(db.session, report, comment="请补充", actor=_office(app), now=at(TODAY),
                               base_url=BASE_URL)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Notice)) == 0
    assert _deliver(app, smtp) == []


def test_an_escalation_reaches_its_units_and_its_passed_deadline_the_unit_and_the_office(app, world, smtp):
    with app.app_context():
        task = world.task("1")
        escalation = services.open_escalation(db.session, task, reason="请说明滞后原因", respond_by=date(2024, 11, 22),
                                              actor=_office(app), now=at(TODAY), today=TODAY, base_url=BASE_URL)
        db.session.commit()
        assert escalation.state is EscalationState.OPEN
        escalation_id = escalation.id
    opened = _deliver(app, smtp)
    assert [r.rcpt_tos for r in opened] == [[JIA]]
    assert "请签收并于 2024-11-22 前书面反馈" in opened[0].text and "蓝色督办单" in opened[0].text

    saturday, monday = date(2024, 11, 23), date(2024, 11, 25)
    with app.app_context():
        jobs.remind(today=saturday, now=at(saturday))            # not on a weekend
        assert db.session.get(Escalation, escalation_id).level == 0
        jobs.remind(today=monday, now=at(monday))
        jobs.remind(today=monday, now=at(monday, 12))           # a second run the same day: nothing more
        escalation = db.session.get(Escalation, escalation_id)
        assert escalation.level == 1 and escalation.respond_by == date(2024, 11, 28)
    overdue = [r for r in _deliver(app, smtp, monday) if r.subject.startswith("【督办逾期】")]
    assert sorted(r.rcpt_tos[0] for r in overdue) == [OFFICE, JIA]
    assert "督办已升级为黄色督办单" in overdue[0].text


def test_the_unit_acknowledges_and_responds_and_the_escalation_stops_climbing(app, world, smtp):
    from tracker.accounts.models import User

    with app.app_context():
        escalation = services.open_escalation(db.session, world.task("1"), reason="请说明", respond_by=TODAY,
                                              actor=_office(app), now=at(TODAY), today=TODAY, base_url=BASE_URL)
        jia = db.session.scalar(select(User).where(User.username == "jia"))
        services.acknowledge_escalation(db.session, escalation, unit=jia.unit, actor=jia, now=at(TODAY))
        assert escalation.state is EscalationState.ACKNOWLEDGED
        services.respond_to_escalation(db.session, escalation, text="已整改", unit=jia.unit, actor=jia,
                                       now=at(TODAY), today=TODAY)
        db.session.flush()
        assert escalation.state is EscalationState.RESPONDED
        assert services.raise_ignored_escalations(db.session, today=date(2024, 11, 21), now=at(date(2024, 11, 21)),
                                                  ladder=Ladder(), base_url=BASE_URL) == []
        services.close_escalation(db.session, escalation, actor=_office(app), now=at(TODAY))
        assert escalation.state is EscalationState.CLOSED
