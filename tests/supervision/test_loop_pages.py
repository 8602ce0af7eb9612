"""The pages of the loop: 延期申请 asked and decided through forms, 我的待办 with its count, and the notice
and channel settings — each for its roles only (403 otherwise), CSRF on every form."""
from __future__ import annotations

from sqlalchemy import select

from tracker.db import db
from tracker.reminders.models import NoticeSetting
from tracker.reporting.models import Extension, ExtensionState


def test_a_unit_asks_for_an_extension_and_the_office_approves_it(app, client, world, make_user, login, token):
    make_user("jia", unit="甲局")
    login(client, "jia")
    form = "/extensions/new?task=1&period=2024Q4"
    page = client.get(form)
    assert page.status_code == 200 and "当前截止日期" in page.get_data(as_text=True)
    response = client.post("/extensions/new", data={"csrf_token": token(client, form), "task": "1",
                                                    "period": "2024Q4", "due_on": "2025-01-31",
                                                    "reason": "年度数据一月下旬发布"})
    assert response.status_code == 302
    with app.app_context():
        extension_id = db.session.scalar(select(Extension.id))
    assert client.post(f"/extensions/{extension_id}/decide",
                       data={"csrf_token": token(client, form), "decision": "approve"}).status_code == 403

    office = app.test_client()
    make_user("office", role="supervisor")
    login(office, "office")
    assert "甲局" in office.get("/todos").get_data(as_text=True)
    response = office.post(f"/extensions/{extension_id}/decide",
                           data={"csrf_token": token(office, f"/extensions/{extension_id}"), "decision": "approve",
                                 "comment": "同意"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Extension, extension_id).state is ExtensionState.APPROVED
    assert "已批准" in client.get("/todos").get_data(as_text=True)


def test_an_extension_asked_after_the_due_date_is_refused_on_the_page_and_nothing_is_saved(app, client, world,
                                                                                        make_user, login, token):
    make_user("jia", unit="甲局")
    login(client, "jia")
    form = "/extensions/new?task=1&period=2024Q3"
    response = client.post("/extensions/new", data={"csrf_token": token(client, form), "task": "1",
                                                    "period": "2024Q3", "due_on": "2024-12-31", "reason": "来不及"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "已过截止日期（2024-10-12），不能再申请延期" in page and "来不及" in page   # the reason is kept
    with app.app_context():
        assert db.session.scalar(select(Extension.id)) is None


def test_the_menu_counts_the_units_to_dos(client, world, make_user, login):
    make_user("jia", unit="甲局")
    login(client, "jia")
    page = client.get("/todos").get_data(as_text=True)
    assert 'id="todo-count"' in page and page.count('class="list-group-item d-flex') >= 4   # 2024Q2, Q3 × 2 tasks


def test_the_office_switches_a_notice_off_and_a_unit_may_not(app, client, world, make_user, login, token):
    make_user("jia", unit="甲局")
    login(client, "jia")
    assert client.get("/admin/outbox/settings").status_code == 403
    office = app.test_client()
    make_user("office", role="supervisor")
    login(office, "office")
    page = office.get("/admin/outbox/settings").get_data(as_text=True)
    assert "报告退回通知" in page
    kept = ["escalation_opened", "escalation_overdue", "extension_decided", "report_accepted"]
    response = office.post("/admin/outbox/settings/notices",
                           data={"csrf_token": token(office, "/admin/outbox/settings"), "enabled": kept})
    assert response.status_code == 302
    with app.app_context():
        assert {s.kind.value: s.enabled for s in db.session.scalars(select(NoticeSetting))}["report_returned"] is False
    assert office.post("/admin/outbox/settings/notices", data={"enabled": kept}).status_code == 400   # no CSRF


def test_a_channel_with_a_bad_address_is_refused_with_a_message(app, world, make_user, login, token):
    client = app.test_client()
    make_user("office", role="supervisor")
    login(client, "office")
    response = client.post("/admin/outbox/settings/channels",
                           data={"csrf_token": token(client, "/admin/outbox/settings"), "unit": "", "channel": "wecom",
                                 "url": "javascript:alert(1)"})
    assert response.status_code == 422
    assert "Webhook 地址须以 http:// 或 https:// 开头" in response.get_data(as_text=True)
