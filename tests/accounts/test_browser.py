"""In a real browser: enrol a second factor and log in with it."""
import time

import pyotp
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_enrol_two_factor_then_log_in_with_it(page, plan, make_user, browser_login):
    make_user("clerk", unit="市林业局")
    browser_login(page, "clerk")
    page.goto("/settings")
    page.click("text=启用双因素认证")
    page.wait_for_selector("img[alt='二维码']")
    secret = page.inner_text("#totp-secret")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main form button[type=submit]")
    page.wait_for_selector("#recovery-codes li")
    assert page.locator("#recovery-codes li").count() == 10
    page.goto("/settings")
    page.click("text=退出所有设备上的登录")
    page.wait_for_url("**/login")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/login/2fa**")
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/settings")
    assert "已启用" in page.inner_text("main")
