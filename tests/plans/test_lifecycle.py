"""A plan's life cycle from the command line and the pages: list, archive, the first period, closing a task."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from tests.conftest import csrf_from
from tracker.db import db
from tracker.plans.cli import plans_command, seed_command
from tracker.plans.models import Plan, Task
from tracker.reporting.cli import periods as periods_command
from tracker.reporting.compliance import tally_by_unit, total
from tracker.reporting.models import Period
from tracker.supervision.queries import evaluate


def _tally(plan_id: int, key: str):
    period = db.session.scalar(select(Period).where(Period.plan_id == plan_id, Period.key == key))
    return total(tally_by_unit(db.session, period.id, plan_id=plan_id))


def test_tracker_plans_list_and_archive(app, later_plan):
    old, new = later_plan
    runner = app.test_cli_runner()
    listed = runner.invoke(plans_command, ["list"])
    assert listed.exit_code == 0
    assert f"{old}\t郑州市“十四五”知识产权发展规划（征求意见稿）\t2021–2025\tactive" in listed.output
    assert f"{new}\t郑州市“十五五”知识产权发展规划\t2026–2030\tactive" in listed.output
    archived = runner.invoke(plans_command, ["archive", str(old)])
    assert archived.exit_code == 0 and "archived on 2026-01-05" in archived.output
    assert "archived 2026-01-05" in runner.invoke(plans_command, ["list"]).output
    again = runner.invoke(plans_command, ["archive", str(old)])
    assert again.exit_code != 0 and "already archived" in again.output
    assert runner.invoke(plans_command, ["archive", "999"]).exit_code != 0


def test_archiving_freezes_the_lights_at_the_archive_date(app, later_plan):
    old, _ = later_plan
    with app.app_context():
        plan = db.session.get(Plan, old)
        plan.state, plan.archived_on = plan.state.ARCHIVED, date(2024, 11, 20)
        db.session.commit()
        frozen = {t: e.light.colour for t, e in evaluate(db.session, old, today=date(2024, 11, 20)).items()}
        later = {t: e.light.colour for t, e in evaluate(db.session, old, today=date(2026, 1, 5)).items()}
    assert frozen == later


def test_a_plan_seeded_with_a_first_period_owes_nothing_before_it(app, tmp_path, seed_data, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", date(2026, 7, 15))
    seed = json.loads(json.dumps(seed_data))
    seed["plan"].update(title="十五五规划（年中导入）", start_year=2026, end_year=2030)
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(seed_command, [str(path), "--first-period", "2026q3"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.title == "十五五规划（年中导入）"))
        assert plan.first_owed_period == "2026Q3"
        assert _tally(plan.id, "2026Q1").owed == 0 and _tally(plan.id, "2026Q2").owed == 0
        assert _tally(plan.id, "2026Q3").owed > 0
        lights = evaluate(db.session, plan.id, today=date(2026, 7, 15))
        assert not any(e.light.colour.value == "red" for e in lights.values())  # not overdue on day one


def test_a_first_period_outside_the_plan_is_refused(app, tmp_path, seed_data):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed_data, ensure_ascii=False), encoding="utf-8")
    runner = app.test_cli_runner()
    bad = runner.invoke(seed_command, [str(path), "--first-period", "nonsense"])
    assert bad.exit_code != 0 and "2026Q1" in bad.output
    result = runner.invoke(seed_command, [str(path), "--first-period", "2031Q1"])
    assert result.exit_code != 0 and "规划期" in result.output
    with app.app_context():
        assert db.session.scalar(select(Plan)) is None  # nothing saved


def test_the_office_closes_a_task_and_it_owes_nothing_from_the_next_quarter(app, plan, make_user, login):
    make_user("office", role="supervisor")
    office = app.test_client()
    login(office, "office")
    page = office.get(f"/plans/{plan}/tasks/3").get_data(as_text=True)
    answer = office.post(f"/plans/{plan}/tasks/3/close",
                         data={"csrf_token": csrf_from(page), "note": "专利资金管理办法已印发", "closed_on": "2024-11-18"})
    assert answer.status_code == 302
    page = office.get(f"/plans/{plan}/tasks/3").get_data(as_text=True)
    assert "办结说明：专利资金管理办法已印发" in page and "下一季度起无需报送" in page
    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.plan_id == plan, Task.number == "3"))
        assert evaluate(db.session, plan, today=date(2024, 11, 20))[task.id].light.colour.value == "done"
        from tracker.reporting.obligations import owed
        q4 = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q4"))
        q1 = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2025Q1"))
        assert db.session.execute(owed(period_ids=[q4.id], task_id=task.id)).first() is not None  # closed in it
        assert db.session.execute(owed(period_ids=[q1.id], task_id=task.id)).first() is None      # the next one
    page = office.get(f"/plans/{plan}/tasks/3").get_data(as_text=True)
    assert office.post(f"/plans/{plan}/tasks/3/reopen", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert "重新启动" in office.get(f"/plans/{plan}/tasks/3").get_data(as_text=True)


def test_a_unit_cannot_close_a_task(app, plan, make_user, login):
    make_user("ipo", unit="市市场监督管理局（知识产权局）")
    clerk = app.test_client()
    login(clerk, "ipo")
    page = clerk.get(f"/plans/{plan}/tasks/3").get_data(as_text=True)
    answer = clerk.post(f"/plans/{plan}/tasks/3/close", data={"csrf_token": csrf_from(page), "note": "x"})
    assert answer.status_code == 403


def test_periods_recompute_reports_due_dates_still_computed(app, plan):
    with app.app_context():
        period = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q3"))
        period.due_on, period.due_provisional = date(2024, 10, 8), True   # as counted Monday–Friday before
        hand = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q4"))
        hand.due_on, hand.due_overridden = date(2025, 1, 20), True
        db.session.commit()
    result = app.test_cli_runner().invoke(periods_command, ["recompute"])
    assert result.exit_code == 0 and "2024Q3" in result.output and "2024Q4" not in result.output
    with app.app_context():
        period = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q3"))
        hand = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2024Q4"))
        assert (period.due_on, period.due_provisional) == (date(2024, 10, 12), False)
        assert hand.due_on == date(2025, 1, 20)


def test_an_administrator_changes_a_task_s_lead_from_this_quarter_on(app, plan, make_user, login):
    from tracker.plans.models import Assignment, Unit

    make_user("admin", role="admin")
    admin = app.test_client()
    login(admin, "admin")
    url = f"/admin/plans/{plan}/tasks/9/units"
    page = admin.get(url).get_data(as_text=True)
    with app.app_context():
        ids = {u.name: u.id for u in db.session.scalars(select(Unit))}
    answer = admin.post(url, data={"csrf_token": csrf_from(page), "lead": ids["市文化广电和旅游局"],
                                   "co": [ids["市委宣传部（新闻出版局）"], ids["市发展和改革委员会"]]})
    assert answer.status_code == 302
    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.plan_id == plan, Task.number == "9"))
        rows = {(db.session.get(Unit, a.unit_id).name, a.duty.value, a.from_period, a.until_period)
                for a in db.session.scalars(select(Assignment).where(Assignment.task_id == task.id))}
    assert ("市委宣传部（新闻出版局）", "lead", None, "2024Q3") in rows
    assert ("市委宣传部（新闻出版局）", "co", "2024Q4", None) in rows
    assert ("市文化广电和旅游局", "lead", "2024Q4", None) in rows
    assert ("市发展和改革委员会", "co", None, None) in rows
    assert "调整责任单位" in admin.get(f"/plans/{plan}/tasks/9").get_data(as_text=True)


def test_a_unit_cannot_change_a_task_s_units(app, plan, make_user, login):
    make_user("xcb", unit="市委宣传部（新闻出版局）")
    clerk = app.test_client()
    login(clerk, "xcb")
    assert clerk.get(f"/admin/plans/{plan}/tasks/9/units").status_code == 403
