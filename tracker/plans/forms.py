"""The shape of plan administration input: a unit's contacts, a group's roster, a plan file."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("，", "\n").replace(",", "\n").splitlines() if line.strip()]


class UnitForm(FlaskForm):
    emails = TextAreaField(_l("联系邮箱（每行一个）"), validators=[Length(max=2000)])
    aliases = TextAreaField(_l("别名（每行一个）"), validators=[Length(max=2000)])

    def validate_emails(self, field) -> None:
        for address in lines(field.data):
            try:
                validate_email(address, check_deliverability=False)
            except EmailNotValidError:
                raise ValidationError(_l("邮箱地址无效：%(address)s", address=address)) from None


class GroupForm(FlaskForm):
    members = SelectMultipleField(_l("成员单位"), coerce=int, validate_choice=True)
    office = SelectField(_l("代行办公室所在单位"), coerce=int, validate_choice=True)


class PlanUploadForm(FlaskForm):
    plan_file = FileField(_l("规划或分工方案（Word .docx、Excel .xlsx 或文本 .txt）"),
                          validators=[FileRequired(_l("请选择文件。"))])


class ImportConfirmForm(FlaskForm):
    """The preview's answers; each unknown name's choice is read from map-<n> beside it."""

    upload = HiddenField(validators=[InputRequired()])
    start_year = IntegerField(_l("规划起始年份"), validators=[
        InputRequired(_l("请填写规划起始年份。")), NumberRange(1990, 2100, _l("年份应在 1990 到 2100 之间。"))])
    end_year = IntegerField(_l("规划结束年份"), validators=[
        InputRequired(_l("请填写规划结束年份。")), NumberRange(1990, 2100, _l("年份应在 1990 到 2100 之间。"))])
    first_period = StringField(_l("首个报送季度"), validators=[
        InputRequired(), Regexp(r"^20\d\dQ[1-4]$", message=_l("季度的写法如 2026Q1。"))])


class UndoImportForm(FlaskForm):
    """Only the CSRF token."""


class CloseTaskForm(FlaskForm):
    """办结: the office's note and the day the task was closed."""

    note = TextAreaField(_l("办结说明"), validators=[Length(max=2000)])
    closed_on = DateField(_l("办结日期"), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (archive a plan, reopen a task)."""


class TaskUnitsForm(FlaskForm):
    """A task's 责任单位: its lead units (one or more, in order) and co-units (choices set by the view)."""

    lead = SelectMultipleField(_l("牵头单位"), coerce=int, validate_choice=True)
    co = SelectMultipleField(_l("配合单位"), coerce=int, validate_choice=True)
