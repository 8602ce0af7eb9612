"""The rules of an indicator: figures as the plan writes them, the path to the target, the light.

Pure: no Flask, no session, no clock. Every indicator of the plan is "higher is better".
- Both kinds follow a straight path from the 2020 baseline to the 2025 target: a cumulative
  figure (累计值) grows to it, and a year's own figure (当年值) is expected to climb to the
  target year's level. (Asking an annual figure to meet the 2025 level from 2021 on would
  light every annual indicator "behind" for four years, which tells leadership nothing.)
- A range target ("3-4", "5-8") is kept as a range; the path leads to its low end.
- Without a baseline ("-") there is no path: only the target, judged in the target year.
"""
from __future__ import annotations

import enum
import math
import re
import unicodedata
from dataclasses import dataclass

from tracker.core.errors import Invalid
from tracker.core.figures import is_none_written, read_range
from tracker.core.i18n import N_
from tracker.core.messages import Message

LARGEST = 1e12


class IndicatorColour(enum.StrEnum):
    ON_PATH = "on_path"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {
            IndicatorColour.ON_PATH: N_("进度正常"),
            IndicatorColour.BEHIND: N_("进度落后"),
            IndicatorColour.ACHIEVED: N_("已达目标"),
            IndicatorColour.NO_DATA: N_("暂无判断"),
        }[self]


@dataclass(frozen=True)
class IndicatorLight:
    colour: IndicatorColour
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class Spec:
    """What the rules need to know of an indicator."""

    baseline: float | None
    target_low: float | None
    target_high: float | None
    annual: bool
    percent: bool = False
    baseline_year: int = 2020
    target_year: int = 2025
    measure: str = ""

    @property
    def is_range(self) -> bool:
        return self.target_low is not None and self.target_high is not None and self.target_high != self.target_low

    @property
    def target_text(self) -> str:
        if self.target_low is None:
            return "-"
        if self.is_range:
            return f"{format_number(self.target_low)}-{format_number(self.target_high)}"
        return format_number(self.target_low)


def parse_figure(text: str | None) -> tuple[float | None, float | None]:
    """A figure as the plan writes it (core/figures.py): "13" → (13, 13), "3-4" → (3, 4), "-" → (None, None).
    Raises ValueError for text that is no figure."""
    if is_none_written(text):
        return None, None
    found = read_range(text)
    if found is None:
        raise ValueError(f"not a figure: {text!r}")
    return found


def format_number(value: float | None) -> str:
    """4.62 → "4.62", 13.0 → "13", None → "-"."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def with_measure(value: float | None, measure: str) -> str:
    return "-" if value is None else f"{format_number(value)}{measure}"


def expected(spec: Spec, year: int) -> float | None:
    """The value the path expects for a year (rounded to 2 places, as shown); None where there is none."""
    if spec.target_low is None:
        return None
    if year >= spec.target_year:
        return spec.target_low
    if spec.baseline is None or year <= spec.baseline_year:
        return spec.baseline if year == spec.baseline_year else None
    share = (year - spec.baseline_year) / (spec.target_year - spec.baseline_year)
    return round(spec.baseline + (spec.target_low - spec.baseline) * share, 2)


def path(spec: Spec) -> list[tuple[int, float | None]]:
    """(year, expected value) from the baseline year to the target year."""
    return [(year, expected(spec, year)) for year in range(spec.baseline_year, spec.target_year + 1)]


def judge(spec: Spec, *, year: int | None, value: float | None, current_year: int,
          queried: bool = False) -> IndicatorLight:
    """The light for the latest value (year, value) of an indicator, with its reasons in words."""
    colour, reasons = _colour(spec, year, value)
    notes = list(reasons)
    if spec.is_range:
        notes.append(Message("range_low", N_("目标为区间 %(target)s，路径和判断按下限 %(low)s"),
                            {"target": spec.target_text, "low": with_measure(spec.target_low, spec.measure)}))
    last_due = min(current_year - 1, spec.target_year)
    if year is not None and year < last_due:
        notes.append(Message("stale", N_("%(due)s年数值尚未填报（最新为%(year)s年）"), {"due": last_due, "year": year}))
    if queried:
        notes.append(Message("queried", N_("%(year)s年数值被督查室质疑，待责任单位重新填报"), {"year": year}))
    return IndicatorLight(colour, tuple(notes))


def _colour(spec: Spec, year: int | None, value: float | None) -> tuple[IndicatorColour, list[Message]]:
    if year is None or value is None:
        return IndicatorColour.NO_DATA, [Message("no_values", N_("尚未填报年度数值"))]
    if spec.target_low is None:
        return IndicatorColour.NO_DATA, [Message("no_target", N_("规划未给出目标值"))]
    shown = {"year": year, "value": with_measure(value, spec.measure),
             "target": f"{spec.target_text}{spec.measure}", "target_year": spec.target_year}
    if value >= spec.target_low:
        return IndicatorColour.ACHIEVED, [Message("achieved", N_("%(year)s年 %(value)s，已达到%(target_year)s年目标 %(target)s"),
                                        shown)]
    if year >= spec.target_year:
        return IndicatorColour.BEHIND, [Message("below_target", N_("%(year)s年 %(value)s，未达到目标 %(target)s"), shown)]
    if spec.baseline is None:
        return IndicatorColour.NO_DATA, [
            Message("no_baseline", N_("无基期值，不设年度路径，%(target_year)s年对照目标 %(target)s 判断"), shown),
            Message("latest", N_("最新为%(year)s年 %(value)s"), shown),
        ]
    step = {**shown, "expected": with_measure(expected(spec, year), spec.measure)}
    if value >= expected(spec, year):
        return IndicatorColour.ON_PATH, [Message("on_path", N_("%(year)s年 %(value)s，不低于路径值 %(expected)s"), step)]
    return IndicatorColour.BEHIND, [Message("below_path", N_("%(year)s年 %(value)s，低于路径值 %(expected)s"), step)]


def parse_value(text: str | None, *, percent: bool) -> float:
    """A typed figure: "12.5", "1,200", "２３", "23%" for a percentage. Raises Invalid(fields={"value": …})."""
    raw = unicodedata.normalize("NFKC", text or "").strip().replace(",", "").replace(" ", "")
    if not raw:
        raise Invalid(N_("请填写数值。"), fields={"value": N_("请填写数值。")})
    if percent and raw.endswith("%"):
        raw = raw[:-1]
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw):
        message = N_("请输入 0 到 100 之间的百分数，例如 23.5。") if percent else N_("请输入数字，例如 12.5。")
        raise Invalid(message, fields={"value": message})
    if value < 0:
        raise Invalid(N_("数值不能为负数。"), fields={"value": N_("数值不能为负数。")})
    if percent and value > 100:
        raise Invalid(N_("百分比须在 0 到 100 之间。"), fields={"value": N_("百分比须在 0 到 100 之间。")})
    if value >= LARGEST:
        raise Invalid(N_("数值过大，请核对。"), fields={"value": N_("数值过大，请核对。")})
    return value


def check_year(year: int | None, *, first: int, last: int, current_year: int) -> int:
    """A year of the plan that has begun. Raises Invalid(fields={"year": …})."""
    if year is None or not first <= year <= last:
        raise Invalid(N_("请选择 %(first)s 到 %(last)s 之间的年份。"), fields={"year": N_("年份不在规划期内。")},
                      first=first, last=last)
    if year > current_year:
        raise Invalid(N_("%(year)s年尚未开始，不能填报。"), fields={"year": N_("该年份尚未开始。")}, year=year)
    return year
