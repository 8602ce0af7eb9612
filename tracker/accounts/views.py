"""Log in, log out, the user's own settings."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker import clock
from tracker.accounts import services
from tracker.accounts.admin import bp as admin_bp
from tracker.accounts.forms import LoginForm, PasswordForm
from tracker.accounts.throttle import ThrottleRule
from tracker.core.errors import Invalid, NotAllowed
from tracker.core.inputs import safe_next
from tracker.db import db

bp = Blueprint("accounts", __name__)
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
        except NotAllowed as refused:
            db.session.commit()  # keep the failure: the throttle counts it
            log.info("login failure: %r from %s (%s)", form.username.data[:64], address,
                     "locked" if "until" in refused.params else "wrong credentials")
            form.password.errors.append(_(refused.template, **refused.params))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("plans.home"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(db.session, current_user, form.current.data, form.new.data, now=clock.now())
        except Invalid as invalid:
            for name, message in invalid.fields.items():
                getattr(form, name).errors.append(_(message))
        else:
            db.session.commit()
            flash(_("密码已修改。"), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/settings.html", form=form)


blueprints = [bp, admin_bp]
