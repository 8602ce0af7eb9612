"""`tracker users …` and `tracker seed` from the command line."""
from __future__ import annotations

from sqlalchemy import select

from tracker.accounts.cli import users
from tracker.accounts.models import User
from tracker.db import db
from tracker.plans.cli import seed_command


def test_users_create_reads_the_password_from_stdin_and_the_user_can_log_in(app, plan, client, login):
    runner = app.test_cli_runner()
    result = runner.invoke(users, ["create", "--username", "forest", "--role", "unit", "--unit", "市林业局",
                                 "--email", "forest@example.com", "--password", "-"], input="correct-horse-9\n")
    assert result.exit_code == 0, result.output
    assert "created forest (unit, 市林业局)" in result.output
    login(client, "forest")


def test_users_create_names_what_is_wrong_and_creates_nothing(app, plan):
    runner = app.test_cli_runner()
    result = runner.invoke(users, ["create", "--username", "ghost", "--role", "unit", "--unit", "市火星局",
                                 "--password", "short"])
    assert result.exit_code == 1
    assert "unit: 未找到该责任单位。" in result.output and "password: 密码至少 8 个字符。" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "ghost")) is None


def test_seed_twice_says_unchanged_the_second_time(app, seed_data):
    runner = app.test_cli_runner()
    first = runner.invoke(seed_command, [])
    assert first.exit_code == 0, first.output
    assert "created" in first.output
    second = runner.invoke(seed_command, [])
    assert second.exit_code == 0 and second.output.strip().endswith(": unchanged")
