"""The shape of indicator input: a year's value, a verdict, an owner unit."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from tracker.core.inputs import whole_number


class ValueForm(FlaskForm):
    # Checked by the rules (rules.check_year, rules.parse_value), which word the messages.
    year = SelectField(_l("年份"), coerce=lambda v: whole_number(str(v)), validate_choice=False)
    value = StringField(_l("数值"), validators=[Length(max=40, message=_l("数值过长。"))])
    note = TextAreaField(_l("数据来源"), validators=[Length(max=1000, message=_l("数据来源说明不能超过 1000 字。"))],
                         render_kw={"rows": 2, "placeholder": _l("例如：国家知识产权局统计年报、单位统计台账")})
    evidence = FileField(_l("佐证材料（可选：PDF、图片、Excel、Word）"))


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("意见"), validators=[Optional(), Length(max=1000, message=_l("意见不能超过 1000 字。"))],
                            render_kw={"rows": 2})


class OwnerForm(FlaskForm):
    unit = SelectField(_l("责任单位"), coerce=lambda v: whole_number(str(v)), validate_choice=False)
