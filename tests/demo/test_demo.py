"""The demo a newcomer starts: every role logs in and finds the plan and its history."""
from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from tests.conftest import ON_THE_DEMO
from tracker import create_app
from tracker.demo.accounts import ACCOUNTS, PASSWORD

# The demo is always SQLite (instance/demo.db), whatever database the suite runs on.
pytestmark = [pytest.mark.database_free, ON_THE_DEMO]


@pytest.fixture(scope="module")
def demo_app(demo_database, tmp_path_factory):
    """The demo (built once per run, tests/conftest.py), on a copy these tests may write to."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(demo_database, path)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TRACKER_TODAY": date(2024, 11, 20),
                       "SECRET_KEY": "demo-test", "TESTING": True})


def _login(client, username):
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf})


@pytest.mark.parametrize("username", [a[0] for a in ACCOUNTS])
def test_every_demo_account_logs_in_and_lands_on_a_page_with_content(demo_app, username):
    client = demo_app.test_client()
    assert _login(client, username).status_code == 302
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "演示环境：系统日期固定为 2024-11-20" in page


def test_the_demo_has_reports_for_past_quarters(demo_app):
    from sqlalchemy import func, select

    from tracker.db import db
    from tracker.reporting.models import Report

    with demo_app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) > 500
