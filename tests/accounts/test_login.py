"""Logging in and out, the throttle, CSRF, cookies, redirects."""
from __future__ import annotations

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.db import db


def test_login_with_the_right_password_opens_the_plan(client, plan, make_user, login):
    make_user("clerk", unit="市林业局")
    response = login(client, "clerk")
    assert response.headers["Location"] == "/"
    page = client.get("/plan", follow_redirects=True).get_data(as_text=True)
    assert "加强知识产权现代化治理的制度供给" in page


def test_a_wrong_password_is_refused_with_a_message(client, plan, make_user, token):
    make_user("clerk", unit="市林业局")
    response = client.post("/login", data={"username": "clerk", "password": "wrong-one",
                                           "csrf_token": token(client)})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not logged in


def test_five_failures_lock_the_user_name_even_for_the_right_password(client, plan, make_user, token):
    make_user("clerk", unit="市林业局")
    for _ in range(5):
        client.post("/login", data={"username": "clerk", "password": "nope-nope", "csrf_token": token(client)})
    response = client.post("/login", data={"username": "clerk", "password": "correct-horse-9",
                                           "csrf_token": token(client)})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_a_login_without_the_csrf_token_is_refused(client, plan, make_user):
    make_user("clerk", unit="市林业局")
    response = client.post("/login", data={"username": "clerk", "password": "correct-horse-9"})
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)


def test_next_never_redirects_to_another_site(client, plan, make_user, token):
    make_user("clerk", unit="市林业局")
    response = client.post("/login?next=//evil.example/x", data={
        "username": "clerk", "password": "correct-horse-9", "csrf_token": token(client)})
    assert response.headers["Location"] == "/"


def test_the_session_cookie_is_httponly_and_samesite(client, plan, make_user, login):
    make_user("clerk", unit="市林业局")
    response = login(client, "clerk")
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_stored_as_scrypt_hashes(ctx, plan, make_user):
    make_user("clerk", unit="市林业局")
    user = ctx.scalar(select(User).where(User.username == "clerk"))
    assert user.password_hash.startswith("scrypt:")
    assert "correct-horse-9" not in user.password_hash


def test_a_deactivated_user_cannot_log_in(client, app, plan, make_user, token):
    make_user("clerk", unit="市林业局")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "clerk")).active = False
        db.session.commit()
    response = client.post("/login", data={"username": "clerk", "password": "correct-horse-9",
                                           "csrf_token": token(client)})
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_logout_needs_a_post_with_the_token(client, plan, make_user, login, token):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": token(client, "/settings")})
    assert response.headers["Location"] == "/login"
    assert client.get("/settings").status_code == 302


def test_changing_the_password_needs_the_current_one(client, plan, make_user, login, token):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    response = client.post("/settings", data={"current": "not-it-at-all", "new": "another-pass-1",
                                              "confirm": "another-pass-1", "csrf_token": token(client, "/settings")})
    assert "当前密码不正确" in response.get_data(as_text=True)
    response = client.post("/settings", data={"current": "correct-horse-9", "new": "short",
                                              "confirm": "short", "csrf_token": token(client, "/settings")})
    assert "密码至少 8 个字符" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_is_refused_with_a_message_not_a_server_error(client, plan, make_user, login,
                                                                               token):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    response = client.post("/settings", data={"current": "correct\x00horse", "new": "another-pass-1",
                                              "confirm": "another-pass-1", "csrf_token": token(client, "/settings")})
    assert response.status_code == 400
    assert "请求无效" in response.get_data(as_text=True)
    assert client.get("/plan?x=a\x00b").status_code == 400
