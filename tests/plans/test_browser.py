"""A person logs in with a real browser and reads the plan."""
import pytest

pytestmark = pytest.mark.browser


def test_a_supervisor_logs_in_and_sees_the_plan_in_the_browser(page, plan, make_user, browser_login):
    make_user("office", role="supervisor")
    browser_login(page, "office")
    page.goto(f"/plans/{plan}")
    assert page.locator("h1").inner_text().startswith("郑州市")
    page.click("text=加强知识产权现代化治理的制度供给")
    assert "市人民代表大会常务委员会" in page.content()
