"""Only the supervision office and administrators reach supervision pages and downloads."""
from __future__ import annotations

import pytest

from tracker.db import db


@pytest.fixture
def urls(app, world):
    """Every supervision URL, with real ids."""
    with app.app_context():
        report = world.report("1", "甲局", "2024Q3")
        db.session.commit()
        report_id, task_id, unit_id = report.id, world.task("1").id, world.unit("甲局").id
    gets = ["/supervision", "/supervision/lagging", "/supervision/compliance", "/supervision/compliance?period=2024Q2",
            "/supervision/escalations", "/supervision/help", "/supervision/reviews", f"/supervision/reports/{report_id}",
            f"/supervision/units/{unit_id}", "/supervision/ledger.xlsx", "/supervision/ledger.csv",
            "/supervision/compilation/2024Q3.xlsx", "/supervision/compilation/2024Q3.csv",
            "/supervision/compliance/2024Q3.csv"]
    posts = [f"/supervision/reports/{report_id}/accept", f"/supervision/reports/{report_id}/return",
             f"/supervision/tasks/{task_id}/escalate", f"/supervision/tasks/{task_id}/flag",
             "/supervision/escalations/1/close", "/supervision/flags/1/clear", "/supervision/remind"]
    return gets, posts


def test_every_supervision_page_and_download_opens_for_the_office(client, urls, make_user, login):
    make_user("office", role="supervisor")
    login(client, "office")
    for url in urls[0]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_the_dashboard_is_the_home_of_the_office_and_admins(client, world, make_user, login, role):
    make_user("someone", role=role)
    login(client, "someone")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/supervision")


def test_a_unit_user_gets_403_on_every_supervision_url(client, urls, make_user, login, token):
    make_user("jia", unit="甲局")
    login(client, "jia")
    csrf = token(client, "/settings")
    for url in urls[0]:
        assert client.get(url).status_code == 403, url
    for url in urls[1]:
        assert client.post(url, data={"csrf_token": csrf, "reason": "x", "comment": "x", "period": "2024Q3"}
                           ).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, urls):
    for url in urls[0]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_the_menu_shows_supervision_to_the_office_only(client, world, make_user, login):
    make_user("office", role="supervisor")
    make_user("jia", unit="甲局")
    login(client, "office")
    assert "督查首页" in client.get("/settings").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": ""})
    other = client.application.test_client()
    login(other, "jia")
    assert "督查首页" not in other.get("/settings").get_data(as_text=True)
