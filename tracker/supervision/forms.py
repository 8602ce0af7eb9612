"""The shape of the office's settings forms: light rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from tracker.supervision.light_rules import IGNORE, POINTS, RED, SHARE, YELLOW, LightRules

WHOLE = _l("应为 0 到 1000 之间的整数。")
COLOURS = [(RED, _l("红灯")), (YELLOW, _l("黄灯"))]


class LightRulesForm(FlaskForm):
    behind_measure = SelectField(_l("落后序时进度的计算方式"),
                                 choices=[(POINTS, _l("相差百分点")), (SHARE, _l("落后比例（占序时进度的百分比）"))])
    behind_by_points = IntegerField(_l("黄灯线：落后超过"), validators=[InputRequired(WHOLE), NumberRange(0, 1000, WHOLE)])
    red_behind_by_points = IntegerField(_l("红灯线：落后超过（留空则不因进度亮红灯）"),
                                        validators=[Optional(), NumberRange(0, 1000, WHOLE)])
    missing_quarters_for_red = IntegerField(_l("连续未报几个季度亮红灯"),
                                            validators=[InputRequired(WHOLE), NumberRange(1, 1000, WHOLE)])
    overdue_grace_days = IntegerField(_l("报告逾期宽限天数"), validators=[InputRequired(WHOLE), NumberRange(0, 1000, WHOLE)])
    deadline_warning_days = IntegerField(_l("节点前几天预警（留空则不预警）"), validators=[Optional(), NumberRange(0, 1000, WHOLE)])
    red_when_reported_lagging = BooleanField(_l("报告“滞后”即亮红灯"))
    return_is_warning = BooleanField(_l("报告被退回即亮黄灯（不等截止日）"))
    flag_colour = SelectField(_l("督查室标记"), choices=COLOURS)
    escalation_colour = SelectField(_l("督办中（期限内或已反馈）"), choices=[*COLOURS, (IGNORE, _l("不亮灯"))])
    ignored_escalation_colour = SelectField(_l("督办逾期未反馈"), choices=COLOURS)

    def fill(self, rules: LightRules) -> None:
        for name, value in rules.as_dict().items():
            getattr(self, name).data = value

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in LightRules().as_dict()}
