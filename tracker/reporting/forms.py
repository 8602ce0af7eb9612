"""The shape of reporting input: one task's row of the quarterly report, status updates, periods."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.core.inputs import whole_number
from tracker.reporting.models import Status
from tracker.reporting.services import MAX_NOTE, MAX_TEXT, ReportInput

TOO_LONG = _l("不能超过 %(max)d 个字。")


def status_choices():
    return [("", _l("请选择")), *((s.value, _l(s.label)) for s in Status)]


def parse_status(value: str | None) -> Status | None:
    try:
        return Status(value) if value else None
    except ValueError:
        return None


class ReportRowForm(Form):
    """One task's fields on the quarterly report page; prefixed r<task_id>- there."""

    status = SelectField(_l("进展状态"), choices=status_choices, validate_choice=False)
    percent = StringField(_l("完成进度（%）"))
    progress = TextAreaField(_l("工作进展"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)])
    problems = TextAreaField(_l("存在问题"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)])
    next_steps = TextAreaField(_l("下一步计划"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)])
    version = HiddenField()
    digest = HiddenField()
    prefilled = HiddenField()
    evidence = MultipleFileField(_l("佐证材料"))

    def validate_status(self, field) -> None:
        if field.data and parse_status(field.data) is None:
            raise ValidationError(_l("请选择有效的进展状态。"))

    def validate_percent(self, field) -> None:
        if (field.data or "").strip() and self.percent_value() is None:
            raise ValidationError(_l("完成进度应为 0 到 100 之间的整数。"))

    def percent_value(self) -> int | None:
        return whole_number((self.percent.data or "").strip().rstrip("%").strip(), high=100)

    def expected_version(self) -> int:
        return whole_number((self.version.data or "").strip()) or 0

    def to_input(self, *, lead: bool) -> ReportInput:
        return ReportInput(status=parse_status(self.status.data), percent=self.percent_value() if lead else None,
                           progress=self.progress.data or "", problems=self.problems.data or "",
                           next_steps=self.next_steps.data or "")


class StatusUpdateForm(FlaskForm):
    status = SelectField(_l("进展状态"), choices=status_choices, validate_choice=False,
                         validators=[DataRequired(_l("请选择进展状态。"))])
    note = TextAreaField(_l("进展说明"), validators=[DataRequired(_l("请填写进展说明。")),
                                                  Length(max=MAX_NOTE, message=TOO_LONG)])

    def validate_status(self, field) -> None:
        if parse_status(field.data) is None:
            raise ValidationError(_l("请选择有效的进展状态。"))


class DueDateForm(FlaskForm):
    due_on = StringField(_l("截止日期"), validators=[DataRequired(_l("请填写日期，格式如 2024-10-12。"))])

    def validate_due_on(self, field) -> None:
        if self.due_value() is None:
            raise ValidationError(_l("请填写日期，格式如 2024-10-12。"))

    def due_value(self) -> date | None:
        try:
            return date.fromisoformat((self.due_on.data or "").strip())
        except ValueError:
            return None


class FirstOwedForm(FlaskForm):
    first_owed_period = StringField(_l("起报季度"), validators=[Optional(), Length(max=8)])
