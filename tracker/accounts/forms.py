"""The shape of account input."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=200)])
    remember = BooleanField(_l("记住我"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请填写当前密码。"))])
    new = PasswordField(_l("新密码"), validators=[DataRequired(_l("请填写新密码。")),
                                               Length(min=8, max=200, message=_l("密码至少 8 个字符。"))])
    confirm = PasswordField(_l("确认新密码"), validators=[EqualTo("new", message=_l("两次输入的密码不一致。"))])


class UserForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名。")), Length(max=64)])
    display_name = StringField(_l("姓名"), validators=[Length(max=120)])
    email = StringField(_l("电子邮箱"), validators=[Optional(), Email(_l("电子邮箱格式不正确。")), Length(max=254)])
    role = SelectField(_l("角色"), validate_choice=True)
    unit = SelectField(_l("责任单位"), validate_choice=True)
    password = PasswordField(_l("初始密码"), validators=[DataRequired(_l("请填写密码。")),
                                                     Length(min=8, max=200, message=_l("密码至少 8 个字符。"))])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请填写新密码。")),
                                                    Length(min=8, max=200, message=_l("密码至少 8 个字符。"))])
