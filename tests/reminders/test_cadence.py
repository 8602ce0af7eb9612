"""The cadence on the official calendar, keyed to each missing report (real SMTP on loopback): working days
only, a report returned late chased from its return, a 10-day scheduler outage caught up once, and an
approved extension moving the chase."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tracker.db import db
from tracker.plans.models import Assignment, Task, Unit
from tracker.reminders.models import Reminder
from tracker.reminders.rules import Kind
from tracker.reporting.models import Extension, ExtensionState, Period, Report, Review, State

FGW = "fgw@zz.example.cn"
DUE = date(2024, 10, 12)


def to_fgw(received):
    return [r for r in received if FGW in r.rcpt_tos]


def _fgw_reports_all_but_one(app, plan, *, last_state: State | None, returned_on: date | None = None) -> str:
    """市发改委 has submitted every 2024Q3 report but one (left as last_state); returns that task's number."""
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "市发展和改革委员会"))
        period = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q3"))
        assignments = db.session.scalars(select(Assignment).where(Assignment.unit_id == unit.id)
                                         .order_by(Assignment.id)).all()
        kept = db.session.get(Task, assignments[0].task_id).number
        for index, assignment in enumerate(assignments):
            state = State.SUBMITTED if index else last_state
            if state is None:
                continue
            report = Report(task_id=assignment.task_id, unit_id=unit.id, period_id=period.id, duty=assignment.duty,
                            state=state, submitted_on=date(2024, 10, 10),
                            submitted_at=datetime(2024, 10, 10, tzinfo=UTC),
                            updated_at=datetime(2024, 10, 10, tzinfo=UTC))
            db.session.add(report)
            if state is State.RETURNED:
                db.session.flush()
                db.session.add(Review(report_id=report.id, decision="return", comment="请补充",
                                      reviewed_at=datetime.combine(returned_on, datetime.min.time(),
                                                                   tzinfo=UTC) + timedelta(hours=3)))
        db.session.commit()
        return kept


def _run(run_day, first: date, last: date) -> dict[date, list]:
    out, day = {}, first
    while day <= last:
        out[day] = to_fgw(run_day(day))
        day += timedelta(days=1)
    return out


def test_reminders_go_out_on_working_days_only(run_day, addressed):
    sent = _run(run_day, date(2024, 9, 28), date(2024, 11, 10))
    days = [day for day, mails in sent.items() if mails]
    assert days and all(day.weekday() < 5 or day == DUE for day in days)     # the make-up Saturday is a working day
    assert not any(date(2024, 10, 1) <= day <= date(2024, 10, 7) for day in days)   # National Day


def test_a_report_returned_on_day_20_is_chased_again_from_its_return(app, plan, run_day, addressed):
    task = _fgw_reports_all_but_one(app, plan, last_state=State.RETURNED, returned_on=date(2024, 11, 1))
    sent = _run(run_day, date(2024, 11, 1), date(2024, 11, 30))
    days = [day for day, mails in sent.items() if mails]
    assert days == [date(2024, 11, 4), date(2024, 11, 7), date(2024, 11, 12), date(2024, 11, 15),
                    date(2024, 11, 20), date(2024, 11, 25)]
    first = sent[date(2024, 11, 4)][0]
    assert f"任务{task}" in first.text and "已退回，待修改后重新报送" in first.text
    assert "第 1 次催报" in first.text
    assert sent[date(2024, 11, 25)][0].subject.startswith("【督办】")      # the cap and the copy, per report
    with app.app_context():
        chases = {r.chase_from for r in db.session.scalars(select(Reminder).join(Unit)
                                                            .where(Unit.name == "市发展和改革委员会"))}
        assert chases == {date(2024, 11, 1)}


def test_a_step_missed_during_a_ten_day_scheduler_outage_is_sent_once(app, run_day, addressed):
    assert to_fgw(run_day(date(2024, 10, 14)))                       # step 1
    # the scheduler is down from 10-15 to 10-24
    caught_up = to_fgw(run_day(date(2024, 10, 25)))
    assert len(caught_up) == 1 and "第 4 次催报" in caught_up[0].text
    assert to_fgw(run_day(date(2024, 10, 25))) == []                  # not doubled
    with app.app_context():
        steps = sorted(r.step for r in db.session.scalars(select(Reminder).join(Unit)
                                                           .where(Unit.name == "市发展和改革委员会")))
    assert steps == [1, 4]


def test_an_escalation_copy_missed_during_a_ten_day_outage_is_sent_once_afterwards(app, run_day, addressed):
    assert to_fgw(run_day(date(2024, 10, 30)))                       # step 5
    # down from 10-31 to 11-09: the escalation copy (due 11-04) was never sent
    caught_up = to_fgw(run_day(date(2024, 11, 11)))
    assert len(caught_up) == 1 and caught_up[0].subject.startswith("【督办】")
    assert "dcs@zz.example.cn" in caught_up[0].rcpt_tos
    assert to_fgw(run_day(date(2024, 11, 12))) == []


def test_an_approved_extension_moves_the_reports_chase_and_a_refused_one_does_not(app, plan, run_day, addressed):
    task = _fgw_reports_all_but_one(app, plan, last_state=None)
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "市发展和改革委员会"))
        period = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q3"))
        task_id = db.session.scalar(select(Task.id).where(Task.plan_id == plan, Task.number == task))
        for state, due in ((ExtensionState.REFUSED, date(2024, 11, 30)), (ExtensionState.APPROVED, date(2024, 10, 25))):
            db.session.add(Extension(task_id=task_id, unit_id=unit.id, period_id=period.id, due_on=due, reason="x",
                                     state=state, asked_at=datetime(2024, 10, 8, tzinfo=UTC)))
        db.session.commit()
    sent = _run(run_day, date(2024, 10, 12), date(2024, 10, 31))
    days = [day for day, mails in sent.items() if mails]
    assert days == [date(2024, 10, 22), date(2024, 10, 28), date(2024, 10, 31)]   # notice, then overdue
    assert sent[date(2024, 10, 22)][0].subject.startswith("【提醒】")
    assert "将于 2024-10-25 截止" in sent[date(2024, 10, 22)][0].text
    assert "第 1 次催报" in sent[date(2024, 10, 28)][0].text
    with app.app_context():
        kinds = [r.kind for r in db.session.scalars(select(Reminder).join(Unit)
                                                     .where(Unit.name == "市发展和改革委员会").order_by(Reminder.id))]
    assert kinds == [Kind.NOTICE, Kind.OVERDUE, Kind.OVERDUE]
