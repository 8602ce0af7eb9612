"""Administrators keep unit contacts and group rosters, and import plans from text."""
from __future__ import annotations

import io
import re

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


PLAN = """某市“十五五”测试规划
三、重点任务
（一）第一部分
1. 做好第一件事。内容。[责任单位：市林业局、市公安局]
2. 做好第二件事。内容。[责任单位：市火星局]
"""


def test_importing_a_plan_text_shows_problems_by_line_and_loads_it(admin_client, app, token):
    response = admin_client.post("/admin/plans/import", data={
        "plan_file": (io.BytesIO(PLAN.encode()), "plan.txt"), "csrf_token": token(admin_client, "/admin/plans/import")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "市火星局" in page and re.search(r"第 5 行", page)  # an unknown unit: a warning, still loaded
    assert "已导入" in page


def test_a_file_that_is_not_utf8_is_refused_with_the_line(admin_client, token):
    data = PLAN.encode("gbk")
    response = admin_client.post("/admin/plans/import", data={
        "plan_file": (io.BytesIO(data), "plan.txt"), "csrf_token": token(admin_client, "/admin/plans/import")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "第 1 行" in page and "已导入" not in page
