"""The login lock across hosts: failures are counted in the shared database, so five wrong passwords
spread over two hosts lock the account on both (and a login page from one host posts to the other)."""
from __future__ import annotations

import requests

from tests.conftest import PASSWORD, csrf_from

LOCKED = "登录失败次数过多"


def _log_in(browser: requests.Session, page_from: str, post_to: str, username: str, password: str):
    token = csrf_from(browser.get(f"{page_from}/login", timeout=30).text)
    return browser.post(f"{post_to}/login", data={"username": username, "password": password, "csrf_token": token},
                        allow_redirects=False, timeout=30)


def test_five_failures_over_two_hosts_lock_the_account_on_both(hosts, make_user, plan):
    make_user("duchashi", role="supervisor")
    make_user("clerk", unit="市林业局")
    first, second = hosts(2)
    guesser = requests.Session()
    for n in range(5):
        here, there = (first, second) if n % 2 else (second, first)
        answer = _log_in(guesser, here, there, "duchashi", "wrong-wrong")
        assert answer.status_code == 200 and LOCKED not in answer.text       # refused, not yet locked
    for url in (first, second):
        assert LOCKED in _log_in(requests.Session(), url, url, "duchashi", PASSWORD).text
    assert _log_in(requests.Session(), first, second, "clerk", PASSWORD).status_code == 302   # nobody else
