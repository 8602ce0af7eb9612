"""Who owes what: assignments with groups expanded, from the first owed period, open tasks only."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.plans.lifecycle import archive_plan, close_task, reopen_task
from tracker.plans.models import Duty, Task, Unit
from tracker.plans.services import set_group_members
from tracker.reporting.obligations import owed

from .conftest import ZHONGYUAN, ZSCQJ, at


def owed_tasks(world, unit_name: str, key: str) -> dict[str, Duty]:
    period = world.period(key)
    rows = world.session.execute(owed(period_ids=[period.id], unit_id=world.unit(unit_name).id,
                                      plan_id=world.plan_id)).all()
    return {world.session.get(Task, r.task_id).number: Duty(r.duty) for r in rows}


def test_a_district_owes_the_tasks_of_its_group(world):
    tasks = owed_tasks(world, ZHONGYUAN, "2024Q3")
    assert tasks["2"] is Duty.CO  # through 各区县（市）人民政府
    assert "1" not in tasks


def test_the_office_of_a_group_without_members_owes_for_it(world):
    tasks = owed_tasks(world, ZSCQJ, "2024Q3")
    assert tasks["2"] is Duty.LEAD  # 市知识产权工作领导小组成员单位 leads; its office sits in ZSCQJ


def test_obligations_follow_a_group_from_the_period_it_gets_members(world):
    group = world.session.scalar(select(Unit).where(Unit.name == "市知识产权战略实施工作联席会议成员单位"))
    member = world.unit("市统计局")
    set_group_members(world.session, group, [member], actor="test", now=at(date(2024, 11, 20)))
    # the group's office keeps the lead; its members assist — from the current quarter on
    assert owed_tasks(world, "市统计局", "2024Q4")["13"] is Duty.CO
    assert "13" not in owed_tasks(world, "市统计局", "2024Q3")
    assert owed_tasks(world, ZSCQJ, "2024Q4")["13"] is Duty.LEAD


def test_periods_before_the_first_owed_period_are_not_owed(world):
    world.task("1").plan.first_owed_period = "2024Q1"
    world.session.flush()
    assert owed_tasks(world, ZSCQJ, "2023Q4") == {}
    assert owed_tasks(world, ZSCQJ, "2024Q1")


def test_a_closed_task_owes_nothing_for_the_quarters_after_it_closed(world):
    close_task(world.session, world.task("3"), note="已完成全部工作", closed_on=date(2024, 5, 15), actor="test",
               now=at(date(2024, 5, 15)))
    assert "3" in owed_tasks(world, ZSCQJ, "2024Q2")
    assert "3" not in owed_tasks(world, ZSCQJ, "2024Q3")


def test_a_reopened_task_owes_again_from_the_quarter_it_reopened_never_for_the_closed_ones(world):
    close_task(world.session, world.task("3"), note="已完成", closed_on=date(2024, 5, 15), actor="test",
               now=at(date(2024, 5, 15)))
    reopen_task(world.session, world.task("3"), actor="test", today=date(2024, 11, 2), now=at(date(2024, 11, 2)))
    assert "3" not in owed_tasks(world, ZSCQJ, "2024Q3")
    assert "3" in owed_tasks(world, ZSCQJ, "2024Q4")
    assert world.task("3").closed_on is None


def test_an_archived_plan_owes_nothing_for_periods_after_its_archive_date(world):
    plan = world.task("1").plan
    archive_plan(world.session, plan, actor="test", today=date(2024, 8, 1), now=at(date(2024, 8, 1)))
    assert owed_tasks(world, ZSCQJ, "2024Q3")  # it started before the archive date
    assert owed_tasks(world, ZSCQJ, "2024Q4") == {}


def test_each_period_of_the_plan_has_its_official_due_date(world):
    assert world.period("2024Q3").due_on == date(2024, 10, 12)
    assert world.period("2024Q4").due_on == date(2025, 1, 8)
