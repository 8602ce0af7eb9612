"""What every request checks for a signed-in person: idle and absolute timeouts, a password that
must change, a second factor that must be set up. Also tells the audit log where requests come from.

Times are `tracker.clock.now()` timestamps kept in the signed session cookie.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tracker import clock
from tracker.accounts.models import Role, User
from tracker.accounts.passwords import PasswordPolicy, is_expired
from tracker.core import audit
from tracker.db import db
from tracker.transaction import afterwards

# Where a person who must change their password or enrol a second factor may still go.
OPEN_ENDPOINTS = {"accounts.settings", "accounts.logout", "accounts.two_factor", "accounts.logout_everywhere",
                  "web.switch_language", "static"}


def policy() -> PasswordPolicy:
    return PasswordPolicy.from_config(current_app.config)


def requires_2fa(user: User) -> bool:
    """TRACKER_REQUIRE_2FA: admins (the three administrators), office (督查室), all."""
    groups = current_app.config.get("TRACKER_REQUIRE_2FA") or frozenset()
    return ("all" in groups or ("admins" in groups and user.role.is_administrator)
            or ("office" in groups and user.role is Role.SUPERVISOR))


def begin(user: User, *, method: str, remember: bool = False) -> None:
    """Signs the user in and records it; the caller commits."""
    allowed = bool(current_app.config.get("TRACKER_REMEMBER_ME"))
    login_user(user, remember=remember and allowed)
    stamp = clock.now().timestamp()
    session["started_at"] = session["seen_at"] = stamp
    audit.record(db.session, actor=user, action="login.success", object_type="User", object_id=user.id,
                 new={"method": method}, at=clock.now())


def end(*, action: str = "logout") -> None:
    """Signs the current user out and records why; the caller commits."""
    if current_user.is_authenticated:
        audit.record(db.session, actor=current_user._get_current_object(), action=action, object_type="User",
                     object_id=current_user.id, at=clock.now())
    logout_user()
    for key in ("started_at", "seen_at"):
        session.pop(key, None)


def note_origin() -> None:
    audit.origin.set(audit.Origin(address=request.remote_addr or "", agent=request.user_agent.string or ""))


def enforce():
    """Runs before every request; a redirect ends the request early."""
    note_origin()
    _note_settings_once()
    if request.path.startswith("/api/") or request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = clock.now().timestamp()
    started = session.setdefault("started_at", now)
    seen = session.get("seen_at", now)
    idle = int(current_app.config.get("TRACKER_SESSION_IDLE_MINUTES") or 15) * 60
    longest = int(current_app.config.get("TRACKER_SESSION_MAX_HOURS") or 12) * 3600
    if now - seen > idle or now - started > longest:
        end(action="session.timeout")
        flash(_("您长时间未操作或登录已超过时限，请重新登录。"), "warning")
        return redirect(url_for("accounts.login", next=request.path if request.method == "GET" else None))
    session["seen_at"] = now
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    user = current_user
    if user.must_change_password or is_expired(policy(), user.password_changed_at, clock.now()):
        flash(_("请先修改密码（首次登录、管理员重置或密码已过期）。"), "warning")
        return redirect(url_for("accounts.settings"))
    if requires_2fa(user) and not user.has_2fa:
        flash(_("您的账号须启用双因素认证，请先完成设置。"), "warning")
        return redirect(url_for("accounts.two_factor"))
    return None


def _note_settings_once() -> None:
    """The first request of a process records the security settings if they changed since the last run
    (not under TESTING, where tests call `note_changes` themselves)."""
    if current_app.testing or current_app.extensions.get("tracker_settings_noted"):
        return
    from tracker.accounts.settings import note_changes

    current_app.extensions["tracker_settings_noted"] = True
    now = clock.now()
    afterwards(lambda: note_changes(db.session, current_app.config, now=now))  # kept whatever the request does


def forget_origin(_error=None) -> None:
    audit.origin.set(audit.Origin())  # a later job or command in this thread is not this request


def init_blueprint(bp: Blueprint) -> None:
    bp.before_app_request(enforce)
    bp.teardown_app_request(forget_origin)
