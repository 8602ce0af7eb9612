"""Single sign-on through a real OpenID provider on loopback: a mapped user gets in, an unknown one not."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.conftest import PASSWORD
from tracker.accounts.models import SsoRequest, User
from tracker.core.audit import AuditEntry
from tracker.db import db


@pytest.fixture
def provider(app):
    with Provider() as running:
        saved = {k: app.config.get(k) for k in ("TRACKER_SSO_ISSUER", "TRACKER_SSO_CLIENT_ID",
                                                 "TRACKER_SSO_CLIENT_SECRET", "TRACKER_SSO_UNKNOWN",
                                                 "TRACKER_SSO_LOCAL_PASSWORDS")}
        app.config.update(TRACKER_SSO_ISSUER=running.issuer, TRACKER_SSO_CLIENT_ID=CLIENT_ID,
                          TRACKER_SSO_CLIENT_SECRET=CLIENT_SECRET)
        yield running
        app.config.update(saved)


def sign_in_through(client, provider, claims):
    """Click the button, 'log in' at the platform (real HTTP), come back with the code."""
    provider.person = claims
    start = client.get("/login/sso")
    assert start.status_code == 302 and start.headers["Location"].startswith(provider.issuer + "/authorize")
    at_platform = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_platform.status_code == 302
    back = urlsplit(at_platform.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_the_login_page_offers_the_platform_button(client, provider):
    assert "统一身份认证" in client.get("/login").get_data(as_text=True)


def test_a_mapped_user_is_signed_in_and_linked(app, client, plan, make_user, provider):
    make_user("clerk", unit="市林业局")
    response = sign_in_through(client, provider, {"sub": "u-1", "preferred_username": "clerk"})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    assert client.get("/settings").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User.sso_subject).where(User.username == "clerk")) == "clerk"
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.success")).one()
        assert entry.new == {"method": "sso"} and entry.actor_label == "clerk"


def test_an_unknown_person_is_refused(app, client, plan, provider):
    response = sign_in_through(client, provider, {"sub": "u-9", "preferred_username": "stranger"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "没有与您对应的账号" in client.get("/login").get_data(as_text=True)
    assert client.get("/settings").status_code == 302
    with app.app_context():
        failure = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.failure")).one()
        assert failure.actor_label == "stranger" and failure.new["reason"] == "unknown"


def test_an_unknown_person_can_be_queued_for_the_system_administrator(app, client, plan, make_user, login, provider):
    app.config["TRACKER_SSO_UNKNOWN"] = "queue"
    sign_in_through(client, provider, {"sub": "u-9", "preferred_username": "newcomer", "name": "新 同事"})
    with app.app_context():
        assert db.session.scalar(select(SsoRequest.subject)) == "newcomer"
    make_user("root", role="admin")
    admin = app.test_client()
    login(admin, "root")
    assert "newcomer" in admin.get("/admin/users").get_data(as_text=True)


def test_local_passwords_can_be_turned_off_for_linked_accounts(app, client, plan, make_user, provider, token):
    make_user("clerk", unit="市林业局")
    sign_in_through(client, provider, {"sub": "u-1", "preferred_username": "clerk"})
    app.config["TRACKER_SSO_LOCAL_PASSWORDS"] = False
    other = app.test_client()
    response = other.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token(other)})
    assert response.status_code == 200 and "须通过统一身份认证登录" in response.get_data(as_text=True)


def test_a_token_from_the_wrong_client_secret_signs_nobody_in(app, client, plan, make_user, provider):
    make_user("clerk", unit="市林业局")
    app.config["TRACKER_SSO_CLIENT_SECRET"] = "not-the-secret"
    response = sign_in_through(client, provider, {"sub": "u-1", "preferred_username": "clerk"})
    assert response.headers["Location"].endswith("/login")
    assert client.get("/settings").status_code == 302
