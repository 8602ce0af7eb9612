"""催办 by hand (remind_now): the supervision office's button, through the same outbox."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.db import db
from tracker.plans.models import Unit
from tracker.reminders import delivery, services
from tracker.reminders.models import OutboxMessage, Reminder
from tracker.reminders.rules import Kind, Outcome
from tracker.reporting.queries import get_period

from .conftest import BASE_URL, at


def _units(*names):
    return list(db.session.scalars(select(Unit).where(Unit.name.in_(names))))


def test_remind_now_queues_one_mail_per_unit_that_still_owes(app, plan, addressed, smtp):
    with app.app_context():
        period = get_period(db.session, plan, "2024Q3")
        decided = services.remind_now(db.session, period=period, units=_units("市发展和改革委员会", "市工业和信息化局"),
                                      actor=None, now=at(date(2024, 11, 20)), base_url=BASE_URL)
        db.session.commit()
        assert sorted(r.unit.name for r in decided) == ["市发展和改革委员会", "市工业和信息化局"]
        assert {r.kind for r in decided} == {Kind.MANUAL}
        delivery.deliver(db.session, settings=smtp.settings(), now=at(date(2024, 11, 20), 9))
        db.session.commit()
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["fgw@zz.example.cn", "gxj@zz.example.cn"]
    fgw = smtp.to("fgw@zz.example.cn")[0]
    assert fgw.subject == "【催办】市发展和改革委员会：2024年第3季度进展报送催办"
    assert f"{BASE_URL}/workspace/2024Q3" in fgw.text


def test_remind_now_twice_on_the_same_day_decides_once(app, plan, addressed):
    with app.app_context():
        period = get_period(db.session, plan, "2024Q3")
        units = _units("市发展和改革委员会")
        first = services.remind_now(db.session, period=period, units=units, actor=None,
                                    now=at(date(2024, 11, 20)), base_url=BASE_URL)
        db.session.commit()
        again = services.remind_now(db.session, period=period, units=units, actor=None,
                                    now=at(date(2024, 11, 20), 15), base_url=BASE_URL)
        next_day = services.remind_now(db.session, period=period, units=units, actor=None,
                                       now=at(date(2024, 11, 21)), base_url=BASE_URL)
        db.session.commit()
        assert (len(first), len(again), len(next_day)) == (1, 0, 1)
        assert db.session.query(OutboxMessage).count() == 2


def test_remind_now_skips_units_that_owe_nothing_and_records_units_without_address(app, plan, addressed):
    with app.app_context():
        period = get_period(db.session, plan, "2024Q3")
        decided = services.remind_now(db.session, period=period,
                                      units=_units("各区县（市）人民政府", "市财政局"),
                                      actor=None, now=at(date(2024, 11, 20)), base_url=BASE_URL)
        db.session.commit()
        assert {r.unit.name: r.outcome for r in decided} == {"市财政局": Outcome.NO_ADDRESS}
        assert db.session.query(Reminder).count() == 1 and db.session.query(OutboxMessage).count() == 0
