"""The office's pages cost the same number of SQL statements for a small plan and a large one."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.plans.models import Assignment, Task
from tracker.reporting.models import Period, Report, State, Status
from tracker.supervision.models import Escalation, EscalationResponse, Flag

from .conftest import small_seed

AT = datetime(2024, 1, 1, tzinfo=UTC)


def build(title: str, *, tasks: int, extra_units: int, start_year: int) -> int:
    """A plan with reports on most obligations, some lagging, some returned; a flag and escalations."""
    from tracker.plans.cli import seed_plan

    plan, _ = seed_plan(small_seed(title, tasks=tasks, extra_units=extra_units, start_year=start_year), actor="test")
    periods = db.session.scalars(select(Period).where(Period.plan_id == plan.id, Period.key <= "2024Q3")).all()
    assignments = db.session.execute(select(Assignment.task_id, Assignment.unit_id, Assignment.duty)
                                     .join(Task, Task.id == Assignment.task_id).where(Task.plan_id == plan.id)).all()
    reports = []
    for n, (task_id, unit_id, duty) in enumerate(assignments):
        for m, period in enumerate(periods):
            if (n + m) % 5 == 0:
                continue
            state = State.RETURNED if (n + m) % 7 == 0 else State.SUBMITTED
            reports.append(Report(task_id=task_id, unit_id=unit_id, period_id=period.id, duty=duty, state=state,
                                  status=Status.LAGGING if n % 6 == 0 else Status.ON_TRACK, percent=10 + m,
                                  progress="进展", submitted_on=period.due_on, is_late=bool(n % 3 == 0),
                                  updated_at=AT))
    db.session.add_all(reports)
    task_ids = [t.id for t in db.session.scalars(select(Task).where(Task.plan_id == plan.id))]
    for task_id in task_ids[::3]:
        db.session.add(Flag(task_id=task_id, reason="标记", flagged_at=AT))
        escalation = Escalation(task_id=task_id, reason="督办", respond_by=AT.date(), opened_at=AT)
        escalation.responses.append(EscalationResponse(text="已反馈", responded_on=AT.date(), responded_at=AT))
        db.session.add(escalation)
    db.session.commit()
    return plan.id


@pytest.fixture
def plans(app):
    with app.app_context():
        small = build("小规划", tasks=4, extra_units=0, start_year=2024)
        large = build("大规划", tasks=60, extra_units=40, start_year=2021)
        assert db.session.query(Report).count() > 1500
    return small, large


PATHS = ["/supervision", "/supervision/lagging", "/supervision/lagging?light=red&section=1&period=2024Q3",
         "/supervision/compliance", "/supervision/reviews", "/supervision/reviews?period=all&light=red&section=1",
         "/supervision/reviews?state=accepted&period=all", "/supervision/ledger.xlsx", "/supervision/escalations?all=1"]


def test_each_office_page_costs_the_same_queries_for_a_small_and_a_large_plan(office, plans, count_queries):
    small, large = plans
    for path in PATHS:
        join = "&" if "?" in path else "?"
        office.get(f"{path}{join}plan={small}")  # warm-up (and the lights' cache) for both
        office.get(f"{path}{join}plan={large}")
        with count_queries() as few:
            assert office.get(f"{path}{join}plan={small}").status_code == 200
        with count_queries() as many:
            assert office.get(f"{path}{join}plan={large}").status_code == 200
        assert len(many) == len(few), path
        assert len(many) <= 20, path


def test_list_lights_reads_the_kept_lights_in_three_queries_whatever_the_plan(app, plans, count_queries):
    from datetime import date

    from tracker.supervision.queries import _evaluate, list_lights
    from tracker.supervision.settings import current_rules

    counts = []
    for plan_id in plans:
        with app.app_context():
            with count_queries() as counter:
                lights = list_lights(db.session, plan_id, today=date(2024, 11, 20))
            counts.append(len(counter))
            recomputed = _evaluate(db.session, plan_id, today=date(2024, 11, 20), rules=current_rules(db.session),
                                   task_ids=None)
            assert lights == {task_id: e.light for task_id, e in recomputed.items()}
    assert counts[0] == counts[1] == 3  # the plan, the rules in force, the tasks' kept lights


def test_a_write_to_one_plan_keeps_the_other_plan_s_cached_lights(app, later_plan):
    from sqlalchemy import select

    from tracker.db import db
    from tracker.plans.models import Plan, Task

    old, new = later_plan
    with app.app_context():
        before = {p.id: p.revision for p in db.session.scalars(select(Plan))}
        task = db.session.scalar(select(Task).where(Task.plan_id == new, Task.number == "3"))
        task.title = task.title + "（修订）"
        db.session.commit()
        after = {p.id: p.revision for p in db.session.scalars(select(Plan))}
    assert after[new] == before[new] + 1
    assert after[old] == before[old]
