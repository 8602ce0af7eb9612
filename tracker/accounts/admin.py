"""The 系统管理员 manages accounts: create, deactivate, reset a password, change a role, end sessions."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts import services, sessions
from tracker.accounts.forms import ResetPasswordForm, RoleForm, UserForm
from tracker.accounts.models import Role, SsoRequest, User
from tracker.accounts.passwords import params, rules
from tracker.accounts.permissions import can_change_role, can_revoke_sessions, can_unlock_accounts, is_admin, require
from tracker.accounts.throttle import ThrottleRule
from tracker.accounts.units import Unit, UnitKind
from tracker.core.errors import Invalid, NotAllowed
from tracker.db import db
from tracker.transaction import savepoint

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
    policy = sessions.policy()
    if form.validate_on_submit():
        try:
            with savepoint():
                services.create_user(db.session, username=form.username.data, role=Role(form.role.data),
                                     password=form.password.data, email=form.email.data or "",
                                     unit_name=form.unit.data or None, display_name=form.display_name.data or "",
                                     actor=current_user, now=clock.now(), policy=policy,
                                     must_change=policy.change_at_first_login)
        except Invalid as invalid:
            for name, message in invalid.fields.items():
                getattr(form, name).errors.append(_(message, **invalid.params))
        else:
            flash(_("已创建用户 %(name)s。", name=form.username.data), "success")
            return redirect(url_for(".users"))
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    queued = db.session.scalars(select(SsoRequest).order_by(SsoRequest.requested_at)).all()
    locked = services.list_locked_accounts(db.session, now=clock.now(),
                                           rule=ThrottleRule.from_config(current_app.config))
    return render_template("accounts/admin_users.html", form=form, users=rows, reset=ResetPasswordForm(),
                           roles=list(Role), queued=queued, rules=rules(policy), rule_params=params(policy),
                           locked=locked, can_unlock=can_unlock_accounts(current_user))


@bp.post("/<int:user_id>/active")
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("不能停用自己的账号。"), "warning")
        return redirect(url_for(".users"))
    services.set_active(db.session, user, not user.active, actor=current_user, now=clock.now())
    flash(_("已启用 %(name)s。", name=user.username) if user.active else _("已停用 %(name)s。", name=user.username),
          "success")
    return redirect(url_for(".users"))


@bp.post("/<int:user_id>/password")
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.password.errors) or _("请求无效，请返回重试。"), "danger")
        return redirect(url_for(".users"))
    try:
        with savepoint():
            services.reset_password(db.session, user, form.password.data, actor=current_user, now=clock.now(),
                                    policy=sessions.policy())
    except Invalid as invalid:
        flash(_(invalid.template, **invalid.params), "danger")
        return redirect(url_for(".users"))
    flash(_("已重置 %(name)s 的密码，其下次登录时须修改。", name=user.username), "success")
    return redirect(url_for(".users"))


@bp.post("/<int:user_id>/role")
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    require(can_change_role(current_user, user))
    form = RoleForm()
    form.role.choices = [(r.value, r.value) for r in Role]
    if not form.validate_on_submit():
        flash(_("请求无效，请返回重试。"), "danger")
        return redirect(url_for(".users"))
    try:
        with savepoint():
            services.change_role(db.session, user, Role(form.role.data), actor=current_user, now=clock.now())
    except (Invalid, NotAllowed) as refused:
        flash(_(refused.template, **refused.params), "danger")
        return redirect(url_for(".users"))
    flash(_("已将 %(name)s 的角色改为%(role)s。", name=user.username, role=_(user.role.label)), "success")
    return redirect(url_for(".users"))


@bp.post("/<int:user_id>/sessions")
def revoke_sessions(user_id: int):
    user = db.get_or_404(User, user_id)
    require(can_revoke_sessions(current_user, user))
    services.revoke_sessions(db.session, user, actor=current_user, now=clock.now())
    flash(_("已使 %(name)s 在所有设备上退出登录。", name=user.username), "success")
    return redirect(url_for(".users"))
