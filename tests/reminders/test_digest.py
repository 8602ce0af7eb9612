"""The weekly digest to the supervision office: lagging tasks, silent units, the week's changes."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from tracker.db import db
from tracker.plans.models import Assignment, Plan, Unit
from tracker.reminders import delivery, digest
from tracker.reminders.models import Digest
from tracker.reminders.rules import Outcome
from tracker.reporting.models import Period, Report, Review, State

from .conftest import BASE_URL, ZONE, at

MONDAY = date(2024, 11, 18)


def _report(unit_name: str, period_key: str, *, state: State, at_: datetime, plan_id: int) -> Report:
    unit = db.session.scalar(select(Unit).where(Unit.name == unit_name))
    period = db.session.scalar(select(Period).where(Period.plan_id == plan_id, Period.key == period_key))
    assignment = db.session.scalars(select(Assignment).where(Assignment.unit_id == unit.id)).first()
    report = Report(task_id=assignment.task_id, unit_id=unit.id, period_id=period.id, duty=assignment.duty,
                    state=state, submitted_at=at_, submitted_on=at_.date(), updated_at=at_)
    db.session.add(report)
    db.session.flush()
    return report


def _send(app, plan, smtp, day=MONDAY):
    with app.app_context():
        found = digest.send_digest(db.session, db.session.get(Plan, plan), today=day, now=at(day, 9),
                                   base_url=BASE_URL)
        db.session.commit()
        delivery.deliver(db.session, settings=smtp.settings(), now=at(day, 9, 1))
        db.session.commit()
        return found is not None


def test_the_digest_lists_the_weeks_changes_silent_units_and_units_without_address(app, plan, addressed, smtp):
    with app.app_context():
        _report("市发展和改革委员会", "2024Q3", state=State.SUBMITTED, plan_id=plan,
                at_=datetime(2024, 11, 15, 10, tzinfo=ZONE))
        returned = _report("市林业局", "2024Q3", state=State.RETURNED, plan_id=plan,
                           at_=datetime(2024, 11, 1, 10, tzinfo=ZONE))
        db.session.add(Review(report_id=returned.id, decision="return", comment="请补充",
                              reviewed_at=datetime(2024, 11, 14, 16, tzinfo=ZONE)))
        db.session.commit()
    assert _send(app, plan, smtp)
    [received] = smtp.received
    assert received.rcpt_tos == ["dcs@zz.example.cn"]
    assert received.subject.startswith("【督办周报】2024-11-18：滞后任务 ")
    text = received.text
    assert "报送 1 份，退回 1 份，审核通过 0 份" in text
    assert "2024-11-15 报送 · 市发展和改革委员会" in text and "2024-11-14 退回 · 市林业局" in text
    silent = text.split("二、", 1)[1].split("三、", 1)[0]
    assert "2024年第3季度尚无任何报送的单位" in silent
    assert "市财政局" in silent and "市发展和改革委员会" not in silent
    no_address = text.split("四、", 1)[1].split("五、", 1)[0]
    assert "市财政局" in no_address and "市林业局" not in no_address
    assert "<h3" in received.html and "市财政局" in received.html


def test_the_digest_names_the_indicators_behind_their_path(app, plan, addressed, smtp, make_user):
    from tracker import clock
    from tracker.indicators import services
    from tracker.indicators.models import Indicator

    owner_id = make_user("ipo", unit="市市场监督管理局（知识产权局）")
    with app.app_context():
        from tracker.accounts.models import User

        owner = db.session.get(User, owner_id)
        indicator = db.session.scalar(select(Indicator).where(Indicator.plan_id == plan, Indicator.number == 1))
        services.enter_value(db.session, indicator, services.ValueInput(year=2023, value="5.1", note="统计年报"),
                             upload_dir=app.config["TRACKER_UPLOAD_DIR"], max_bytes=1024, actor=owner,
                             now=clock.now(), today=clock.today())
        db.session.commit()
    _send(app, plan, smtp)
    behind = smtp.received[0].text.split("五、", 1)[1]
    assert "进度落后的指标共 1 项" in behind
    assert "指标1 每万人口高价值发明专利拥有量" in behind and "低于路径值" in behind
    assert "每万人口高价值发明专利拥有量" in smtp.received[0].html


def test_the_digest_counts_the_lagging_tasks_the_supervision_office_sees(app, plan, addressed, smtp):
    from tracker.supervision.queries import list_lagging

    with app.app_context():
        lagging = list_lagging(db.session, plan, today=MONDAY)
    _send(app, plan, smtp)
    text = smtp.received[0].text
    assert f"一、滞后任务（红灯、黄灯）共 {len(lagging)} 项" in text
    if lagging:
        assert f"任务{lagging[0].task.number} {lagging[0].task.title}" in text


def test_the_digest_goes_out_once_a_week(app, plan, addressed, smtp):
    assert _send(app, plan, smtp)
    assert not _send(app, plan, smtp, MONDAY + timedelta(days=3))
    assert _send(app, plan, smtp, MONDAY + timedelta(days=7))
    assert len(smtp.received) == 2


def test_without_an_office_address_the_digest_is_recorded_as_undeliverable(app, plan, smtp):
    assert _send(app, plan, smtp)
    with app.app_context():
        assert db.session.scalar(select(Digest.outcome)) is Outcome.NO_ADDRESS
        assert db.session.scalar(select(func.count()).select_from(Digest)) == 1
    assert smtp.received == []
