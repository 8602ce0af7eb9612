"""A unit clerk, in a real browser, fills in and submits a quarter's report and sees its state change."""
import pytest

from .conftest import XCB

pytestmark = pytest.mark.browser


def test_a_unit_clerk_fills_and_submits_a_quarterly_report_in_the_browser(page, make_user, browser_login, task_ids):
    make_user("xcb", unit=XCB)
    browser_login(page, "xcb")
    assert page.url.endswith("/workspace")
    row = page.locator('#period-2024Q3 tr[data-task="9"]')
    assert "未填报" in row.inner_text()
    page.click("text=填报 2024Q3 报告")
    page.wait_for_url("**/workspace/2024Q3?plan=*")
    task = task_ids["9"]
    card = page.locator(f"#task-{task}")
    card.locator(f"select[name=r{task}-status]").select_option("on_track")
    card.locator(f"input[name=r{task}-percent]").fill("45")
    card.locator(f"textarea[name=r{task}-progress]").fill("完成版权精品评选，入选作品 12 部。")
    card.locator(f"textarea[name=r{task}-next_steps]").fill("组织精品出版发布会。")
    with page.expect_navigation():
        card.locator("button[value^=submit-]").click()
    card = page.locator(f"#task-{task}")
    assert "已报送 1 项任务" in page.locator("main").inner_text()
    assert "已报送" in card.locator(".report-state").inner_text()
    assert "迟报，2024-11-20 报送" in card.inner_text()
    page.click("text=我的任务")
    assert "已报送" in page.locator('#period-2024Q3 tr[data-task="9"]').inner_text()
