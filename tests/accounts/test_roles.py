"""三员分立: each administrator does exactly its own work; every admin route × role, from the URL map."""
from __future__ import annotations

import re

import pytest

from tracker.core.audit import AuditEntry
from tracker.db import db

ROLES = ["admin", "security", "auditor", "supervisor", "unit"]
# Who may use each admin area; any other /admin/... route belongs to the 系统管理员 alone.
OWNERS = {"/admin/security": {"security"}, "/audit": {"auditor"},
          "/admin/outbox": {"admin", "supervisor"}}  # the office reads the mail it sends


def admin_routes(app):
    """(method, url, owner) for every route under /admin and /audit, args filled with 1."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/admin", "/audit")):
            continue
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "xlsx" if m.group(1) == "kind" else "1", rule.rule)
        owner = next((who for prefix, who in OWNERS.items() if rule.rule.startswith(prefix)), {"admin"})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url, owner))
    return out


def test_the_matrix_covers_the_three_administrators_areas(app):
    owners = {role for _m, _u, owner in admin_routes(app) for role in owner}
    assert {"admin", "security", "auditor"} <= owners
    assert len(admin_routes(app)) >= 15


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_own_admin_routes(app, client, plan, make_user, login, token, role):
    make_user("other", unit="市林业局")  # id 1: the object of /admin/users/1/...
    make_user("someone", role=role, unit="市林业局" if role == "unit" else None)
    login(client, "someone")
    csrf = token(client, "/settings")
    wrong = []
    for method, url, owner in admin_routes(app):
        response = client.open(url, method=method, data={"csrf_token": csrf} if method == "POST" else None)
        allowed = response.status_code != 403
        if allowed != (role in owner):
            wrong.append((method, url, response.status_code))
    assert wrong == [], wrong


def test_the_auditor_cannot_change_data_anywhere(app, client, plan, make_user, login, token):
    """Every POST route outside the auditor's own account answers 403 (or 404 for a missing object)."""
    make_user("eye", role="auditor")
    login(client, "eye")
    csrf = token(client, "/settings")
    own = ("/login", "/logout", "/settings", "/lang/")
    changed = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(own) or rule.rule.startswith("/api/"):
            continue
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        status = client.post(url, data={"csrf_token": csrf}).status_code
        if status not in (403, 404):
            changed.append((url, status))
    assert changed == []


def test_nobody_changes_their_own_role(client, plan, make_user, login, token, ctx):
    me = make_user("root", role="admin")
    login(client, "root")
    response = client.post(f"/admin/users/{me}/role", data={"role": "auditor", "csrf_token": token(client, "/settings")})
    assert response.status_code == 403
    from tracker.accounts.models import Role, User
    assert db.session.get(User, me).role is Role.ADMIN


def test_the_system_administrator_gives_another_account_one_new_role(client, plan, make_user, login, token, ctx):
    make_user("root", role="admin")
    other = make_user("guard", role="supervisor")
    login(client, "root")
    response = client.post(f"/admin/users/{other}/role", data={"role": "security",
                                                               "csrf_token": token(client, "/settings")})
    assert response.status_code == 302
    from tracker.accounts.models import Role, User
    assert db.session.get(User, other).role is Role.SECURITY
    entry = db.session.query(AuditEntry).filter_by(action="user.role").one()
    assert entry.old == {"role": "supervisor"} and entry.new == {"role": "security"}


def test_no_route_deletes_audit_entries(app):
    assert not [r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/audit") and r.methods & {"POST", "DELETE"}]


@pytest.mark.parametrize("role, home", [("security", "/admin/security"), ("auditor", "/audit")])
def test_the_new_administrators_start_on_their_own_page(client, plan, make_user, login, role, home):
    make_user("someone", role=role)
    login(client, "someone")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith(home)
