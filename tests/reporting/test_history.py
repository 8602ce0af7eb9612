"""History stays true: a roster or lead change today leaves every figure of earlier periods as it was."""
from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tracker.plans.models import Assignment, GroupMember, Unit
from tracker.plans.services import load_seed, set_group_members, update_unit
from tracker.reporting.compliance import tally_by_unit
from tracker.reporting.models import Period
from tracker.reporting.obligations import owed
from tracker.reporting.services import save_report, submit_report

from .conftest import CO_FULL, FGW, FULL, LVJ, XCB, ZHONGYUAN, at

CHANGED_ON = date(2024, 11, 20)  # 2024Q4: the change holds from this quarter on
LEADING_GROUP = "市知识产权工作领导小组成员单位"
DISTRICTS = "各区县（市）人民政府"


def every_figure(world) -> dict:
    """Every unit's 应报/已报/迟报/未报 and every obligation (task, unit, duty) of every period."""
    periods = world.session.scalars(select(Period).where(Period.plan_id == world.plan_id)).all()
    out = {}
    for period in periods:
        out[period.key] = {
            "tallies": {(t.unit_name, t.tally.owed, t.tally.submitted, t.tally.late, t.tally.missing)
                        for t in tally_by_unit(world.session, period.id, plan_id=world.plan_id)},
            "owed": {(r.task_id, r.unit_id, str(r.duty), r.report_id)
                     for r in world.session.execute(owed(period_ids=[period.id], plan_id=world.plan_id))},
        }
    return out


@pytest.fixture
def reported(world):
    """Some reports on time, some late, in 2023 and 2024."""
    clerk = world.user("clerk", XCB)
    for key, late in (("2023Q1", False), ("2023Q4", True), ("2024Q2", False), ("2024Q3", True)):
        period = world.period(key)
        day = period.due_on + timedelta(days=3 if late else -1)
        for number, unit, data in (("9", XCB, FULL), ("9", LVJ, CO_FULL), ("2", ZHONGYUAN, CO_FULL)):
            report, _ = save_report(world.session, task=world.task(number), unit=world.unit(unit), period=period,
                                    data=data, expected_version=0, actor=clerk, now=at(day), today=day)
            submit_report(world.session, report, actor=clerk, now=at(day), today=day)
    return world


def earlier(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key < "2024Q4"}


def test_adding_members_to_a_leading_group_leaves_every_earlier_figure_unchanged(reported, world):
    before = every_figure(world)
    group = world.unit(LEADING_GROUP)
    four = [world.unit(name) for name in ("市科学技术局", "市统计局", "市公安局", "市商务局")]
    set_group_members(world.session, group, four, actor="test", now=at(CHANGED_ON))
    after = every_figure(world)
    assert earlier(after) == earlier(before)
    science = world.unit("市科学技术局").id
    assert any(unit == science for _, unit, _, _ in after["2024Q4"]["owed"] - before["2024Q4"]["owed"])


def test_removing_a_district_keeps_its_past_obligations_and_reports(reported, world):
    before = every_figure(world)
    group = world.unit(DISTRICTS)
    others = [m for m in group.members if m.name != ZHONGYUAN]
    set_group_members(world.session, group, others, actor="test", now=at(CHANGED_ON))
    after = every_figure(world)
    assert earlier(after) == earlier(before)
    zhongyuan = world.unit(ZHONGYUAN).id
    assert not any(unit == zhongyuan for _, unit, _, _ in after["2024Q4"]["owed"])
    assert any(unit == zhongyuan for _, unit, _, _ in after["2024Q3"]["owed"])


def test_a_lead_change_by_re_seeding_leaves_every_earlier_figure_and_duty_unchanged(reported, world, seed_data):
    before = every_figure(world)
    changed = copy.deepcopy(seed_data)
    task = next(t for t in changed["tasks"] if t["number"] == "9")
    task["lead"], task["leads"], task["co"] = LVJ, [LVJ], [XCB, FGW]
    load_seed(world.session, changed, actor="test", now=at(CHANGED_ON))
    after = every_figure(world)
    assert earlier(after) == earlier(before)
    nine = world.task("9").id
    leads_now = {unit for t, unit, duty, _ in after["2024Q4"]["owed"] if t == nine and duty.endswith("LEAD")}
    leads_then = {unit for t, unit, duty, _ in after["2024Q3"]["owed"] if t == nine and duty.endswith("LEAD")}
    assert leads_now == {world.unit(LVJ).id} and leads_then == {world.unit(XCB).id}


def test_re_seeding_never_restores_a_member_or_an_alias_an_administrator_removed(world, seed_data):
    group = world.unit(DISTRICTS)
    set_group_members(world.session, group, [m for m in group.members if m.name != ZHONGYUAN], actor="test",
                      now=at(CHANGED_ON))
    unit = next(u for u in world.session.scalars(select(Unit)) if u.aliases)
    removed = unit.aliases[0]
    update_unit(world.session, unit, emails=[], aliases=unit.aliases[1:], actor="test", now=at(CHANGED_ON))
    load_seed(world.session, seed_data, actor="test", now=at(CHANGED_ON + timedelta(days=1)))
    world.session.expire_all()
    assert ZHONGYUAN not in {m.name for m in world.unit(DISTRICTS).members}
    assert removed not in world.session.get(Unit, unit.id).aliases
    ended = world.session.scalar(select(GroupMember).where(GroupMember.group_id == group.id,
                                                           GroupMember.member_id == world.unit(ZHONGYUAN).id))
    assert ended.until_period == "2024Q3"


def test_a_member_added_back_owes_again_from_the_current_period_only(world):
    group = world.unit(DISTRICTS)
    everyone = list(group.members)
    set_group_members(world.session, group, [m for m in everyone if m.name != ZHONGYUAN], actor="test",
                      now=at(date(2024, 5, 1)))
    set_group_members(world.session, group, everyone, actor="test", now=at(CHANGED_ON))
    zhongyuan, two = world.unit(ZHONGYUAN).id, world.task("2").id
    rows = world.session.scalars(select(Assignment).where(Assignment.unit_id == zhongyuan,
                                                          Assignment.task_id == two)).all()
    assert sorted((a.from_period or "", a.until_period or "") for a in rows) == [("", "2024Q1"), ("2024Q4", "")]
