"""The indicator rules: figures as written, the path to the target, the light and its reasons."""
from __future__ import annotations

import pytest

from tracker.core.errors import Invalid
from tracker.indicators.rules import (
    IndicatorColour,
    Spec,
    check_year,
    expected,
    format_number,
    judge,
    parse_figure,
    parse_value,
)

# The plan's own indicators (主要指标), as the rules see them.
HIGH_VALUE_PATENTS = Spec(baseline=4.62, target_low=13, target_high=13, annual=False, measure="件")       # 1
OVERSEAS_PATENTS = Spec(baseline=94, target_low=200, target_high=200, annual=True, measure="件")          # 2 *
MEDIATION_RATE = Spec(baseline=23, target_low=30, target_high=30, annual=True, percent=True, measure="%")  # 7 *
PATENT_INTENSIVE = Spec(baseline=None, target_low=12, target_high=12, annual=True, percent=True, measure="%")  # 11 *
STRONG_CITIES = Spec(baseline=None, target_low=3, target_high=4, annual=False, measure="个")              # 13
COPYRIGHT_PARKS = Spec(baseline=3, target_low=5, target_high=8, annual=False, measure="个")               # 14


@pytest.mark.parametrize("text, figure", [
    ("13", (13.0, 13.0)),
    ("4.62", (4.62, 4.62)),
    ("3-4", (3.0, 4.0)),
    ("5-8", (5.0, 8.0)),
    ("5－8", (5.0, 8.0)),
    ("-", (None, None)),
    ("", (None, None)),
])
def test_figures_are_read_as_the_plan_writes_them_and_ranges_stay_ranges(text, figure):
    assert parse_figure(text) == figure


@pytest.mark.parametrize("spec, text", [
    (HIGH_VALUE_PATENTS, "13"), (STRONG_CITIES, "3-4"), (COPYRIGHT_PARKS, "5-8"), (MEDIATION_RATE, "30"),
])
def test_a_range_target_is_shown_as_a_range(spec, text):
    assert spec.target_text == text and spec.is_range == ("-" in text)


@pytest.mark.parametrize("value, shown", [(4.62, "4.62"), (13.0, "13"), (1005000.0, "1005000"), (9.648, "9.648"),
                                          (None, "-")])
def test_numbers_are_shown_without_trailing_zeros(value, shown):
    assert format_number(value) == shown


@pytest.mark.parametrize("spec, year, value", [
    # cumulative (累计值): a straight line from the 2020 baseline to the 2025 target
    (HIGH_VALUE_PATENTS, 2020, 4.62),
    (HIGH_VALUE_PATENTS, 2021, 6.3),
    (HIGH_VALUE_PATENTS, 2022, 7.97),
    (HIGH_VALUE_PATENTS, 2023, 9.65),
    (HIGH_VALUE_PATENTS, 2024, 11.32),
    (HIGH_VALUE_PATENTS, 2025, 13),
    # a year's own value (当年值): the target itself, every year
    (OVERSEAS_PATENTS, 2021, 115.2),   # a year's own figure climbs the same straight path
    (OVERSEAS_PATENTS, 2023, 157.6),
    (OVERSEAS_PATENTS, 2025, 200),
    (MEDIATION_RATE, 2022, 25.8),
    # a range: the path leads to the low end
    (COPYRIGHT_PARKS, 2021, 3.4),
    (COPYRIGHT_PARKS, 2023, 4.2),
    (COPYRIGHT_PARKS, 2025, 5),
    # no baseline: no path, only the target
    (STRONG_CITIES, 2020, None),
    (STRONG_CITIES, 2023, None),
    (STRONG_CITIES, 2025, 3),
    (PATENT_INTENSIVE, 2023, None),
    (PATENT_INTENSIVE, 2025, 12),
])
def test_the_path_to_the_target(spec, year, value):
    assert expected(spec, year) == value


def _reasons(light) -> list[str]:
    return [reason.text() for reason in light.reasons]


@pytest.mark.parametrize("spec, year, value, colour, reasons", [
    (HIGH_VALUE_PATENTS, 2023, 8.1, IndicatorColour.BEHIND, ["2023年 8.1件，低于路径值 9.65件"]),
    (HIGH_VALUE_PATENTS, 2023, 9.65, IndicatorColour.ON_PATH, ["2023年 9.65件，不低于路径值 9.65件"]),
    (HIGH_VALUE_PATENTS, 2023, 9.649, IndicatorColour.BEHIND, ["2023年 9.649件，低于路径值 9.65件"]),
    (HIGH_VALUE_PATENTS, 2023, 13.5, IndicatorColour.ACHIEVED, ["2023年 13.5件，已达到2025年目标 13件"]),
    (HIGH_VALUE_PATENTS, 2025, 12, IndicatorColour.BEHIND, ["2025年 12件，未达到目标 13件"]),
    (HIGH_VALUE_PATENTS, 2025, 13, IndicatorColour.ACHIEVED, ["2025年 13件，已达到2025年目标 13件"]),
    (OVERSEAS_PATENTS, 2023, 150, IndicatorColour.BEHIND, ["2023年 150件，低于路径值 157.6件"]),
    (OVERSEAS_PATENTS, 2023, 160, IndicatorColour.ON_PATH, ["2023年 160件，不低于路径值 157.6件"]),
    (OVERSEAS_PATENTS, 2023, 210, IndicatorColour.ACHIEVED, ["2023年 210件，已达到2025年目标 200件"]),
    (MEDIATION_RATE, 2023, 25, IndicatorColour.BEHIND, ["2023年 25%，低于路径值 27.2%"]),
    (COPYRIGHT_PARKS, 2023, 4.5, IndicatorColour.ON_PATH,
     ["2023年 4.5个，不低于路径值 4.2个", "目标为区间 5-8，路径和判断按下限 5个"]),
    (COPYRIGHT_PARKS, 2023, 4, IndicatorColour.BEHIND,
     ["2023年 4个，低于路径值 4.2个", "目标为区间 5-8，路径和判断按下限 5个"]),
    (COPYRIGHT_PARKS, 2024, 6, IndicatorColour.ACHIEVED,
     ["2024年 6个，已达到2025年目标 5-8个", "目标为区间 5-8，路径和判断按下限 5个"]),
    (STRONG_CITIES, 2023, 2, IndicatorColour.NO_DATA,
     ["无基期值，不设年度路径，2025年对照目标 3-4个 判断", "最新为2023年 2个", "目标为区间 3-4，路径和判断按下限 3个"]),
    (STRONG_CITIES, 2025, 2, IndicatorColour.BEHIND, ["2025年 2个，未达到目标 3-4个", "目标为区间 3-4，路径和判断按下限 3个"]),
    (STRONG_CITIES, 2023, 3, IndicatorColour.ACHIEVED,
     ["2023年 3个，已达到2025年目标 3-4个", "目标为区间 3-4，路径和判断按下限 3个"]),
    (PATENT_INTENSIVE, 2023, 10.5, IndicatorColour.NO_DATA,
     ["无基期值，不设年度路径，2025年对照目标 12% 判断", "最新为2023年 10.5%"]),
    (HIGH_VALUE_PATENTS, None, None, IndicatorColour.NO_DATA, ["尚未填报年度数值"]),
])
def test_the_light_and_its_reasons(spec, year, value, colour, reasons):
    light = judge(spec, year=year, value=value, current_year=2024)
    assert light.colour is colour
    assert _reasons(light) == reasons


def test_a_light_says_when_the_last_year_has_not_been_entered():
    light = judge(HIGH_VALUE_PATENTS, year=2021, value=6.5, current_year=2024)
    assert light.colour is IndicatorColour.ON_PATH
    assert _reasons(light) == ["2021年 6.5件，不低于路径值 6.3件", "2023年数值尚未填报（最新为2021年）"]


def test_a_light_says_when_its_value_is_queried():
    light = judge(HIGH_VALUE_PATENTS, year=2023, value=10, current_year=2024, queried=True)
    assert _reasons(light)[-1] == "2023年数值被督查室质疑，待责任单位重新填报"


def test_the_colours_keep_the_values_other_domains_compare_with():
    assert [c.value for c in IndicatorColour] == ["on_path", "behind", "achieved", "no_data"]
    assert IndicatorColour.BEHIND == "behind"


@pytest.mark.parametrize("text, percent, value", [
    ("12.5", False, 12.5), (" 1,200 ", False, 1200), ("２３", True, 23), ("23%", True, 23), ("23％", True, 23),
    ("0", True, 0), ("100", True, 100), ("12.", False, 12),
])
def test_typed_values_are_read_as_numbers(text, percent, value):
    assert parse_value(text, percent=percent) == value


@pytest.mark.parametrize("text, percent, message", [
    ("", False, "请填写数值。"),
    ("   ", True, "请填写数值。"),
    ("abc", False, "请输入数字，例如 12.5。"),
    ("十二", False, "请输入数字，例如 12.5。"),
    ("12件", False, "请输入数字，例如 12.5。"),
    ("23%", False, "请输入数字，例如 12.5。"),
    ("nan", False, "请输入数字，例如 12.5。"),
    ("inf", False, "请输入数字，例如 12.5。"),
    ("百分之二十", True, "请输入 0 到 100 之间的百分数，例如 23.5。"),
    ("-3", False, "数值不能为负数。"),
    ("101", True, "百分比须在 0 到 100 之间。"),
    ("100.5%", True, "百分比须在 0 到 100 之间。"),
    ("9999999999999", False, "数值过大，请核对。"),
])
def test_bad_values_get_a_clear_message_beside_the_field(text, percent, message):
    with pytest.raises(Invalid) as refused:
        parse_value(text, percent=percent)
    assert refused.value.fields == {"value": message}


@pytest.mark.parametrize("year, message", [
    (2020, "年份不在规划期内。"), (2026, "年份不在规划期内。"), (None, "年份不在规划期内。"), (2025, "该年份尚未开始。"),
])
def test_only_begun_years_of_the_plan_take_values(year, message):
    with pytest.raises(Invalid) as refused:
        check_year(year, first=2021, last=2025, current_year=2024)
    assert refused.value.fields == {"year": message}


def test_the_current_year_takes_a_value():
    assert check_year(2024, first=2021, last=2025, current_year=2024) == 2024
