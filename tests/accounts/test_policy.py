"""Password policy, forced changes, idle and absolute timeouts, logging out everywhere."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from tracker import clock
from tracker.accounts.cli import users
from tracker.accounts.passwords import PasswordPolicy, problems

POLICY = PasswordPolicy()


@pytest.mark.parametrize("password, message", [
    ("Ab1-", "密码至少 %(count)s 个字符。"),
    ("abcdefgh1", "密码须包含大写字母、小写字母、数字和其他字符中的至少 %(classes)s 类。"),
    ("Forest-2024", "密码不能包含用户名。"),
])
def test_each_password_rule_refuses_its_password(password, message):
    assert problems(POLICY, password, username="forest") == [message]


def test_a_password_in_three_classes_of_eight_characters_passes():
    assert problems(POLICY, "Plan-2024", username="forest") == []


def test_the_rules_are_shown_on_the_password_form(client, plan, make_user, login):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    page = client.get("/settings").get_data(as_text=True)
    assert "至少 8 个字符" in page and "至少 3 类" in page and "最近 5 次" in page and "每 90 天" in page


def change(client, token, current, new):
    return client.post("/settings", data={"current": current, "new": new, "confirm": new,
                                          "csrf_token": token(client, "/settings")})


def test_a_new_password_may_not_repeat_one_of_the_last_five(client, plan, make_user, login, token):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    current = PASSWORD
    for n in range(1, 6):
        assert change(client, token, current, f"Second-{n}x").status_code == 302
        current = f"Second-{n}x"
    assert "不能使用最近 5 次用过的密码" in change(client, token, current, "Second-2x").get_data(as_text=True)
    assert change(client, token, current, PASSWORD).status_code == 302  # six changes ago: allowed again


def test_the_cli_checks_the_policy_too(app, plan):
    result = app.test_cli_runner().invoke(users, ["create", "--username", "boss", "--role", "admin",
                                                  "--password", "alllowercase"])
    assert result.exit_code == 1 and "password: 密码须包含" in result.output and "至少 3 类" in result.output


def test_an_admin_reset_forces_a_change_at_the_next_login(app, client, plan, make_user, login, token):
    make_user("root", role="admin")
    clerk = make_user("clerk", unit="市林业局")
    login(client, "root")
    client.post(f"/admin/users/{clerk}/password", data={"password": "Reset-Pass-1", "csrf_token": token(client, "/settings")})
    other = app.test_client()
    login(other, "clerk", "Reset-Pass-1")
    response = other.get("/reports")
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings")
    assert change(other, token, "Reset-Pass-1", "Own-choice-7").status_code == 302
    assert other.get("/settings").status_code == 200 and other.get("/").status_code == 302
    assert not other.get("/").headers["Location"].endswith("/settings")


def test_an_account_made_by_an_admin_changes_its_password_at_first_login(app, client, plan, make_user, login, token):
    make_user("root", role="admin")
    login(client, "root")
    client.post("/admin/users", data={"username": "forest", "role": "unit", "unit": "市林业局", "email": "",
                                      "password": "First-Pass-1", "csrf_token": token(client, "/admin/users")})
    other = app.test_client()
    login(other, "forest", "First-Pass-1")
    assert other.get("/").headers["Location"].endswith("/settings")


def test_a_password_older_than_90_days_must_be_changed(app, client, plan, make_user, login, monkeypatch):
    make_user("clerk", unit="市林业局")
    login(client, "clerk")
    later = clock.now() + timedelta(days=91)
    monkeypatch.setattr(clock, "now", lambda: later)
    client.get("/settings")  # keeps the session fresh at the new time... it was idle 91 days: logged out
    login(client, "clerk")
    assert client.get("/").headers["Location"].endswith("/settings")


def test_fifteen_idle_minutes_end_the_session(client, plan, make_user, login, monkeypatch):
    make_user("clerk", unit="市林业局")
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    login(client, "clerk")
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=14))
    assert client.get("/settings").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=28))
    assert client.get("/settings").status_code == 200  # 14 minutes after the last request
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=43, seconds=30))  # 15.5 idle
    response = client.get("/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/settings").status_code == 302


def test_an_active_session_still_ends_after_the_absolute_lifetime(client, plan, make_user, login, monkeypatch):
    make_user("clerk", unit="市林业局")
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    login(client, "clerk")
    for minutes in range(10, 12 * 60, 10):
        monkeypatch.setattr(clock, "now", lambda m=minutes: start + timedelta(minutes=m))
        assert client.get("/settings").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=12, minutes=5))
    assert client.get("/settings").status_code == 302


def test_remember_me_is_not_offered_by_default(client):
    assert 'name="remember"' not in client.get("/login").get_data(as_text=True)


def test_logging_out_everywhere_ends_the_other_sessions(app, plan, make_user, login, token):
    make_user("clerk", unit="市林业局")
    phone, desk = app.test_client(), app.test_client()
    login(phone, "clerk")
    login(desk, "clerk")
    assert phone.get("/settings").status_code == 200
    desk.post("/logout/everywhere", data={"csrf_token": token(desk, "/settings")})
    assert phone.get("/settings").status_code == 302


def test_an_admin_logs_a_user_out_everywhere(app, client, plan, make_user, login, token):
    make_user("root", role="admin")
    clerk = make_user("clerk", unit="市林业局")
    phone = app.test_client()
    login(phone, "clerk")
    login(client, "root")
    client.post(f"/admin/users/{clerk}/sessions", data={"csrf_token": token(client, "/settings")})
    assert phone.get("/settings").status_code == 302
