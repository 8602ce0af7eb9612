"""A task with two lead units: both are created, both report status and percent, the task shows the most behind."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tracker.plans.cli import seed_plan
from tracker.plans.models import Assignment, Duty, Task, Unit
from tracker.reporting.models import Period, Status
from tracker.reporting.services import ReportInput, save_report, submit_report
from tracker.supervision.ledger import list_ledger
from tracker.supervision.lights import Colour
from tracker.supervision.queries import evaluate

TODAY = date(2024, 11, 20)
NOW = datetime(2024, 11, 20, 9, tzinfo=UTC)
SEED = {
    "plan": {"title": "青川市“十四五”双牵头测试规划", "start_year": 2021, "end_year": 2025},
    "sections": [{"key": "1", "part": "一、重点任务", "title": "重点任务", "position": 1}],
    "tasks": [{"number": "1", "title": "建设创新平台", "text": "建设创新平台。", "section": "重点任务",
               "section_key": "1", "lead": "甲局", "leads": ["甲局", "乙局"], "co": ["丙局"],
               "units_text": "", "line": 5}],
    "units": [],
}


@pytest.fixture
def two_leads(ctx):
    plan, _ = seed_plan(SEED, actor="test")
    ctx.flush()
    return plan, ctx.scalar(select(Task).where(Task.plan_id == plan.id))


def report(ctx, task, name, status, percent):
    unit = ctx.scalar(select(Unit).where(Unit.name == name))
    period = ctx.scalar(select(Period).where(Period.plan_id == task.plan_id, Period.key == "2024Q3"))
    saved, _ = save_report(ctx, task=task, unit=unit, period=period,
                           data=ReportInput(status, percent, "进展", "无", "继续"),
                           expected_version=None, actor="test", now=NOW, today=TODAY)
    submit_report(ctx, saved, actor="test", now=NOW, today=TODAY)


def test_seeding_creates_every_lead(ctx, two_leads):
    _, task = two_leads
    assert [(tu.unit.name, tu.duty) for tu in task.written_units] == [
        ("甲局", Duty.LEAD), ("乙局", Duty.LEAD), ("丙局", Duty.CO)]
    duties = dict(ctx.execute(select(Unit.name, Assignment.duty).join(Assignment.unit)
                              .where(Assignment.task_id == task.id)).all())
    assert duties == {"甲局": Duty.LEAD, "乙局": Duty.LEAD, "丙局": Duty.CO}


def test_seeding_again_changes_nothing_and_a_changed_lead_is_updated(ctx, two_leads):
    plan, task = two_leads
    _, changes = seed_plan(SEED, actor="test")
    assert not changes.changed
    moved = {**SEED, "tasks": [{**SEED["tasks"][0], "leads": ["甲局"], "co": ["乙局", "丙局"]}]}
    _, changes = seed_plan(moved, actor="test")
    assert "task 1: units" in changes.updated
    assert [u.name for u in task.lead_units] == ["甲局"]


def test_each_lead_reports_and_the_task_shows_the_most_behind(ctx, two_leads):
    plan, task = two_leads
    report(ctx, task, "甲局", Status.ON_TRACK, 60)
    report(ctx, task, "乙局", Status.LAGGING, 30)
    evaluated = evaluate(ctx, plan.id, today=TODAY)[task.id]
    assert evaluated.light.colour is Colour.RED and evaluated.percent == 30
    assert evaluated.behind_lead.unit == "乙局"
    [row] = list_ledger(ctx, plan, today=TODAY)
    assert (row.lead, row.co, row.status, row.percent) == ("甲局、乙局", ["丙局"], Status.LAGGING, 30)


def test_the_task_is_done_only_when_every_lead_says_so(ctx, two_leads):
    plan, task = two_leads
    report(ctx, task, "甲局", Status.DONE, 100)
    assert evaluate(ctx, plan.id, today=TODAY)[task.id].light.colour is not Colour.DONE
    report(ctx, task, "乙局", Status.DONE, 100)
    assert evaluate(ctx, plan.id, today=TODAY)[task.id].light.colour is Colour.DONE
