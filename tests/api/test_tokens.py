"""Bearer tokens: hashed at rest, refused at once when revoked, dead with their user, no cookies."""
from __future__ import annotations

import hashlib

from sqlalchemy import select, text, update

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1


def _secret(headers: dict) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def test_a_token_opens_the_api_as_its_user(client, ipo):
    response = client.get("/api/v1/me", headers=ipo)
    assert response.status_code == 200
    assert response.get_json() == {"username": "ipo", "role": "unit", "unit": IPO}


def test_the_secret_is_not_in_the_database_only_its_sha256_and_a_short_prefix(app, ipo):
    from tracker.db import db

    secret = _secret(ipo)
    with app.app_context():
        rows = db.session.execute(text("SELECT * FROM api_token")).mappings().all()
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0].values())
    assert secret not in stored
    assert rows[0]["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(rows[0]["prefix"]) and len(rows[0]["prefix"]) <= 12


def test_without_a_token_the_api_answers_401_with_a_bearer_challenge(client, plan):
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == 401


def test_an_unknown_or_malformed_token_gets_401(client, ipo):
    for header in ("Bearer pt_not-a-real-token", "Bearer", "Basic dXNlcjpwYXNz", _secret(ipo)):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.is_json


def test_a_revoked_token_gets_401_at_once(app, client, ipo):
    from tracker import clock
    from tracker.api.models import ApiToken
    from tracker.api.tokens import revoke_token
    from tracker.db import db

    assert client.get("/api/v1/me", headers=ipo).status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert revoke_token(db.session, token, actor="test", now=clock.now())
        db.session.commit()
    assert client.get("/api/v1/me", headers=ipo).status_code == 401


def test_the_token_of_a_deactivated_user_stops_working(app, client, ipo):
    from tracker.accounts.models import User
    from tracker.db import db

    with app.app_context():
        db.session.execute(update(User).where(User.username == "ipo").values(active=False))
        db.session.commit()
    assert client.get("/api/v1/me", headers=ipo).status_code == 401


def test_a_logged_in_browser_session_does_not_open_the_api(client, plan, make_user, login):
    make_user("office", role="supervisor")
    login(client, "office")
    assert client.get(f"/plans/{plan}").status_code == 200
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401 and response.is_json


def test_a_token_records_when_it_was_last_used(app, client, ipo):
    from tracker.api.models import ApiToken
    from tracker.db import db

    client.get("/api/v1/me", headers=ipo)
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None
