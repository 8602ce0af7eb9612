"""In a real browser: the office opens a 督办; the unit sees it in 我的待办, acknowledges and responds;
the office closes it."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_office_opens_a_duban_the_unit_acknowledges_and_responds_and_the_office_closes_it(
        app, browser, live_server, page, world, make_user, browser_login):
    make_user("office", role="supervisor")
    make_user("jia", unit="甲局")
    task_page = f"/plans/{world.plan_id}/tasks/1"

    browser_login(page, "office")
    page.goto(task_page)
    page.click("text=督办或标记红灯")
    page.fill("#escalate-reason", "配套政策出台滞后，请说明原因")
    page.fill("#escalate-by", "2024-11-29")
    page.click("button:has-text('发起督办')")
    page.wait_for_selector("text=已发起督办")
    assert page.locator("[data-escalation] [data-role=escalation-state]").inner_text() == "待签收"

    unit = browser.new_context(locale="zh-CN", base_url=live_server).new_page()
    try:
        browser_login(unit, "jia")
        unit.goto("/workspace")
        assert unit.locator("#todo-count").is_visible()
        unit.click("#nav-todos")
        item = unit.locator(".todo[data-kind=escalation]")
        assert "须于 2024-11-29 前反馈" in item.inner_text() and "待签收" in item.inner_text()
        item.locator("a").first.click()
        unit.click("button:has-text('签收督办')")
        unit.wait_for_selector("text=已签收督办")
        assert unit.locator("[data-escalation] [data-role=escalation-state]").inner_text() == "已签收"
        unit.fill("[data-escalation] textarea[name=text]", "已起草配套政策，12月上旬提交审议")
        unit.click("button:has-text('提交反馈')")
        unit.wait_for_selector("text=反馈已提交")
        assert unit.locator("[data-escalation] [data-role=escalation-state]").inner_text() == "已反馈"
        unit.goto("/todos")
        assert unit.locator(".todo[data-kind=escalation]").count() == 0
    finally:
        unit.context.close()

    page.goto(task_page)
    assert "已起草配套政策，12月上旬提交审议" in page.locator("[data-escalation]").inner_text()
    page.click("button:has-text('办结督办')")
    page.wait_for_selector("text=督办已办结")
    assert page.locator("[data-escalation] [data-role=escalation-state]").inner_text() == "已办结"
