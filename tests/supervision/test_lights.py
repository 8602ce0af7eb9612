"""The light rules, one table row per rule, each with the words a supervisor reads."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.supervision.lights import (
    Colour,
    EscalationFact,
    FlagFact,
    LeadReport,
    LightRules,
    Missing,
    TaskFacts,
    describe_rules,
    light,
    time_share,
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


# ---- rules as data: presets after the published rules, bands, milestones ------------------------

from tracker.core.errors import Invalid  # noqa: E402
from tracker.supervision.light_rules import find_preset, parse_rules  # noqa: E402
from tracker.supervision.lights import MilestoneFact, ReturnedFact, expected_percent  # noqa: E402


@pytest.mark.parametrize("preset, percent, colour", [
    ("yinchuan", 66, Colour.GREEN),      # 9 points behind 序时进度 (75%)
    ("yinchuan", 64, Colour.YELLOW),     # 11 points: 10–30 is yellow
    ("yinchuan", 45, Colour.YELLOW),     # exactly 30 points: still yellow
    ("yinchuan", 44, Colour.RED),        # 31 points: beyond 30 is red
    ("sanya", 74, Colour.YELLOW),        # any gap up to half of 序时进度 is yellow
    ("sanya", 38, Colour.YELLOW),        # 37 of 75 behind = 49%
    ("sanya", 36, Colour.RED),           # 39 of 75 behind = 52%: beyond 50% is red
    ("default", 50, Colour.YELLOW), ("default", 10, Colour.YELLOW),   # the default has no red band
])
def test_a_preset_applied_gives_the_published_thresholds(preset, percent, colour):
    assert light(facts(leads=(lead(percent=percent),)), find_preset(preset).rules, today=TODAY).colour is colour


def test_the_published_presets_hold_their_numbers():
    yinchuan, sanya = find_preset("yinchuan").rules, find_preset("sanya").rules
    assert (yinchuan.behind_measure, yinchuan.behind_by_points, yinchuan.red_behind_by_points) == ("points", 10, 30)
    assert (sanya.behind_measure, sanya.behind_by_points, sanya.red_behind_by_points,
            sanya.missing_quarters_for_red) == ("share", 0, 50, 2)
    assert find_preset("default").rules == LightRules()


def test_a_red_band_names_its_threshold_and_a_share_its_ratio():
    red = light(facts(leads=(lead(percent=44),)), find_preset("yinchuan").rules, today=TODAY)
    assert red.texts(lambda s: s) == ["2024Q3 完成进度 44% 落后于时间进度 75%，相差 31 个百分点（红灯线：超过 30 个百分点）"]
    share = light(facts(leads=(lead(percent=36),)), find_preset("sanya").rules, today=TODAY)
    assert share.texts(lambda s: s) == ["2024Q3 完成进度 36% 落后于时间进度 75% 达 52%（红灯线：超过 50%）"]


def test_the_sanming_ladder_turns_an_ignored_escalation_red_and_an_open_one_yellow():
    rules = find_preset("sanming").rules
    waiting = facts(leads=(lead(),), escalations=(EscalationFact("进度滞后", date(2024, 11, 30), False),))
    ignored = facts(leads=(lead(),), escalations=(EscalationFact("进度滞后", date(2024, 11, 15), False),))
    assert light(waiting, rules, today=TODAY).colour is Colour.YELLOW
    assert light(ignored, rules, today=TODAY).colour is Colour.RED


def test_a_return_can_count_as_a_warning_before_the_due_date():
    given = facts(leads=(lead(),), returned=(ReturnedFact("市商务局", "2024Q4"),))
    assert light(given, LightRules(), today=TODAY).colour is Colour.GREEN
    lit = light(given, LightRules(return_is_warning=True), today=TODAY)
    assert lit.colour is Colour.YELLOW and lit.texts(lambda s: s) == ["2024Q4 市商务局 报告被退回，尚未重新报送"]


@pytest.mark.parametrize("values, field", [
    ({"behind_by_points": 30, "red_behind_by_points": 10}, "red_behind_by_points"),
    ({"behind_measure": "share", "red_behind_by_points": 150}, "red_behind_by_points"),
    ({"missing_quarters_for_red": 0}, "missing_quarters_for_red"),
    ({"overdue_grace_days": "3"}, "overdue_grace_days"),
    ({"escalation_colour": "blue"}, "escalation_colour"),
    ({"shade": 1}, "shade"),
])
def test_bad_rules_are_refused_with_the_field_named(values, field):
    with pytest.raises(Invalid) as refused:
        parse_rules(values)
    assert field in refused.value.fields


def test_milestones_set_the_expected_progress_instead_of_the_straight_line():
    plain = facts(leads=(lead(percent=60),))
    staged = facts(leads=(lead(percent=60),), milestones=(MilestoneFact(date(2024, 6, 30), 80, "完成立法调研"),))
    assert expected_percent(plain, Q3_END) == 75
    assert expected_percent(staged, date(2024, 6, 30)) == 80
    assert 80 < expected_percent(staged, Q3_END) < 85      # on towards 100% at the plan's end
    assert light(plain, LightRules(), today=TODAY).colour is Colour.GREEN       # 15 points behind the line
    lit = light(staged, LightRules(), today=TODAY)
    assert lit.colour is Colour.YELLOW                                         # 21+ points behind the milestones
    assert "落后于序时进度（按节点）" in lit.texts(lambda s: s)[0]


def test_a_near_milestone_not_reached_warns_when_the_office_asks():
    given = facts(leads=(lead(percent=70),), milestones=(MilestoneFact(date(2024, 12, 1), 90, "出台实施细则"),))
    assert light(given, LightRules(behind_by_points=50), today=TODAY).colour is Colour.GREEN
    lit = light(given, LightRules(behind_by_points=50, deadline_warning_days=15), today=TODAY)
    assert lit.colour is Colour.YELLOW
    assert lit.texts(lambda s: s) == ["节点 2024-12-01（出台实施细则）还剩 11 天，应达 90%，当前完成进度 70%（节点前 15 天预警）"]


def test_a_light_stored_before_reasons_became_messages_still_reads_and_round_trips():
    """A task_lights row keeps reasons as [code, template, params, periods, words]; old rows must still decode."""
    from tracker.supervision.light_record import dump_light, load_light

    stored = {"colour": "yellow", "days_overdue": 12, "reasons": [
        ["report_overdue", "%(period)s %(unit)s 报告未报送，已逾期 %(days)s 天",
         {"period": "2024Q3", "unit": "市林业局", "days": 12}, ["2024Q3"], []]]}
    lit = load_light(stored)
    assert lit.texts(english) == ["2024Q3 report from 市林业局 missing, 12 days overdue"]
    assert lit.missing_period == "2024Q3"
    assert dump_light(lit) == stored
