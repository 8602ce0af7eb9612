"""/admin/periods: an administrator moves one period's due date and sets the first owed period."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.core.audit import AuditEntry

from .conftest import XCB, csrf_from


def row(page: str, key: str) -> str:
    return page.split(f'id="period-{key}"', 1)[1].split("</tr>", 1)[0]


@pytest.fixture
def admin(as_user):
    return as_user("root", role="admin")


def period_id(services_ctx, key: str) -> int:
    return services_ctx(lambda world: world.period(key).id)


def test_the_page_lists_every_period_with_its_official_due_date(admin):
    page = admin.get("/admin/periods").get_data(as_text=True)
    assert 'value="2024-10-12"' in row(page, "2024Q3") and 'value="2025-01-08"' in row(page, "2024Q4")
    assert page.count('id="period-') == 20


def test_an_administrator_moves_one_due_date_and_the_change_is_audited(admin, services_ctx):
    html = admin.get("/admin/periods").get_data(as_text=True)
    response = admin.post(f"/admin/periods/{period_id(services_ctx, '2024Q3')}/due",
                          data={"csrf_token": csrf_from(html), "due_on": "2024-10-18"})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "2024Q3 的截止日期已改为 2024-10-18。" in page
    assert 'value="2024-10-18"' in row(page, "2024Q3") and "手工设定" in row(page, "2024Q3")
    assert "自动计算：2024-10-12" in row(page, "2024Q3")
    assert services_ctx(lambda world: world.session.scalar(
        select(AuditEntry.action).where(AuditEntry.action == "period.due"))) == "period.due"


@pytest.mark.parametrize("value, message", [
    ("2024-09-30", "截止日期必须晚于季度结束日 2024-09-30"),
    ("12/10/2024", "请填写日期，格式如 2024-10-12。"),
    ("", "请填写日期，格式如 2024-10-12。"),
])
def test_a_bad_due_date_is_refused_beside_the_field(admin, services_ctx, value, message):
    html = admin.get("/admin/periods").get_data(as_text=True)
    response = admin.post(f"/admin/periods/{period_id(services_ctx, '2024Q3')}/due",
                          data={"csrf_token": csrf_from(html), "due_on": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in row(page, "2024Q3") and "is-invalid" in row(page, "2024Q3")
    assert services_ctx(lambda world: world.period("2024Q3").due_on.isoformat()) == "2024-10-12"


def test_a_form_without_its_security_token_is_refused(admin, services_ctx):
    response = admin.post(f"/admin/periods/{period_id(services_ctx, '2024Q3')}/due", data={"due_on": "2024-10-18"})
    assert response.status_code == 400


def test_the_first_owed_period_is_set_and_earlier_quarters_are_no_longer_owed(admin, plan, as_user):
    html = admin.get("/admin/periods").get_data(as_text=True)
    response = admin.post(f"/admin/plans/{plan}/first-owed", data={"csrf_token": csrf_from(html),
                                                                   "first_owed_period": "2024q4"})
    assert response.status_code == 302
    assert "起报季度已设为 2024Q4。" in admin.get(response.headers["Location"]).get_data(as_text=True)
    clerk = as_user("xcb", XCB)
    assert "本期无需报送。" in clerk.get("/workspace/2024Q3").get_data(as_text=True)


@pytest.mark.parametrize("value, message", [("2024Q5", "季度格式应为 2024Q3"), ("2030Q1", "该季度不在规划期内")])
def test_a_bad_first_owed_period_is_refused_with_a_clear_message(admin, plan, value, message):
    html = admin.get("/admin/periods").get_data(as_text=True)
    response = admin.post(f"/admin/plans/{plan}/first-owed", data={"csrf_token": csrf_from(html),
                                                                   "first_owed_period": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and f'value="{value}"' in page


@pytest.mark.parametrize("who, unit, role", [("office", None, "supervisor"), ("xcb", XCB, "unit")])
def test_only_administrators_manage_periods(as_user, services_ctx, plan, who, unit, role):
    client = as_user(who, unit, role)
    assert client.get("/admin/periods").status_code == 403
    html = client.get("/workspace").get_data(as_text=True) if role == "unit" else client.get(
        f"/plans/{plan}").get_data(as_text=True)
    response = client.post(f"/admin/periods/{period_id(services_ctx, '2024Q3')}/due",
                           data={"csrf_token": csrf_from(html), "due_on": "2024-10-18"})
    assert response.status_code == 403
