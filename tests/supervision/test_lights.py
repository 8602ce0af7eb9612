"""The light rules, one table row per rule, each with the words a supervisor reads."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.supervision.lights import (
    Colour, EscalationFact, FlagFact, LeadReport, LightRules, Missing, TaskFacts, describe_rules, light, time_share,
)

TODAY = date(2024, 11, 20)
START, END = date(2021, 1, 1), date(2025, 12, 31)
Q3_END = date(2024, 9, 30)          # 75% of the plan's days have passed by then


def lead(status="on_track", percent=80, period="2024Q3", unit="市林业局", ends_on=Q3_END):
    return LeadReport(unit=unit, period=period, period_ends_on=ends_on, status=status, percent=percent)


def facts(**kw):
    return TaskFacts(plan_starts_on=START, plan_ends_on=END, **kw)


def english(template: str) -> str:
    """A stand-in gettext that proves the template is translated before the params go in."""
    return {"%(period)s %(unit)s 报告未报送，已逾期 %(days)s 天": "%(period)s report from %(unit)s missing, "
            "%(days)s days overdue"}.get(template, template)


@pytest.mark.parametrize("case, given, colour, reasons", [
    ("lead reported on time, on schedule", facts(leads=(lead(),)), Colour.GREEN,
     ["按计划推进：牵头单位最新报告为 2024Q3"]),
    ("nothing reported and nothing due yet", facts(), Colour.NONE, ["尚无已报送的报告"]),
    ("current report overdue", facts(leads=(lead(),), missing=(Missing("市林业局", ("2024Q3",), 12),)), Colour.YELLOW,
     ["2024Q3 市林业局 报告未报送，已逾期 12 天"]),
    ("returned and not resubmitted", facts(leads=(lead(),), missing=(Missing("市商务局", ("2024Q3",), 5, True),)),
     Colour.YELLOW, ["2024Q3 市商务局 报告被退回后未重新报送，已逾期 5 天"]),
    ("progress trails time by more than 20 points", facts(leads=(lead(percent=50),)), Colour.YELLOW,
     ["2024Q3 完成进度 50% 落后于时间进度 75%，相差 25 个百分点"]),
    ("progress trails time by exactly 20 points: still green", facts(leads=(lead(percent=55),)), Colour.GREEN,
     ["按计划推进：牵头单位最新报告为 2024Q3"]),
    ("lead reports lagging", facts(leads=(lead(status="lagging"),)), Colour.RED,
     ["牵头单位市林业局 2024Q3 报告进展为“滞后”"]),
    ("missing two quarters running", facts(leads=(lead(),), missing=(Missing("市林业局", ("2024Q2", "2024Q3"), 39),)),
     Colour.RED, ["市林业局 连续 2 个季度未报送（2024Q2、2024Q3），已逾期 39 天"]),
    ("flagged by the office", facts(leads=(lead(),), flags=(FlagFact("配套资金未落实"),)), Colour.RED,
     ["督查室标记红灯：配套资金未落实"]),
    ("escalated, awaiting the answer", facts(escalations=(EscalationFact("进度滞后", date(2024, 11, 30), False),)),
     Colour.RED, ["督办中，须于 2024-11-30 前反馈：进度滞后"]),
    ("escalated, answer overdue", facts(escalations=(EscalationFact("进度滞后", date(2024, 11, 15), False),)),
     Colour.RED, ["督办反馈已逾期 5 天（期限 2024-11-15）：进度滞后"]),
    ("escalated and answered: red until the office closes it",
     facts(leads=(lead(),), escalations=(EscalationFact("进度滞后", date(2024, 11, 15), True),)),
     Colour.RED, ["督办已反馈，待督查室办结：进度滞后"]),
    ("lead reports done", facts(leads=(lead(status="done", percent=100),)), Colour.DONE,
     ["牵头单位市林业局 2024Q3 报告任务已完成"]),
    ("done wins over a co-unit's missing reports",
     facts(leads=(lead(status="done", percent=100),), missing=(Missing("市商务局", ("2024Q2", "2024Q3"), 39),)),
     Colour.DONE, ["牵头单位市林业局 2024Q3 报告任务已完成"]),
    ("the office's escalation wins over done",
     facts(leads=(lead(status="done"),), escalations=(EscalationFact("核实完成情况", date(2024, 12, 1), False),)),
     Colour.RED, ["督办中，须于 2024-12-01 前反馈：核实完成情况"]),
    ("closed (办结)", facts(closed_on=date(2024, 6, 30), leads=(lead(status="lagging"),)), Colour.DONE,
     ["任务已于 2024-06-30 办结"]),
    ("red lists the lesser warnings after its own",
     facts(leads=(lead(status="lagging", percent=40),), missing=(Missing("市商务局", ("2024Q3",), 39),)), Colour.RED,
     ["牵头单位市林业局 2024Q3 报告进展为“滞后”", "2024Q3 市商务局 报告未报送，已逾期 39 天",
      "2024Q3 完成进度 40% 落后于时间进度 75%，相差 35 个百分点"]),
])
def test_each_rule_lights_its_colour_and_says_why(case, given, colour, reasons):
    lit = light(given, LightRules(), today=TODAY)
    assert lit.colour is colour, case
    assert lit.texts(lambda s: s) == reasons


def test_a_reason_is_translated_before_its_params_are_filled_in():
    lit = light(facts(leads=(lead(),), missing=(Missing("市林业局", ("2024Q2",), 12),)), LightRules(), today=TODAY)
    assert lit.texts(english) == ["2024Q2 report from 市林业局 missing, 12 days overdue"]


@pytest.mark.parametrize("rules, given, colour", [
    (LightRules(overdue_grace_days=15), facts(leads=(lead(),), missing=(Missing("市林业局", ("2024Q3",), 12),)),
     Colour.GREEN),
    (LightRules(overdue_grace_days=15), facts(leads=(lead(),), missing=(Missing("市林业局", ("2024Q3",), 16),)),
     Colour.YELLOW),
    (LightRules(behind_by_points=30), facts(leads=(lead(percent=50),)), Colour.GREEN),
    (LightRules(missing_quarters_for_red=3),
     facts(leads=(lead(),), missing=(Missing("市林业局", ("2024Q2", "2024Q3"), 39),)), Colour.YELLOW),
    (LightRules(missing_quarters_for_red=1), facts(leads=(lead(),), missing=(Missing("市林业局", ("2024Q3",), 1),)),
     Colour.RED),
    (LightRules(red_when_reported_lagging=False), facts(leads=(lead(status="lagging"),)), Colour.GREEN),
])
def test_the_thresholds_are_configurable(rules, given, colour):
    assert light(given, rules, today=TODAY).colour is colour


def test_the_lagging_list_sorts_on_the_longest_overdue_report():
    lit = light(facts(missing=(Missing("甲", ("2024Q3",), 12), Missing("乙", ("2024Q2", "2024Q3"), 39))),
                LightRules(), today=TODAY)
    assert lit.days_overdue == 39


def test_reasons_name_the_quarters_they_concern():
    lit = light(facts(missing=(Missing("甲", ("2024Q2", "2024Q3"), 39),)), LightRules(), today=TODAY)
    assert lit.reasons[0].periods == ("2024Q2", "2024Q3")


@pytest.mark.parametrize("on, share", [
    (date(2020, 12, 31), 0.0), (date(2021, 1, 1), 1 / 1826), (date(2025, 12, 31), 1.0), (date(2026, 6, 1), 1.0),
])
def test_time_share_counts_the_plans_days(on, share):
    assert time_share(START, END, on) == pytest.approx(share)


def test_bad_thresholds_are_refused():
    with pytest.raises(ValueError):
        LightRules(missing_quarters_for_red=0)
    with pytest.raises(ValueError):
        LightRules(behind_by_points=-1)


def test_the_written_rules_carry_the_configured_thresholds():
    words = [rule.text(lambda s: s) for rule in describe_rules(LightRules(behind_by_points=15, overdue_grace_days=3))]
    assert any("超过 15 个百分点" in w for w in words)
    assert any("截止日 3 天" in w for w in words)
    assert [rule.colour for rule in describe_rules(LightRules())][:2] == [Colour.RED, Colour.DONE]
