"""In a real browser: switching plans on the office's dashboard (remembered) and on 我的任务."""
import pytest

pytestmark = pytest.mark.browser

OLD_TITLE = "郑州市“十四五”知识产权发展规划（征求意见稿）"
NEW_TITLE = "郑州市“十五五”知识产权发展规划"


def test_the_office_switches_plans_on_the_dashboard_and_the_choice_is_remembered(page, later_plan, make_user,
                                                                                 browser_login):
    old, new = later_plan
    make_user("office", role="supervisor")
    browser_login(page, "office")
    heading = page.locator("main").inner_text()
    assert NEW_TITLE in heading  # the active plan most recently started
    page.select_option("#plan-switch", str(old))
    with page.expect_navigation():
        page.click("#plan-switcher button[type=submit]")
    assert f"plan={old}" in page.url
    assert OLD_TITLE in page.locator("main h1 + div").inner_text()
    page.goto("/supervision/lagging")
    assert OLD_TITLE in page.locator("main h1").inner_text()
    assert page.locator("#plan-switch").input_value() == str(old)


def test_a_clerk_switches_plans_on_my_tasks(page, later_plan, make_user, browser_login):
    old, new = later_plan
    make_user("xcb", unit="市委宣传部（新闻出版局）")
    browser_login(page, "xcb")
    assert page.url.endswith("/workspace")
    assert page.locator(".plan-space").count() == 2
    assert page.locator("#period-2025Q4").is_visible() and page.locator("#period-2026Q1").is_visible()
    with page.expect_navigation():
        page.click(f'#plan-tabs a[data-plan="{new}"]')
    assert page.locator(".plan-space").count() == 1
    assert NEW_TITLE in page.locator(".plan-space > h2").inner_text()
    assert page.locator("#period-2025Q4").count() == 0
    with page.expect_navigation():
        page.click(f'#plan-tabs a[data-plan="{old}"]')
    with page.expect_navigation():
        page.click("text=填报 2025Q4 报告")
    assert "/workspace/2025Q4" in page.url and f"plan={old}" in page.url
    assert OLD_TITLE in page.locator(".breadcrumb").inner_text()
