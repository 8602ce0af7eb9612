"""An administrator imports another city's Word file in a real browser, maps a name, and imports it again."""
from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.plans.models import Unit, UnitKind

pytestmark = pytest.mark.browser

LINES = ["岭南市“十五五”营商环境优化规划任务分工方案", "", "一、重点任务", "", "（一）提升政务服务",
         "1. 推进一网通办。（牵头单位：市政务服务局；责任单位：市数据局、岭南市司法局）",
         "2. 优化企业开办。（市市场监管局、市税务局牵头，各县（市、区）人民政府配合）"]


def word_file(tmp_path):
    document = docx.Document()
    for line in LINES:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=1)  # a stray one-cell table must not confuse the reader
    table.cell(0, 0).text = "附：联系人"
    path = tmp_path / "岭南市分工方案.docx"
    out = io.BytesIO()
    document.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_upload_map_commit_and_a_second_import_needs_no_mapping(page, app, make_user, browser_login, tmp_path):
    with app.app_context():
        db.session.add(Unit(name="岭南市政务服务和大数据管理局", kind=UnitKind.DEPARTMENT, aliases=[], emails=[]))
        db.session.commit()
    make_user("root", role="admin")
    browser_login(page, "root")
    path = word_file(tmp_path)

    page.goto("/admin/plans/import")
    page.set_input_files("input[name=plan_file]", str(path))
    page.click("main form button[type=submit]")
    assert "共识别2项任务" in page.locator(".import-summary").inner_text()
    assert page.locator(".import-tasks .unit-group").first.inner_text() == "各县（市、区）人民政府"
    row = page.locator(".unknown-units tr", has_text="市数据局")
    row.locator("select").select_option(label="岭南市政务服务和大数据管理局")
    page.click("text=确认导入")

    page.wait_for_url(lambda url: "/plans/" in url and "/admin/" not in url)
    assert "岭南市“十五五”营商环境优化规划任务分工方案" in page.locator("h1").inner_text()
    first = page.locator("tr", has_text="推进一网通办")
    assert first.locator(".unit-lead").all_inner_texts() == ["市政务服务局"]
    assert "岭南市政务服务和大数据管理局" in first.inner_text() and "岭南市司法局" in first.inner_text()
    second = page.locator("tr", has_text="优化企业开办")
    assert second.locator(".unit-lead").all_inner_texts() == ["市市场监督管理局", "市税务局"]

    page.goto("/admin/plans/import")
    page.set_input_files("input[name=plan_file]", str(path))
    page.click("main form button[type=submit]")
    assert page.locator(".unknown-units").count() == 0
    assert page.locator(".import-tasks .unit-unknown").count() == 0
    with app.app_context():
        assert "市数据局" in db.session.scalar(select(Unit).where(Unit.name == "岭南市政务服务和大数据管理局")).aliases
