"""Who gets what, and when, on the official calendar; each decision made once (real SMTP on loopback)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from tracker.core.workdays import CHINA
from tracker.db import db
from tracker.plans.models import Assignment, Task, Unit
from tracker.reminders.models import OutboxMessage, Reminder
from tracker.reminders.rules import Cadence, Kind, Outcome
from tracker.reporting.models import Period, Report, State

DUE = date(2024, 10, 12)
NOTICE_DAY = CHINA.subtract_workdays(DUE, 3)   # 2024-10-09
FGW, GXJ, LYJ = "fgw@zz.example.cn", "gxj@zz.example.cn", "lyj@zz.example.cn"


def smtp_to(received, address):
    return [r for r in received if address in r.rcpt_tos]


def _owed_count(app, plan, unit_name: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Assignment).join(Unit, Unit.id == Assignment.unit_id)
            .join(Task, Task.id == Assignment.task_id).where(Unit.name == unit_name, Task.plan_id == plan))


def test_the_notice_goes_out_three_working_days_before_the_due_date_and_not_before(run_day, addressed):
    assert run_day(NOTICE_DAY - timedelta(days=1)) == []
    sent = run_day(NOTICE_DAY)
    assert sorted(r.rcpt_tos[0] for r in sent) == sorted([FGW, GXJ, LYJ])
    assert {r.subject for r in smtp_to(sent, FGW)} == {"【提醒】市发展和改革委员会：2024年第3季度进展报送将于10月12日截止"}


def test_overdue_reminders_start_the_first_working_day_after_and_repeat_every_three_working_days(run_day, addressed):
    assert run_day(date(2024, 10, 13)) == []           # the Sunday after the make-up Saturday due date
    first = run_day(date(2024, 10, 14))
    assert smtp_to(first, FGW)[0].subject == "【催报】市发展和改革委员会：2024年第3季度进展报送逾期提醒"
    assert "已逾期 2 天（第 1 次催报）" in smtp_to(first, FGW)[0].text
    assert run_day(date(2024, 10, 14)) == [] and run_day(date(2024, 10, 16)) == []
    second = run_day(date(2024, 10, 17))
    assert "已逾期 5 天（第 2 次催报）" in smtp_to(second, FGW)[0].text


def test_after_five_reminders_the_next_copies_the_supervision_office_and_then_it_stops(app, run_day, addressed):
    counts = {}
    for offset in range(1, 30):
        day = DUE + timedelta(days=offset)
        counts[day] = run_day(day)
    to_fgw = [r for sent in counts.values() for r in smtp_to(sent, FGW)]
    assert len(to_fgw) == 6
    assert [r.subject[:4] for r in to_fgw] == ["【催报】"] * 5 + ["【督办】"]
    escalation = to_fgw[-1]
    assert escalation.message["Cc"].addresses[0].addr_spec == "dcs@zz.example.cn"
    assert "dcs@zz.example.cn" in escalation.rcpt_tos
    assert "本邮件同时抄送督查室" in escalation.text
    assert [day for day, sent in counts.items() if smtp_to(sent, FGW)] == [
        date(2024, 10, 14), date(2024, 10, 17), date(2024, 10, 22), date(2024, 10, 25), date(2024, 10, 30),
        date(2024, 11, 4)]
    assert all(day.weekday() < 5 for day, sent in counts.items() if sent)


def test_the_cap_follows_the_configured_cadence(run_day, addressed):
    cadence = Cadence(before_workdays=3, every_days=2, max_overdue=2)
    subjects = [r.subject[:4] for offset in range(1, 12)
                for r in smtp_to(run_day(DUE + timedelta(days=offset), cadence), FGW)]
    assert subjects == ["【催报】", "【催报】", "【督办】"]


def test_a_second_run_on_the_same_day_sends_nothing(app, run_day, addressed):
    assert len(run_day(date(2024, 10, 14))) == 3
    assert run_day(date(2024, 10, 14)) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_one_email_per_unit_lists_every_task_it_owes(app, plan, run_day, addressed):
    sent = run_day(date(2024, 10, 14))
    owed = _owed_count(app, plan, "市发展和改革委员会")
    mail = smtp_to(sent, FGW)
    assert len(mail) == 1 and owed > 10
    assert f"尚有以下 {owed} 项任务未报送" in mail[0].text
    assert mail[0].text.count("任务") >= owed and mail[0].html.count("<tr>") == owed + 1
    assert "牵头单位" in mail[0].text or "配合单位" in mail[0].text
    assert "https://tracker.example.gov.cn/workspace/2024Q3" in mail[0].text


def test_every_address_of_a_unit_receives_it_in_one_message(run_day, addressed):
    sent = run_day(date(2024, 10, 14))
    forestry = [r for r in sent if LYJ in r.rcpt_tos]
    assert len(forestry) == 1
    assert sorted(forestry[0].rcpt_tos) == sorted(addressed["市林业局"])


def test_a_unit_that_has_submitted_everything_is_not_reminded(app, plan, run_day, addressed):
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "市发展和改革委员会"))
        period = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q3"))
        for assignment in db.session.scalars(select(Assignment).where(Assignment.unit_id == unit.id)):
            db.session.add(Report(task_id=assignment.task_id, unit_id=unit.id, period_id=period.id,
                                  duty=assignment.duty, state=State.SUBMITTED, submitted_on=date(2024, 10, 10),
                                  updated_at=datetime(2024, 10, 10, tzinfo=UTC)))
        db.session.commit()
    sent = run_day(date(2024, 10, 14))
    assert smtp_to(sent, FGW) == [] and len(sent) == 2


def test_a_returned_report_is_owed_again_and_says_so(app, plan, run_day, addressed):
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "市工业和信息化局"))
        period = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q3"))
        assignment = db.session.scalars(select(Assignment).where(Assignment.unit_id == unit.id)).first()
        db.session.add(Report(task_id=assignment.task_id, unit_id=unit.id, period_id=period.id, duty=assignment.duty,
                              state=State.RETURNED, updated_at=datetime(2024, 10, 11, tzinfo=UTC)))
        db.session.commit()
    mail = smtp_to(run_day(date(2024, 10, 14)), GXJ)[0]
    assert "已退回，待修改后重新报送" in mail.text


def test_a_unit_without_address_is_recorded_not_skipped(app, plan, run_day, addressed):
    run_day(date(2024, 10, 14))
    with app.app_context():
        silent = db.session.execute(
            select(Unit.name, Reminder.kind, Reminder.outcome, Reminder.message_key)
            .join(Unit, Unit.id == Reminder.unit_id).where(Unit.name == "市财政局")).one()
        assert tuple(silent) == ("市财政局", Kind.OVERDUE, Outcome.NO_ADDRESS, None)
        owing_units = db.session.scalar(
            select(func.count(func.distinct(Assignment.unit_id))).join(Task).where(Task.plan_id == plan))
        assert db.session.scalar(select(func.count()).select_from(Reminder)) == owing_units


def test_an_invalid_address_is_rejected_and_recorded(app, run_day, addressed, set_unit_emails):
    set_unit_emails("市财政局", ["not an address", "czj@zz.example.cn"])
    sent = run_day(date(2024, 10, 14))
    assert [r.rcpt_tos for r in sent if "czj@zz.example.cn" in r.rcpt_tos] == [["czj@zz.example.cn"]]
    with app.app_context():
        reminder = db.session.scalar(select(Reminder).join(Unit).where(Unit.name == "市财政局"))
        assert reminder.rejected == ["not an address"] and reminder.recipients == ["czj@zz.example.cn"]


def test_an_inactive_users_address_is_not_used(app, run_day, addressed):
    from tracker.accounts.models import User

    with app.app_context():
        db.session.scalar(select(User).where(User.username == "gxj")).active = False
        db.session.commit()
    assert smtp_to(run_day(date(2024, 10, 14)), GXJ) == []


def test_the_mail_says_whether_the_unit_leads_or_helps(run_day, addressed, set_unit_emails):
    set_unit_emails("市统计局", ["tjj@zz.example.cn"])
    mail = smtp_to(run_day(date(2024, 10, 14)), "tjj@zz.example.cn")[0]
    assert "牵头单位" in mail.text and "配合单位" in mail.text
    assert "<td>牵头</td>" in mail.html and "<td>配合</td>" in mail.html


def test_the_sweep_runs_in_a_fixed_number_of_queries(app, plan, addressed, count_queries, make_user):
    from tracker.reminders import services

    def queries_for(day):
        with count_queries() as counter:
            with app.app_context():
                services.sweep(db.session, today=day, now=datetime(2024, 10, 14, 1, tzinfo=UTC),
                               cadence=Cadence(), base_url="https://x")
                db.session.rollback()
        return len(counter)

    few = queries_for(date(2024, 10, 14))
    for index in range(6):
        make_user(f"clerk{index}", unit="市财政局", email=f"clerk{index}@zz.example.cn")
    assert queries_for(date(2024, 10, 14)) == few
