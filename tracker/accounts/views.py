"""Log in (password, second factor), log out (here or everywhere), the user's own settings."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.accounts import services, sessions, twofactor
from tracker.accounts.admin import bp as admin_bp
from tracker.accounts.forms import LoginForm, PasswordForm, TwoFactorForm
from tracker.accounts.models import User
from tracker.accounts.passwords import params, rules
from tracker.accounts.security import bp as security_bp
from tracker.accounts.sso import bp as sso_bp
from tracker.accounts.throttle import ThrottleRule
from tracker.core import audit
from tracker.core.errors import Invalid, NotAllowed
from tracker.core.i18n import N_
from tracker.core.inputs import safe_next, whole_number
from tracker.db import db
from tracker.transaction import savepoint

bp = Blueprint("accounts", __name__)
sessions.init_blueprint(bp)

log = logging.getLogger(__name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("plans.home"))
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or "-"
        try:
            user = services.authenticate(db.session, form.username.data, form.password.data, address=address,
                                         now=clock.now(), rule=ThrottleRule.from_config(current_app.config))
            if user.sso_subject and not current_app.config.get("TRACKER_SSO_LOCAL_PASSWORDS", True):
                raise NotAllowed(N_("该账号须通过统一身份认证登录。"))
        except NotAllowed as refused:
            action = "login.locked" if "until" in refused.params else "login.failure"
            attempted = form.username.data.strip()[:60]
            audit.record(db.session, actor=attempted or None, action=action, object_type="User",
                         object_id=attempted, at=clock.now())
            # the failure is kept (the form is returned, not raised: the request commits): the throttle counts it
            log.info("login failure: %r from %s (%s)", form.username.data[:64], address,
                     "locked" if "until" in refused.params else "wrong credentials")
            form.password.errors.append(_(refused.template, **refused.params))
        else:
            target = safe_next(request.args.get("next"))
            if user.has_2fa:
                session["pending_user"], session["pending_remember"] = user.get_id(), bool(form.remember.data)
                return redirect(url_for("accounts.second_factor", next=target))
            sessions.begin(user, method="password", remember=form.remember.data)
            return redirect(target or url_for("plans.home"))
    return render_template("accounts/login.html", form=form,
                           remember=current_app.config.get("TRACKER_REMEMBER_ME"),
                           sso=current_app.config.get("TRACKER_SSO_CLIENT_ID") and
                           current_app.config.get("TRACKER_SSO_LABEL"))


@bp.route("/login/2fa", methods=["GET", "POST"])
def second_factor():
    """The second step for an account with an authenticator: a TOTP code or a recovery code."""
    number, _sep, epoch = str(session.get("pending_user") or "").partition(":")
    user = db.session.get(User, wanted) if (wanted := whole_number(number)) is not None else None
    if user is None or str(user.session_epoch) != epoch or not user.active:
        return redirect(url_for("accounts.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        method = twofactor.check_second_factor(db.session, user, form.code.data, now=clock.now(),
                                               wall=clock.wall_now())
        if method is None:
            audit.record(db.session, actor=user, action="login.failure", object_type="User", object_id=user.id,
                         new={"step": "2fa"}, at=clock.now())
            form.code.errors.append(_("验证码不正确，请重试。"))
        else:
            remember = session.pop("pending_remember", False)
            session.pop("pending_user", None)
            sessions.begin(user, method=f"password+{method}", remember=remember)
            return redirect(safe_next(request.args.get("next")) or url_for("plans.home"))
    return render_template("accounts/second_factor.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    sessions.end()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    services.revoke_sessions(db.session, current_user, actor=current_user, now=clock.now())
    sessions.end()
    flash(_("已退出所有设备上的登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = PasswordForm()
    policy = sessions.policy()
    if form.validate_on_submit():
        try:
            with savepoint():
                services.change_password(db.session, current_user, form.current.data, form.new.data,
                                         now=clock.now(), policy=policy)
        except Invalid as invalid:
            for name, message in invalid.fields.items():
                getattr(form, name).errors.append(_(message, **invalid.params))
        else:
            flash(_("密码已修改。"), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/settings.html", form=form, rules=rules(policy), rule_params=params(policy),
                           recovery_left=twofactor.remaining_codes(db.session, current_user))


@bp.route("/settings/2fa", methods=["GET", "POST"])
@login_required
def two_factor():
    """Enrolment: scan the QR code, confirm with a first code, keep the recovery codes."""
    if current_user.has_2fa:
        return redirect(url_for("accounts.settings"))
    twofactor.begin_enrolment(current_user)
    form = TwoFactorForm()
    codes = None
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm_enrolment(db.session, current_user, form.code.data, now=clock.now(),
                                                wall=clock.wall_now())
        except Invalid as invalid:
            form.code.errors.append(_(invalid.template))
    # the pending secret survives until confirmed: the page is returned, so the request commits it
    if codes:
        return render_template("accounts/recovery_codes.html", codes=codes)
    return render_template("accounts/two_factor.html", form=form, secret=current_user.totp_secret,
                           qr=twofactor.provisioning_qr(current_user))


blueprints = [bp, admin_bp, security_bp, sso_bp]
