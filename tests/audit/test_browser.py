"""In a real browser: the 审计管理员 filters the log and exports it."""
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser


def test_the_auditor_filters_and_exports_the_log(page, plan, make_user, browser_login, login, app, tmp_path):
    make_user("clerk", unit="市林业局")
    make_user("eye", role="auditor")
    login(app.test_client(), "clerk")
    browser_login(page, "eye")
    page.goto("/audit")
    assert "哈希链完整" in page.inner_text("#chain-state")
    page.fill("#f-actor", "clerk")
    page.select_option("#f-action", "login.success")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_url("**actor=clerk**")
    rows = page.locator("#audit-entries tbody tr")
    assert rows.count() == 1 and "市林业局" in rows.first.inner_text()
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    path = tmp_path / "audit.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    assert sheet.max_row == 2 and sheet.cell(2, 3).value == "clerk" and sheet.cell(2, 6).value == "login.success"
