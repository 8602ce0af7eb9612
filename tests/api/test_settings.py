"""Tokens in the UI: made on the user's own settings page and shown once; listed and revoked."""
from __future__ import annotations

import re

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1


def _create(client, token, name="报表系统"):
    return client.post("/settings/tokens", data={"name": name, "csrf_token": token(client, "/settings/tokens")})


def _new_secret(page: str) -> str:
    match = re.search(r'id="new-token">(pt_[^<]+)<', page)
    assert match, "the new token is not shown"
    return match.group(1)


def test_the_settings_page_leads_to_the_tokens(client, plan, make_user, login):
    make_user("ipo", unit=IPO)
    login(client, "ipo")
    page = client.get("/settings").get_data(as_text=True)
    assert "API 令牌" in page and "/settings/tokens" in page


def test_a_user_creates_a_token_sees_it_once_and_it_opens_the_api(client, plan, make_user, login, token):
    make_user("ipo", unit=IPO)
    login(client, "ipo")
    response = _create(client, token)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = _new_secret(response.get_data(as_text=True))
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert secret not in listing and secret[:10] in listing and "报表系统" in listing
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.get_json()["username"] == "ipo"


def test_creating_a_token_needs_the_forms_csrf_token(client, plan, make_user, login):
    make_user("ipo", unit=IPO)
    login(client, "ipo")
    assert client.post("/settings/tokens", data={"name": "x"}).status_code == 400


def test_a_user_revokes_a_token_and_it_stops_working_at_once(client, plan, make_user, login, token):
    make_user("ipo", unit=IPO)
    login(client, "ipo")
    secret = _new_secret(_create(client, token).get_data(as_text=True))
    page = client.get("/settings/tokens").get_data(as_text=True)
    action = re.search(r'action="(/settings/tokens/\d+/revoke)"', page).group(1)
    response = client.post(action, data={"csrf_token": token(client, "/settings/tokens")})
    assert response.status_code == 302
    assert "已吊销" in client.get("/settings/tokens").get_data(as_text=True)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_user_neither_sees_nor_revokes_another_users_tokens(app, client, plan, make_user, login, token, bearer):
    from sqlalchemy import select

    from tracker.api.models import ApiToken
    from tracker.db import db

    office = bearer("office", role="supervisor")
    with app.app_context():
        office_token = db.session.scalar(select(ApiToken))
    make_user("ipo", unit=IPO)
    login(client, "ipo")
    assert office_token.prefix not in client.get("/settings/tokens").get_data(as_text=True)
    response = client.post(f"/settings/tokens/{office_token.id}/revoke",
                           data={"csrf_token": token(client, "/settings/tokens")})
    assert response.status_code == 403
    assert client.get("/api/v1/me", headers=office).status_code == 200


def test_an_administrator_sees_and_revokes_every_token(app, client, plan, make_user, login, token, bearer):
    from sqlalchemy import select

    from tracker.api.models import ApiToken
    from tracker.db import db

    ipo = bearer("ipo", unit=IPO)
    with app.app_context():
        ipo_token = db.session.scalar(select(ApiToken))
    make_user("root", role="admin")
    login(client, "root")
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert "全部令牌" in page and ipo_token.prefix in page and IPO in page
    response = client.post(f"/settings/tokens/{ipo_token.id}/revoke",
                           data={"csrf_token": token(client, "/settings/tokens")})
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=ipo).status_code == 401


def test_the_tokens_page_needs_a_login(client, plan):
    response = client.get("/settings/tokens")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
