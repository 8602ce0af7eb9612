"""Cached lights never outlive the data behind them."""
from __future__ import annotations

from sqlalchemy import select

from tracker import clock
from tracker.plans.models import Task
from tracker.supervision.lights import Colour
from tracker.supervision.models import Flag
from tracker.supervision.queries import list_lights


def test_a_flag_shows_in_the_light_at_once_although_the_light_was_cached(ctx, plan):
    today = clock.today()
    task_id = ctx.scalar(select(Task.id).where(Task.plan_id == plan, Task.number == "9"))
    before = list_lights(ctx, plan, today=today)[task_id]
    assert "flagged" not in [reason.code for reason in before.reasons]
    ctx.add(Flag(task_id=task_id, reason="领导批示：进度偏慢", flagged_at=clock.now()))
    ctx.commit()
    after = list_lights(ctx, plan, today=today)[task_id]
    assert after.colour is Colour.RED
    assert "flagged" in [reason.code for reason in after.reasons]


def test_another_day_is_judged_afresh(ctx, plan):
    from datetime import timedelta

    today = clock.today()
    first = list_lights(ctx, plan, today=today)
    later = list_lights(ctx, plan, today=today + timedelta(days=400))
    assert first != later  # a year on, the same silence means more overdue reports
