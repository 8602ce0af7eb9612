"""Loading a plan: idempotent, updates in place with an audit trail, groups expanded."""
from __future__ import annotations

import copy

from sqlalchemy import func, select

from tracker import clock
from tracker.core.audit import AuditEntry
from tracker.plans.models import Assignment, Duty, Plan, Task, Unit
from tracker.plans.services import load_seed, set_group_members


def _assignments(session, number: str, plan_title: str | None = None) -> dict[str, tuple[str, str | None]]:
    query = (select(Unit.name, Assignment.duty, Assignment.via_group_id)
             .join(Assignment, Assignment.unit_id == Unit.id).join(Task, Task.id == Assignment.task_id)
             .where(Task.number == number))
    if plan_title:
        query = query.join(Plan, Plan.id == Task.plan_id).where(Plan.title == plan_title)
    via = {u.id: u.name for u in session.scalars(select(Unit))}
    return {name: (duty.value, via.get(group)) for name, duty, group in session.execute(query)}


def test_seeding_twice_changes_nothing(ctx, seed_data):
    load_seed(ctx, seed_data, actor="test", now=clock.now())
    ctx.commit()
    entries = ctx.scalar(select(func.count(AuditEntry.id)))
    _, changes = load_seed(ctx, copy.deepcopy(seed_data), actor="test", now=clock.now())
    ctx.commit()
    assert not changes.changed
    assert ctx.scalar(select(func.count(AuditEntry.id))) == entries
    assert ctx.scalar(select(func.count(Task.id))) == 53


def test_an_updated_seed_updates_in_place_and_records_what_changed(ctx, seed_data):
    plan, _ = load_seed(ctx, seed_data, actor="test", now=clock.now())
    ctx.commit()
    task_id = ctx.scalar(select(Task.id).where(Task.number == "9"))
    changed = copy.deepcopy(seed_data)
    task = next(t for t in changed["tasks"] if t["number"] == "9")
    task["title"] = "打造版权精品（修订）"
    task["co"] = task["co"] + ["市林业局"]
    _, changes = load_seed(ctx, changed, actor="test", now=clock.now())
    ctx.commit()
    assert ctx.scalar(select(Task.id).where(Task.number == "9")) == task_id  # same row
    assert ctx.get(Task, task_id).title == "打造版权精品（修订）"
    assert "市林业局" in _assignments(ctx, "9")
    actions = ctx.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(task_id))).all()
    assert "seed.update" in actions and "task.units" in actions
    assert any(line.startswith("task 9") for line in changes.updated)


def test_a_second_plan_leaves_the_first_alone(ctx, seed_data):
    load_seed(ctx, seed_data, actor="test", now=clock.now())
    other = copy.deepcopy(seed_data)
    other["plan"] = {"title": "郑州市“十五五”知识产权发展规划", "start_year": 2026, "end_year": 2030}
    other["tasks"] = other["tasks"][:3]
    other["tasks"][0]["co"] = []
    load_seed(ctx, other, actor="test", now=clock.now())
    ctx.commit()
    assert ctx.scalar(select(func.count(Plan.id))) == 2
    assert len(_assignments(ctx, "1", seed_data["plan"]["title"])) == 11
    assert list(_assignments(ctx, "1", "郑州市“十五五”知识产权发展规划")) == ["市人民代表大会常务委员会"]


def test_a_collective_unit_expands_into_its_members(ctx, seed_data):
    load_seed(ctx, seed_data, actor="test", now=clock.now())
    units = _assignments(ctx, "6")
    districts = [name for name, (_, via) in units.items() if via == "各区县（市）人民政府"]
    zones = [name for name, (_, via) in units.items() if via == "各开发区管委会"]
    assert len(districts) == 12 and "中牟县人民政府" in districts
    assert len(zones) == 4 and "郑东新区管委会" in zones
    assert units["市市场监督管理局（知识产权局）"] == (Duty.LEAD.value, None)
    assert "各区县（市）人民政府" not in units  # the collective itself owes nothing


def test_a_group_without_members_is_answered_for_by_its_office(ctx, seed_data):
    load_seed(ctx, seed_data, actor="test", now=clock.now())
    units = _assignments(ctx, "15")  # lead: 市打击侵犯知识产权和制售假冒伪劣商品工作领导小组成员单位
    assert units["市市场监督管理局（知识产权局）"] == ("lead", "市打击侵犯知识产权和制售假冒伪劣商品工作领导小组成员单位")


def test_setting_a_groups_members_changes_who_answers_for_its_tasks(ctx, seed_data):
    load_seed(ctx, seed_data, actor="test", now=clock.now())
    group = ctx.scalar(select(Unit).where(Unit.name == "市打击侵犯知识产权和制售假冒伪劣商品工作领导小组成员单位"))
    police = ctx.scalar(select(Unit).where(Unit.name == "市公安局"))
    set_group_members(ctx, group, [police], actor="test", now=clock.now())
    ctx.commit()
    units = _assignments(ctx, "15")
    assert units["市公安局"] == ("co", group.name)
    assert units["市市场监督管理局（知识产权局）"][0] == "lead"  # the office still leads
