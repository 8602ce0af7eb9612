"""Roles and units: a unit user who types another unit's URL gets 403, not the data."""
from __future__ import annotations

import pytest


def test_anonymous_visitors_are_sent_to_the_login_page(client, plan):
    response = client.get(f"/plans/{plan}/tasks/1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_unit_user_may_open_a_task_its_unit_answers_for(client, plan, make_user, login):
    make_user("forest", unit="市林业局")
    login(client, "forest")
    assert client.get(f"/plans/{plan}/tasks/3").status_code == 200  # 市林业局 is a co-unit of task 3


def test_a_unit_user_gets_403_on_a_task_of_other_units(client, plan, make_user, login):
    make_user("forest", unit="市林业局")
    login(client, "forest")
    response = client.get(f"/plans/{plan}/tasks/1")
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_a_district_answers_for_tasks_through_its_collective_group(client, plan, make_user, login):
    make_user("zy", unit="中原区人民政府")
    login(client, "zy")
    assert client.get(f"/plans/{plan}/tasks/2").status_code == 200   # 各区县（市）人民政府
    assert client.get(f"/plans/{plan}/tasks/9").status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_the_supervision_office_and_admins_see_every_task(client, plan, make_user, login, role):
    make_user("office", role=role)
    login(client, "office")
    assert client.get(f"/plans/{plan}/tasks/1").status_code == 200
    assert client.get(f"/plans/{plan}/tasks/S3").status_code == 200


def test_an_unknown_page_is_a_friendly_404(client, plan, make_user, login):
    make_user("office", role="supervisor")
    login(client, "office")
    response = client.get(f"/plans/{plan}/tasks/999")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)
    assert client.get("/no/such/page").status_code == 404
