"""Administrators keep unit contacts and group rosters, and import plans from text."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.plans.models import Assignment, Task, Unit


@pytest.fixture
def admin_client(client, plan, make_user, login):
    make_user("root", role="admin")
    login(client, "root")
    return client


def _unit_id(app, name):
    from tracker.db import db

    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.name == name))


def test_contact_addresses_are_validated_and_saved(admin_client, app, token):
    unit_id = _unit_id(app, "市林业局")
    url = f"/admin/units/{unit_id}"
    response = admin_client.post(url, data={"unit-emails": "ok@example.com\nnot an address",
                                            "unit-aliases": "", "unit-csrf_token": token(admin_client, url)})
    assert "邮箱地址无效：not an address" in response.get_data(as_text=True)
    admin_client.post(url, data={"unit-emails": "ok@example.com\nboss@example.com", "unit-aliases": "林业局",
                                 "unit-csrf_token": token(admin_client, url)})
    page = admin_client.get("/admin/units").get_data(as_text=True)
    assert "ok@example.com, boss@example.com" in page


def test_setting_group_members_changes_the_tasks_units(admin_client, app, token):
    from tracker.db import db

    group_id = _unit_id(app, "市打击侵犯知识产权和制售假冒伪劣商品工作领导小组成员单位")
    police, office = _unit_id(app, "市公安局"), _unit_id(app, "市市场监督管理局（知识产权局）")
    url = f"/admin/units/{group_id}"
    response = admin_client.post(url, data={"group-members": [str(police)], "group-office": str(office),
                                            "group-csrf_token": token(admin_client, url)})
    assert response.status_code == 302
    with app.app_context():
        units = db.session.scalars(select(Unit.name).join(Assignment, Assignment.unit_id == Unit.id)
                                   .join(Task).where(Task.number == "15")).all()
    assert "市公安局" in units
