"""Administrators manage accounts; nobody else may."""
from __future__ import annotations

import pytest


@pytest.fixture
def admin_client(client, plan, make_user, login):
    make_user("root", role="admin")
    login(client, "root")
    return client


def test_an_admin_creates_a_unit_user_who_can_then_log_in(admin_client, app, token):
    response = admin_client.post("/admin/users", data={
        "username": "forest", "display_name": "林业局 王", "email": "forest@example.com", "role": "unit",
        "unit": "市林业局", "password": "A-good-password", "csrf_token": token(admin_client, "/admin/users")})
    assert response.status_code == 302
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "forest" in page and "市林业局" in page
    other = app.test_client()
    login_page = other.get("/login").get_data(as_text=True)
    import re
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    assert other.post("/login", data={"username": "forest", "password": "A-good-password",
                                      "csrf_token": csrf}).status_code == 302


def test_a_unit_user_needs_a_unit_and_bad_input_is_explained(admin_client, token):
    response = admin_client.post("/admin/users", data={
        "username": "nobody", "role": "unit", "unit": "", "email": "not-an-address",
        "password": "short", "csrf_token": token(admin_client, "/admin/users")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "电子邮箱格式不正确" in page and "密码至少 8 个字符" in page
    assert 'value="nobody"' in page  # what was typed stays


def test_a_deactivated_user_is_refused_at_login(admin_client, make_user, token, app):
    make_user("clerk", unit="市林业局")
    page = admin_client.get("/admin/users").get_data(as_text=True)
    import re
    user_id = re.search(r'/admin/users/(\d+)/active"[^>]*>\s*<input[^>]*>\s*<button[^>]*>停用', page)
    assert user_id, page
    admin_client.post(f"/admin/users/{user_id.group(1)}/active", data={"csrf_token": token(admin_client, "/admin/users")})
    assert "已停用" in admin_client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("role", ["unit", "supervisor"])
@pytest.mark.parametrize("url", ["/admin/users", "/admin/units", "/admin/plans/import"])
def test_only_admins_reach_the_admin_pages(client, plan, make_user, login, role, url):
    make_user("someone", role=role, unit="市林业局" if role == "unit" else None)
    login(client, "someone")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("password", ["", "        ", "\t\t\t\t\t\t\t\t"])
def test_resetting_a_password_to_blank_is_refused_with_a_message(admin_client, make_user, token, app, password):
    from sqlalchemy import select

    from tracker.accounts.models import User
    from tracker.db import db

    clerk = make_user("clerk", unit="市林业局")
    with app.app_context():
        before = db.session.scalar(select(User.password_hash).where(User.id == clerk))
    response = admin_client.post(f"/admin/users/{clerk}/password",
                                 data={"password": password, "csrf_token": token(admin_client, "/admin/users")},
                                 follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "请填写新密码" in page or "密码不能为空" in page
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.id == clerk)) == before


def test_a_password_of_spaces_is_refused_by_the_service_too(ctx, plan, make_user):
    from tracker.accounts.models import User
    from tracker.accounts.services import reset_password
    from tracker.core.errors import Invalid

    user = ctx.get(User, make_user("clerk", unit="市林业局"))
    with pytest.raises(Invalid) as refused:
        reset_password(ctx, user, " " * 12, actor=None, now=None)
    assert refused.value.fields == {"password": "密码不能为空，也不能只有空格。"}
