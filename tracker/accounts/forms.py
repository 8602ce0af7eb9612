"""The shape of account input."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from tracker.accounts.passwords import PasswordPolicy, params, problems


def meets_policy(username_field: str | None = None):
    """The configured password policy, checked as the form is validated (the service checks again)."""

    def check(form, field) -> None:
        policy = PasswordPolicy.from_config(current_app.config)
        name = getattr(form, username_field).data or "" if username_field else ""
        found = problems(policy, field.data or "", username=name)
        if found:
            raise ValidationError(gettext(found[0], **params(policy)))

    return check


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=200)])
    remember = BooleanField(_l("记住我"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请填写当前密码。"))])
    new = PasswordField(_l("新密码"), validators=[DataRequired(_l("请填写新密码。")), Length(max=200), meets_policy()])
    confirm = PasswordField(_l("确认新密码"), validators=[EqualTo("new", message=_l("两次输入的密码不一致。"))])


class UserForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名。")), Length(max=64)])
    display_name = StringField(_l("姓名"), validators=[Length(max=120)])
    email = StringField(_l("电子邮箱"), validators=[Optional(), Email(_l("电子邮箱格式不正确。")), Length(max=254)])
    role = SelectField(_l("角色"), validate_choice=True)
    unit = SelectField(_l("责任单位"), validate_choice=True)
    password = PasswordField(_l("初始密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=200),
                                                     meets_policy("username")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请填写新密码。")), Length(max=200),
                                                    meets_policy()])


class TwoFactorForm(FlaskForm):
    code = StringField(_l("验证码"), validators=[DataRequired(_l("请填写验证码。")), Length(max=20)])


class RoleForm(FlaskForm):
    role = SelectField(_l("角色"), validate_choice=True)


class UnlockForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名。")), Length(max=64)])
