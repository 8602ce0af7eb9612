"""The office's writes refuse what makes no sense, and say so."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.core.errors import Conflict, Invalid
from tracker.supervision import services

NOW = datetime(2024, 11, 20, 2, 0, tzinfo=UTC)
TODAY = date(2024, 11, 20)


def test_a_closed_escalation_takes_no_response_and_cannot_be_closed_again(ctx, world):
    escalation = services.open_escalation(ctx, world.task("1"), reason="请说明", respond_by=TODAY, actor="office",
                                          now=NOW, today=TODAY)
    services.close_escalation(ctx, escalation, actor="office", now=NOW)
    with pytest.raises(Conflict, match="已办结"):
        services.respond_to_escalation(ctx, escalation, text="迟到的反馈", unit=None, actor="unit", now=NOW, today=TODAY)
    with pytest.raises(Conflict):
        services.close_escalation(ctx, escalation, actor="office", now=NOW)


def test_a_new_escalation_may_follow_a_closed_one(ctx, world):
    first = services.open_escalation(ctx, world.task("1"), reason="第一次", respond_by=TODAY, actor="o", now=NOW,
                                     today=TODAY)
    services.close_escalation(ctx, first, actor="o", now=NOW)
    second = services.open_escalation(ctx, world.task("1"), reason="第二次", respond_by=TODAY, actor="o", now=NOW,
                                      today=TODAY)
    assert second.is_open and not first.is_open


def test_a_task_is_flagged_once_until_cleared(ctx, world):
    flag = services.flag_task(ctx, world.task("2"), reason="问题未整改", actor="o", now=NOW)
    with pytest.raises(Conflict, match="已被标记红灯"):
        services.flag_task(ctx, world.task("2"), reason="再标一次", actor="o", now=NOW)
    services.clear_flag(ctx, flag, note="已整改", actor="o", now=NOW)
    with pytest.raises(Conflict):
        services.clear_flag(ctx, flag, actor="o", now=NOW)
    assert services.flag_task(ctx, world.task("2"), reason="又出问题", actor="o", now=NOW).is_active


@pytest.mark.parametrize("reason, field", [("", "reason"), ("字" * 2001, "reason")])
def test_texts_are_required_and_limited(ctx, world, reason, field):
    with pytest.raises(Invalid) as refused:
        services.flag_task(ctx, world.task("2"), reason=reason, actor="o", now=NOW)
    assert field in refused.value.fields
