"""Single sign-on with a province's identity platform (浙政钉, 粤政易 …): OpenID Connect, or a plain
OAuth2 code flow with a user-info endpoint, through Authlib. Configured by TRACKER_SSO_* variables.

The platform says who the person is; units and roles stay local. The claim TRACKER_SSO_USER_CLAIM
names the local account (linked on first use); a person without one is refused or queued.
"""
from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from tracker import clock
from tracker.accounts import sessions
from tracker.accounts.models import SsoRequest, User
from tracker.core import audit
from tracker.db import db

bp = Blueprint("sso", __name__, url_prefix="/login/sso")

KEYS = ("TRACKER_SSO_ISSUER", "TRACKER_SSO_AUTHORIZE_URL", "TRACKER_SSO_TOKEN_URL", "TRACKER_SSO_USERINFO_URL",
        "TRACKER_SSO_CLIENT_ID", "TRACKER_SSO_CLIENT_SECRET", "TRACKER_SSO_SCOPE")


def is_configured() -> bool:
    config = current_app.config
    return bool(config.get("TRACKER_SSO_CLIENT_ID") and (config.get("TRACKER_SSO_ISSUER")
                                                         or config.get("TRACKER_SSO_AUTHORIZE_URL")))


def client():
    """The Authlib client for the settings in force (built once per setting)."""
    config = current_app.config
    key = tuple(config.get(name) for name in KEYS)
    cached = current_app.extensions.get("tracker_sso")
    if cached and cached[0] == key:
        return cached[1]
    issuer, authorize, token, userinfo, client_id, secret, scope = key
    options = {"client_id": client_id, "client_secret": secret, "client_kwargs": {"scope": scope or "openid"}}
    if issuer:
        options["server_metadata_url"] = issuer.rstrip("/") + "/.well-known/openid-configuration"
    else:
        options.update(authorize_url=authorize, access_token_url=token, userinfo_endpoint=userinfo)
    oauth = OAuth(current_app)
    made = oauth.register("platform", **options)
    current_app.extensions["tracker_sso"] = (key, made)
    return made


@bp.get("")
def start():
    if not is_configured():
        abort(404)
    return client().authorize_redirect(url_for("sso.callback", _external=True))


@bp.get("/callback")
def callback():
    if not is_configured():
        abort(404)
    platform = client()
    try:
        token = platform.authorize_access_token()
        claims = token.get("userinfo") or platform.userinfo(token=token)
    except (OAuthError, ValueError) as error:
        current_app.logger.warning("SSO refused: %s", error)
        return _refuse(None, "error")
    name = str(claims.get(current_app.config.get("TRACKER_SSO_USER_CLAIM") or "preferred_username") or "").strip()
    if not name:
        return _refuse(None, "no_claim")
    user = db.session.scalar(select(User).where(or_(User.sso_subject == name, User.username == name))
                             .order_by(User.sso_subject.is_(None)).limit(1))
    if user is None:
        if current_app.config.get("TRACKER_SSO_UNKNOWN") == "queue":
            _queue(name, claims)
            return _refuse(name, "queued", _("您尚无本系统账号，申请已提交，请等待系统管理员开通。"))
        return _refuse(name, "unknown")
    if not user.active:
        return _refuse(name, "inactive")
    if user.sso_subject is None:
        user.sso_subject = name  # linked on first use
    sessions.begin(user, method="sso")
    return redirect(url_for("plans.home"))


def _queue(name: str, claims) -> None:
    if db.session.scalar(select(SsoRequest.id).where(SsoRequest.subject == name)) is None:
        db.session.add(SsoRequest(subject=name[:255], name=str(claims.get("name") or "")[:120],
                                  email=str(claims.get("email") or "")[:254], requested_at=clock.now()))


def _refuse(name: str | None, reason: str, message: str | None = None):
    audit.record(db.session, actor=name, action="login.failure", object_type="User", object_id=name or "-",
                 new={"method": "sso", "reason": reason}, at=clock.now())
    flash(message or _("统一身份认证登录失败：本系统没有与您对应的账号。"), "danger")
    return redirect(url_for("accounts.login"))
