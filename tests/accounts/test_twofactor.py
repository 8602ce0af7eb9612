"""TOTP second factor: enrolment, login, recovery codes, reset, and the TRACKER_REQUIRE_2FA rule."""
from __future__ import annotations

import re
import time

import pyotp

from tests.conftest import PASSWORD


def next_code(secret: str) -> str:
    """The code of the coming 30-second step: valid now (one step of drift), never used before."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enrol(client, token) -> tuple[str, list[str]]:
    page = client.get("/settings/2fa").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code is drawn here, not fetched
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    done = client.post("/settings/2fa", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token(client, "/settings")})
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(client, token, username="clerk"):
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 302 and "/login/2fa" in response.headers["Location"]
    return response


def test_enrolment_then_login_needs_the_code(app, client, plan, make_user, login, token):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    secret, _codes = enrol(client, token)
    client.post("/logout", data={"csrf_token": token(client, "/settings")})
    password_step(client, token)
    assert client.get("/settings").status_code == 302  # not signed in yet
    wrong = client.post("/login/2fa", data={"code": "000000", "csrf_token": token(client, "/login/2fa")})
    assert "验证码不正确" in wrong.get_data(as_text=True)
    right = client.post("/login/2fa", data={"code": next_code(secret), "csrf_token": token(client, "/login/2fa")})
    assert right.status_code == 302
    assert client.get("/settings").status_code == 200


def test_a_recovery_code_works_once(app, client, plan, make_user, login, token):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    _secret, codes = enrol(client, token)
    for attempt, expected in ((1, 302), (2, 200)):
        other = app.test_client()
        password_step(other, token)
        response = other.post("/login/2fa", data={"code": codes[0], "csrf_token": token(other, "/login/2fa")})
        assert response.status_code == expected, attempt
    assert "剩余恢复码：9 个" in client.get("/settings").get_data(as_text=True)


def test_the_security_administrator_resets_a_lost_authenticator(app, client, plan, make_user, login, token):
    clerk = make_user("clerk", unit="市林业局")
    make_user("guard", role="security")
    login(client, "clerk")
    enrol(client, token)
    guard = app.test_client()
    login(guard, "guard")
    assert guard.post(f"/admin/security/users/{clerk}/2fa",
                      data={"csrf_token": token(guard, "/admin/security")}).status_code == 302
    other = app.test_client()
    login(other, "clerk")  # straight in: no second step any more
    assert other.get("/settings").status_code == 200


def test_when_required_an_administrator_must_enrol_before_anything_else(app, client, plan, make_user, login):
    make_user("root", role="admin")
    app.config["TRACKER_REQUIRE_2FA"] = frozenset({"admins"})
    try:
        login(client, "root")
        response = client.get("/admin/users")
        assert response.status_code == 302 and response.headers["Location"].endswith("/settings/2fa")
    finally:
        app.config["TRACKER_REQUIRE_2FA"] = frozenset()


def test_when_required_for_admins_the_office_is_not_asked(app, client, plan, make_user, login):
    make_user("office", role="supervisor")
    app.config["TRACKER_REQUIRE_2FA"] = frozenset({"admins"})
    try:
        login(client, "office")
        assert client.get("/settings").status_code == 200
        assert not client.get("/").headers["Location"].endswith("/settings/2fa")
    finally:
        app.config["TRACKER_REQUIRE_2FA"] = frozenset()
