"""A small plan written for these tests, and factories for reports, flags and escalations.

The small plan (2024–2025, owed from 2024Q2): three units, four tasks.
  task 1: lead 甲局, co 乙局     task 2: lead 乙局, co 丙局
  task 3: lead 丙局              task 4: lead 甲局, co 丙局
Today is 2024-11-20: 2024Q2 (due 2024-07-05) and 2024Q3 (due 2024-10-12) are overdue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.db import db

ZONE = ZoneInfo("Asia/Shanghai")
UNITS = ["甲局", "乙局", "丙局"]


def small_seed(title: str = "测试规划", tasks: int = 4, extra_units: int = 0, start_year: int = 2024,
               end_year: int = 2025) -> dict:
    units = UNITS + [f"单位{i:03d}" for i in range(extra_units)]
    written = [("甲局", ["乙局"]), ("乙局", ["丙局"]), ("丙局", []), ("甲局", ["丙局"])]
    records = []
    for index in range(tasks):
        lead, co = written[index % 4]
        if extra_units:
            co = co + [units[3 + (index + k) % extra_units] for k in range(min(3, extra_units))]
        records.append({"number": str(index + 1), "title": f"任务{index + 1}", "text": f"任务{index + 1}的内容",
                        "section": "第一部分" if index % 2 == 0 else "第二部分",
                        "section_key": "1" if index % 2 == 0 else "2", "lead": lead, "co": co})
    return {
        "plan": {"title": title, "start_year": start_year, "end_year": end_year},
        "sections": [{"key": "1", "part": "重点任务", "title": "第一部分", "position": 1},
                     {"key": "2", "part": "重点任务", "title": "第二部分", "position": 2}],
        "tasks": records,
        "units": [{"name": name, "kind": "department", "aliases": [], "members": [], "office": None}
                  for name in units],
    }


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=ZONE)


@dataclass
class World:
    plan_id: int

    def task(self, number: str):
        from tracker.plans.models import Task

        return db.session.scalar(select(Task).where(Task.plan_id == self.plan_id, Task.number == number))

    def unit(self, name: str):
        from tracker.plans.models import Unit

        return db.session.scalar(select(Unit).where(Unit.name == name))

    def period(self, key: str):
        from tracker.reporting.queries import get_period

        return get_period(db.session, self.plan_id, key)

    def report(self, number: str, unit: str, key: str, *, state: str = "submitted", status: str | None = "on_track",
               percent: int | None = 50, on: date | None = None, progress: str = "按计划推进"):
        """A report as the unit left it; submitted on the due date unless `on` says otherwise."""
        from tracker.plans.models import Assignment
        from tracker.reporting.models import Report, ReportVersion, State, Status

        task, unit_row, period = self.task(number), self.unit(unit), self.period(key)
        duty = db.session.scalar(select(Assignment.duty).where(Assignment.task_id == task.id,
                                                               Assignment.unit_id == unit_row.id))
        state = State(state)
        submitted_on = None if state is State.DRAFT else (on or period.due_on)
        report = Report(task_id=task.id, unit_id=unit_row.id, period_id=period.id, duty=duty, state=state,
                        status=Status(status) if status else None, percent=percent, progress=progress,
                        next_steps="继续推进", submitted_on=submitted_on,
                        submitted_at=at(submitted_on) if submitted_on else None,
                        is_late=bool(submitted_on and submitted_on > period.due_on),
                        updated_at=at(submitted_on or period.due_on))
        db.session.add(report)
        db.session.flush()
        report.versions.append(ReportVersion(number=1, action="submit", state=state, status=report.status,
                                             percent=percent, progress=progress, saved_at=report.updated_at))
        db.session.flush()
        return report


@pytest.fixture
def world(app):
    """The small plan, seeded and owed from 2024Q2; use inside `with app.app_context()` or `ctx`."""
    from tracker.plans.cli import seed_plan

    with app.app_context():
        plan, _ = seed_plan(small_seed(), actor="test")
        plan.first_owed_period = "2024Q2"
        db.session.commit()
        return World(plan.id)


@pytest.fixture
def office(make_user, login, client):
    """The client logged in as the supervision office."""
    make_user("office", role="supervisor")
    login(client, "office")
    return client


@pytest.fixture
def lit(app, world):
    """task 1 green, 2 red (reported lagging), 3 red (丙局 silent two quarters), 4 yellow (丙局 2024Q3 overdue)."""
    with app.app_context():
        for key in ("2024Q2", "2024Q3"):
            world.report("1", "甲局", key, percent=60)
            world.report("1", "乙局", key, percent=None)
            world.report("2", "乙局", key, status="lagging" if key == "2024Q3" else "on_track", percent=30)
            world.report("2", "丙局", key, percent=None)
            world.report("4", "甲局", key, percent=60)
        world.report("4", "丙局", "2024Q2", percent=None)
        db.session.commit()
    return world
