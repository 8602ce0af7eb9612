"""The indicator page in a real browser: the charts draw (no inline script, CSP holds)."""
import pytest

pytestmark = pytest.mark.browser


def test_the_indicator_page_draws_its_charts_without_script_errors(page, people, browser_login, enter):
    enter(people, 1, 2021, "6.5")
    enter(people, 1, 2023, "8.1")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    browser_login(page, "district")
    page.goto("/indicators/1")
    page.wait_for_selector("#indicator-chart canvas")
    page.wait_for_selector("#peer-chart canvas")
    assert not errors
    assert page.locator('.peer-table tr[data-city="北京"] td').all_inner_texts() == ["北京", "78", "82"]
