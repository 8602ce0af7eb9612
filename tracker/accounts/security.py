"""The 安全管理员's page: the security settings in force, locked accounts, second factors, sessions."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts import services, twofactor
from tracker.accounts.forms import UnlockForm
from tracker.accounts.models import User
from tracker.accounts.permissions import can_reset_2fa, can_unlock_accounts, is_security_admin, require
from tracker.accounts.settings import in_force
from tracker.accounts.throttle import ThrottleRule
from tracker.db import db

bp = Blueprint("security", __name__, url_prefix="/admin/security")


@bp.before_request
@login_required
def _security_admins_only():
    require(is_security_admin(current_user))


@bp.get("")
def overview():
    locked = services.list_locked_accounts(db.session, now=clock.now(),
                                           rule=ThrottleRule.from_config(current_app.config))
    users = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("accounts/security.html", settings=in_force(current_app.config), locked=locked,
                           users=users, unlock=UnlockForm())


@bp.post("/unlock")
def unlock():
    require(can_unlock_accounts(current_user))
    form = UnlockForm()
    if form.validate_on_submit():
        services.unlock_account(db.session, form.username.data.strip(), actor=current_user, now=clock.now())
        flash(_("已解除 %(name)s 的登录锁定。", name=form.username.data.strip()), "success")
    return redirect(url_for(".overview"))


@bp.post("/users/<int:user_id>/2fa")
def reset_2fa(user_id: int):
    require(can_reset_2fa(current_user))
    user = db.get_or_404(User, user_id)
    twofactor.reset_second_factor(db.session, user, actor=current_user, now=clock.now())
    flash(_("已重置 %(name)s 的双因素认证。", name=user.username), "success")
    return redirect(url_for(".overview"))


@bp.post("/users/<int:user_id>/sessions")
def revoke_sessions(user_id: int):
    user = db.get_or_404(User, user_id)
    services.revoke_sessions(db.session, user, actor=current_user, now=clock.now())
    flash(_("已使 %(name)s 在所有设备上退出登录。", name=user.username), "success")
    return redirect(url_for(".overview"))
