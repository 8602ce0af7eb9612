"""Administrators manage accounts: create, deactivate, reset a password."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts import services
from tracker.accounts.forms import ResetPasswordForm, UserForm
from tracker.accounts.models import Role, User
from tracker.accounts.permissions import can_unlock_accounts, is_admin, require
from tracker.accounts.throttle import ThrottleRule
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.plans.models import Unit, UnitKind

bp = Blueprint("admin_accounts", __name__, url_prefix="/admin/users")


@bp.before_request
@login_required
def _admins_only():
    require(is_admin(current_user))


def _user_form() -> UserForm:
    form = UserForm()
    units = db.session.scalars(select(Unit.name).where(Unit.kind != UnitKind.GROUP).order_by(Unit.name)).all()
    form.unit.choices = [("", "—")] + [(name, name) for name in units]
    form.role.choices = [(r.value, _(r.label)) for r in Role]
    return form


@bp.route("", methods=["GET", "POST"])
def users():
    form = _user_form()
    if form.validate_on_submit():
        try:
            services.create_user(db.session, username=form.username.data, role=Role(form.role.data),
                                 password=form.password.data, email=form.email.data or "",
                                 unit_name=form.unit.data or None, display_name=form.display_name.data or "",
                                 actor=current_user, now=clock.now())
        except Invalid as invalid:
            for name, message in invalid.fields.items():
                getattr(form, name).errors.append(_(message))
        else:
            db.session.commit()
            flash(_("已创建用户 %(name)s。", name=form.username.data), "success")
            return redirect(url_for(".users"))
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    locked = services.list_locked_accounts(db.session, now=clock.now(),
                                           rule=ThrottleRule.from_config(current_app.config))
    return render_template("accounts/admin_users.html", form=form, users=rows, reset=ResetPasswordForm(),
                           locked=locked, can_unlock=can_unlock_accounts(current_user))


@bp.post("/<int:user_id>/unlock")
def unlock(user_id: int):
    require(can_unlock_accounts(current_user))
    user = db.get_or_404(User, user_id)
    services.unlock_account(db.session, user, actor=current_user, now=clock.now())
    db.session.commit()
    flash(_("已解锁 %(name)s，可以立即登录。", name=user.username), "success")
    return redirect(url_for(".users"))


@bp.post("/<int:user_id>/active")
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("不能停用自己的账号。"), "warning")
        return redirect(url_for(".users"))
    services.set_active(db.session, user, not user.active, actor=current_user, now=clock.now())
    db.session.commit()
    flash(_("已启用 %(name)s。", name=user.username) if user.active else _("已停用 %(name)s。", name=user.username),
          "success")
    return redirect(url_for(".users"))


@bp.post("/<int:user_id>/password")
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        flash(" ".join(str(error) for error in form.password.errors) or _("请求无效，请返回重试。"), "danger")
        return redirect(url_for(".users"))
    try:
        services.reset_password(db.session, user, form.password.data, actor=current_user, now=clock.now())
    except Invalid as invalid:
        flash(_(invalid.fields["password"]), "danger")
        return redirect(url_for(".users"))
    db.session.commit()
    flash(_("已重置 %(name)s 的密码。", name=user.username), "success")
    return redirect(url_for(".users"))
