"""督办: the office escalates, the lead unit responds, the office closes; red until closed. Flags too."""
from __future__ import annotations

import re
from datetime import UTC

import pytest
from sqlalchemy import select

from tracker.core.audit import AuditEntry
from tracker.db import db
from tracker.supervision.models import Escalation


@pytest.fixture
def green_task(app, world, make_user):
    """Task 1 reported in full for both overdue quarters (green); clerks of its lead (甲局) and co-unit (乙局)."""
    make_user("jia", unit="甲局")
    make_user("yi", unit="乙局")
    with app.app_context():
        for key in ("2024Q2", "2024Q3"):
            world.report("1", "甲局", key, percent=60)
            world.report("1", "乙局", key, percent=None)
        db.session.commit()
        return world.task("1").id


def task_page(client, world_plan=None):
    return client.get(f"/plans/{world_plan}/tasks/1").get_data(as_text=True)


def light_of(page: str) -> str:
    return re.search(r'id="task-light">.*?light-badge-(\w+)', page, re.S).group(1)


def reasons_of(page: str) -> str:
    match = re.search(r'id="task-light-reasons">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def post(client, token, url, plan_id, **data):
    return client.post(url, data={"csrf_token": token(client, f"/plans/{plan_id}/tasks/1"), **data})


def test_an_escalated_task_stays_red_until_the_office_closes_it(app, office, world, green_task, login, token):
    plan = world.plan_id
    assert light_of(task_page(office, plan)) == "green"
    response = post(office, token, f"/supervision/tasks/{green_task}/escalate", plan,
                    reason="配套政策出台滞后，请说明原因", respond_by="2024-11-30")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{plan}/tasks/1#supervision")
    page = task_page(office, plan)
    assert light_of(page) == "red"
    assert "督办中，须于 2024-11-30 前反馈：配套政策出台滞后，请说明原因" in reasons_of(page)

    lead = app.test_client()
    login(lead, "jia")
    seen = task_page(lead, plan)
    assert light_of(seen) == "red" and "配套政策出台滞后" in seen and "提交反馈" in seen
    with app.app_context():
        escalation_id = db.session.scalar(select(Escalation.id))
    assert post(lead, token, f"/supervision/escalations/{escalation_id}/respond", plan,
                text="已起草政策文本，12 月上旬提交常务会").status_code == 302
    page = task_page(office, plan)
    assert light_of(page) == "red"
    assert "督办已反馈，待督查室办结" in reasons_of(page) and "已起草政策文本" in page

    assert post(office, token, f"/supervision/escalations/{escalation_id}/close", plan, note="同意").status_code == 302
    page = task_page(office, plan)
    assert light_of(page) == "green" and "已办结" in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("escalation.%"))
                                     .order_by(AuditEntry.id)).all()
    assert actions == ["escalation.open", "escalation.respond", "escalation.close"]


def test_only_the_lead_units_users_may_respond(app, office, world, green_task, login, token):
    post(office, token, f"/supervision/tasks/{green_task}/escalate", world.plan_id, reason="请说明", respond_by="2024-11-30")
    with app.app_context():
        escalation_id = db.session.scalar(select(Escalation.id))
    co = app.test_client()
    login(co, "yi")
    assert "提交反馈" not in task_page(co, world.plan_id)
    assert post(co, token, f"/supervision/escalations/{escalation_id}/respond", world.plan_id,
                text="我们来答").status_code == 403
    assert "提交反馈" not in task_page(office, world.plan_id)
    assert office.post(f"/supervision/escalations/{escalation_id}/respond",
                       data={"csrf_token": token(office, "/supervision"), "text": "代答"}).status_code == 403


@pytest.mark.parametrize("data, message", [
    ({"reason": "", "respond_by": "2024-11-30"}, "请填写督办事由。"),
    ({"reason": "请说明", "respond_by": "2024-11-01"}, "反馈期限不能早于今天。"),
    ({"reason": "请说明", "respond_by": "not a date"}, "反馈期限不能早于今天。"),
])
def test_an_escalation_needs_a_reason_and_a_deadline_not_in_the_past(app, office, world, green_task, token, data,
                                                                     message):
    response = post(office, token, f"/supervision/tasks/{green_task}/escalate", world.plan_id, **data)
    assert response.status_code == 302
    assert message in office.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Escalation.id)) is None


def test_a_second_open_escalation_on_the_same_task_is_refused(office, world, green_task, token):
    url = f"/supervision/tasks/{green_task}/escalate"
    post(office, token, url, world.plan_id, reason="第一次", respond_by="2024-11-30")
    response = post(office, token, url, world.plan_id, reason="第二次", respond_by="2024-12-30")
    assert "该任务已有未办结的督办。" in office.get(response.headers["Location"]).get_data(as_text=True)


def test_an_unanswered_escalation_past_its_deadline_says_how_late(app, world, green_task):
    from datetime import date, datetime

    from tracker.supervision.queries import list_lights

    with app.app_context():
        db.session.add(Escalation(task_id=green_task, reason="请说明", respond_by=date(2024, 11, 10),
                                  opened_at=datetime(2024, 11, 1, tzinfo=UTC)))
        db.session.commit()
        light = list_lights(db.session, world.plan_id, today=date(2024, 11, 20))[green_task]
    assert light.texts(lambda s: s) == ["督办反馈已逾期 10 天（期限 2024-11-10）：请说明"]


def test_the_office_flags_a_task_red_and_clears_it(app, office, world, green_task, token):
    plan = world.plan_id
    post(office, token, f"/supervision/tasks/{green_task}/flag", plan, reason="省督查反馈问题未整改")
    page = task_page(office, plan)
    assert light_of(page) == "red" and "督查室标记红灯：省督查反馈问题未整改" in reasons_of(page)
    flag_id = re.search(r'/supervision/flags/(\d+)/clear', page).group(1)
    post(office, token, f"/supervision/flags/{flag_id}/clear", plan, note="已整改")
    assert light_of(task_page(office, plan)) == "green"
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("flag.%"))).all()
    assert actions == ["flag.set", "flag.clear"]


def test_the_lagging_list_shows_an_escalated_task_with_its_reason(office, world, green_task, token):
    post(office, token, f"/supervision/tasks/{green_task}/escalate", world.plan_id, reason="请说明",
         respond_by="2024-11-30")
    page = office.get("/supervision/lagging?light=red").get_data(as_text=True)
    assert "任务1" in page and "督办中，须于 2024-11-30 前反馈：请说明" in page
