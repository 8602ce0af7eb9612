"""The login lock: per account and per real client address behind trusted proxies, never global;
the page says when it opens; an administrator unlocks it; the remember-me cookie is Secure under https."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, csrf_from
from tracker import clock, create_app


@pytest.fixture
def proxied(app):
    """The application behind one trusted reverse proxy (nginx), on the suite's database."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "TRACKER_TODAY": app.config["TRACKER_TODAY"], "SECRET_KEY": "test-secret",
                       "TRACKER_UPLOAD_DIR": app.config["TRACKER_UPLOAD_DIR"], "TRACKER_TRUSTED_PROXIES": 1})


def _post_login(client, username: str, password: str, client_address: str | None = None, **form):
    """Logs in as a browser at `client_address` would, through the proxy (which adds X-Forwarded-For)."""
    if client_address:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = client_address
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_from(page), **form})


def test_failures_on_made_up_names_behind_the_proxy_lock_no_other_user(proxied, plan, make_user):
    make_user("clerk", unit="市林业局")
    attacker = proxied.test_client()
    for n in range(25):
        _post_login(attacker, f"nobody{n}", "guess-guess", client_address="203.0.113.9")
    assert "登录失败次数过多" in _post_login(attacker, "nobody99", "x", "203.0.113.9").get_data(as_text=True)
    clerk = proxied.test_client()
    response = _post_login(clerk, "clerk", PASSWORD, client_address="198.51.100.7")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_without_a_trusted_proxy_a_forged_forwarded_address_is_ignored(client, plan, make_user):
    for n in range(20):
        _post_login(client, f"nobody{n}", "guess-guess", client_address=f"198.51.100.{n}")
    assert "登录失败次数过多" in _post_login(client, "nobody99", "x", "198.51.100.99").get_data(as_text=True)


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes_and_the_page_says_until_when(
        proxied, plan, make_user):
    make_user("duchashi", role="supervisor")
    make_user("clerk", unit="市林业局")
    guesser = proxied.test_client()
    for _ in range(5):
        _post_login(guesser, "duchashi", "wrong-wrong", client_address="203.0.113.9")
    with proxied.app_context():
        opens = (clock.now() + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M")
    page = _post_login(proxied.test_client(), "duchashi", PASSWORD, "198.51.100.7").get_data(as_text=True)
    assert "登录失败次数过多" in page and opens[:-1] in page     # …locked until now + 30 minutes
    # other accounts, from the same address too, are not touched
    assert _post_login(guesser, "clerk", PASSWORD, client_address="203.0.113.9").status_code == 302


def test_the_security_administrator_sees_the_lock_and_unlocks_the_account(proxied, plan, make_user):
    make_user("duchashi", role="supervisor")
    make_user("admin", role="admin")
    make_user("guard", role="security")
    for _ in range(5):
        _post_login(proxied.test_client(), "duchashi", "wrong-wrong", client_address="203.0.113.9")
    admin = proxied.test_client()
    assert _post_login(admin, "admin", PASSWORD, client_address="198.51.100.1").status_code == 302
    assert "已锁定至" in admin.get("/admin/users").get_data(as_text=True)   # the 系统管理员 sees it
    guard = proxied.test_client()
    assert _post_login(guard, "guard", PASSWORD, client_address="198.51.100.2").status_code == 302
    page = guard.get("/admin/security").get_data(as_text=True)
    assert "duchashi — 已锁定至" in page
    response = guard.post("/admin/security/unlock", data={"username": "duchashi", "csrf_token": csrf_from(page)},
                          follow_redirects=True)
    assert "已解除 duchashi 的登录锁定" in response.get_data(as_text=True)
    assert "已锁定至" not in admin.get("/admin/users").get_data(as_text=True)
    assert _post_login(proxied.test_client(), "duchashi", PASSWORD, "198.51.100.7").status_code == 302


def test_only_the_security_administrator_may_unlock(client, plan, make_user, login, token):
    make_user("duchashi", role="supervisor")
    login(client, "duchashi")
    response = client.post("/admin/security/unlock", data={"username": "clerk",
                                                             "csrf_token": token(client, "/settings")})
    assert response.status_code == 403


def test_the_remember_me_cookie_is_secure_under_an_https_base_url(app, plan, make_user, monkeypatch):
    monkeypatch.setenv("TRACKER_BASE_URL", "https://tracker.example.gov.cn")
    secure = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "TRACKER_TODAY": app.config["TRACKER_TODAY"], "SECRET_KEY": "test-secret",
                         "TRACKER_REMEMBER_ME": True})
    make_user("clerk", unit="市林业局")
    response = _post_login(secure.test_client(), "clerk", PASSWORD, remember="y")
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert "Secure" in cookies["remember_token"] and "Secure" in cookies["session"]
