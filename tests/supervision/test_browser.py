"""In a real browser: the office returns a report with a comment; the unit then sees it returned."""
from __future__ import annotations

import pytest

from tracker.db import db

pytestmark = pytest.mark.browser


def test_a_supervisor_returns_a_report_and_the_unit_sees_the_comment(app, browser, live_server, page, world,
                                                                     make_user, browser_login):
    make_user("office", role="supervisor")
    make_user("yi", unit="乙局")
    with app.app_context():
        report_id = world.report("2", "乙局", "2024Q3", progress="完成调研").id
        db.session.commit()

    browser_login(page, "office")
    page.goto("/supervision")
    assert page.locator("#light-counts").is_visible()
    page.wait_for_selector("[data-chart=lights] canvas")          # the charts drew: the JSON reached the script
    page.goto("/supervision/reviews")
    page.click(f"a[href^='/supervision/reports/{report_id}?']")
    page.fill("#return-comment", "请补充本季度具体工作量和数据")
    page.click("text=退回修改")
    page.wait_for_selector("text=报告已退回")
    assert page.locator("#report-state").inner_text() == "已退回"
    assert "请补充本季度具体工作量和数据" in page.locator("#review-history").inner_text()

    unit = browser.new_context(locale="zh-CN", base_url=live_server).new_page()
    try:
        browser_login(unit, "yi")
        unit.goto("/workspace")
        row = unit.locator("tr.obligation[data-task='2']").first
        assert "已退回" in row.inner_text()
        assert "退回意见：请补充本季度具体工作量和数据" in row.inner_text()
    finally:
        unit.context.close()
