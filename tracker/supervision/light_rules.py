"""The light thresholds as data: what an office may set, the published presets, the rules in words.

Pure: no Flask, no database. The office stores its rules (supervision/rulebook.py); `lights.py`
applies them; the help page renders `describe_rules(rules)`, so the rules written down and
the rules applied are the same numbers.

Gap to 序时进度 (expected progress by date, from milestones or the plan's straight line):
  - "points": expected − reported, in percentage points;
  - "share":  (expected − reported) / expected, in percent of the expected progress.
Yellow when the gap is more than `behind_by_points`, red when more than `red_behind_by_points`.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.core.messages import Message

POINTS, SHARE = "points", "share"
MEASURES = (POINTS, SHARE)
RED, YELLOW, IGNORE = "red", "yellow", "none"


class Colour(enum.Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    DONE = "done"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            Colour.GREEN: N_("绿灯"),
            Colour.YELLOW: N_("黄灯"),
            Colour.RED: N_("红灯"),
            Colour.DONE: N_("已完成"),
            Colour.NONE: N_("暂无数据"),
        }[self]

    @property
    def rank(self) -> int:
        """Reddest first: the order of the lagging list and the dashboard."""
        return {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2, Colour.NONE: 3, Colour.DONE: 4}[self]


@dataclass(frozen=True)
class LightRules:
    """The thresholds a supervision office may set; the defaults are the product's own rules."""

    overdue_grace_days: int = 0          # a report is overdue once this many days past its due date
    behind_measure: str = POINTS         # how the gap to 序时进度 is measured: points or share
    behind_by_points: int = 20           # yellow when the gap is more than this
    red_behind_by_points: int | None = None   # red when the gap is more than this (None: never red)
    missing_quarters_for_red: int = 2    # red when a unit's report is missing this many quarters running
    red_when_reported_lagging: bool = True
    deadline_warning_days: int | None = None  # yellow this many days before a milestone not yet reached
    return_is_warning: bool = False      # a returned report not yet resubmitted is yellow at once
    flag_colour: str = RED               # the office's own mark
    escalation_colour: str = RED         # an open 督办 within its response deadline (or answered)
    ignored_escalation_colour: str = RED  # an open 督办 past its deadline without 反馈

    def __post_init__(self) -> None:
        problems = check(asdict(self))
        if problems:
            raise ValueError("; ".join(f"{name}: {message}" for name, message in problems.items()))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


NAMES = tuple(f.name for f in fields(LightRules))
NUMBERS = ("overdue_grace_days", "behind_by_points", "red_behind_by_points", "missing_quarters_for_red",
           "deadline_warning_days")
OPTIONAL = ("red_behind_by_points", "deadline_warning_days")
SWITCHES = ("red_when_reported_lagging", "return_is_warning")
CHOICES = {"behind_measure": MEASURES, "flag_colour": (RED, YELLOW),
           "escalation_colour": (RED, YELLOW, IGNORE), "ignored_escalation_colour": (RED, YELLOW)}
LIMIT = 1000


def check(values: Mapping[str, Any]) -> dict[str, str]:
    """field → msgid of what is wrong; empty when the values make valid rules."""
    problems: dict[str, str] = {}
    for name in NUMBERS:
        value = values.get(name)
        if value is None and name in OPTIONAL:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems[name] = N_("应为整数。")
        elif not 0 <= value <= LIMIT:
            problems[name] = N_("应在 0 到 1000 之间。")
    if values.get("missing_quarters_for_red") == 0:
        problems["missing_quarters_for_red"] = N_("至少为 1 个季度。")
    for name in SWITCHES:
        if not isinstance(values.get(name), bool):
            problems[name] = N_("应为 true 或 false。")
    for name, allowed in CHOICES.items():
        if values.get(name) not in allowed:
            problems[name] = N_("不是可选的值。")
    yellow, red = values.get("behind_by_points"), values.get("red_behind_by_points")
    if not problems and red is not None and red < yellow:
        problems["red_behind_by_points"] = N_("红灯线不能低于黄灯线。")
    if not problems and values.get("behind_measure") == SHARE and (red or 0) > 100:
        problems["red_behind_by_points"] = N_("按比例计算时不能超过 100。")
    return problems


def parse_rules(values: Mapping[str, Any]) -> LightRules:
    """Rules from a mapping (form, API body, stored JSON); missing names keep their defaults.

    Raises Invalid with a message per field for unknown names or bad values.
    """
    unknown = sorted(set(values) - set(NAMES))
    if unknown:
        raise Invalid(N_("亮灯规则有误。"), {name: N_("不接受此字段。") for name in unknown})
    merged = {**LightRules().as_dict(), **values}
    problems = check(merged)
    if problems:
        raise Invalid(N_("亮灯规则有误。"), problems)
    return LightRules(**merged)


# ---- presets named after published rules ------------------------------------------------------

@dataclass(frozen=True)
class Preset:
    key: str
    name: str            # msgid
    source: str          # msgid: what the published rule says
    rules: LightRules


PRESETS = (
    Preset("default", N_("默认规则"), N_("落后时间进度超过 20 个百分点亮黄灯；报告“滞后”、连续 2 个季度未报或督办中亮红灯。"),
           LightRules()),
    Preset("yinchuan", N_("银川"), N_("滞后序时进度 10 至 30 个百分点亮黄灯，超过 30 个百分点亮红灯。"),
           LightRules(behind_by_points=10, red_behind_by_points=30)),
    Preset("sanya", N_("三亚"), N_("滞后序时进度不到一半亮黄灯，滞后超过一半或连续两期未报送亮红灯。"),
           LightRules(behind_measure=SHARE, behind_by_points=0, red_behind_by_points=50, missing_quarters_for_red=2)),
    Preset("sanming", N_("三明"), N_("督办单按期未反馈即升级：督办中亮黄灯，逾期未反馈亮红灯。"),
           LightRules(escalation_colour=YELLOW, ignored_escalation_colour=RED)),
)


def find_preset(key: str) -> Preset | None:
    return next((p for p in PRESETS if p.key == key), None)


def preset_of(rules: LightRules) -> Preset | None:
    """The preset these rules are exactly, if any."""
    return next((p for p in PRESETS if p.rules == rules), None)


# ---- the rules in words (the help page) -------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RuleText(Message):
    """One rule in words: a message, and the colour it lights."""

    colour: Colour


def describe_rules(rules: LightRules) -> list[RuleText]:
    """The rules `light()` applies, in its order of precedence, with the numbers in force.

    Each rule's code is the code of the reason it lights (lights.py)."""
    red, yellow = Colour.RED, Colour.YELLOW
    office: dict[str, list[tuple[str, str]]] = {RED: [], YELLOW: []}
    if rules.flag_colour == RED and rules.escalation_colour == RED and rules.ignored_escalation_colour == RED:
        office[RED].append(("flagged", N_("督查室对任务标记了红灯，或任务处于督办中（督办办结前一直为红灯）。")))
    else:
        office[rules.flag_colour].append(("flagged", N_("督查室对任务标记了红灯。") if rules.flag_colour == RED
                                          else N_("督查室对任务标记了黄灯。")))
        if rules.escalation_colour != IGNORE:
            office[rules.escalation_colour].append(("escalated", N_("任务处于督办中，在反馈期限内或已反馈待办结。")))
        office[rules.ignored_escalation_colour].append(("escalation_overdue", N_("督办超过反馈期限仍未反馈。")))
    texts = [RuleText(code, template, colour=red) for code, template in office[RED]]
    texts.append(RuleText("closed", N_("任务已办结，或牵头单位最新一期已报送的报告为“已完成”。"), colour=Colour.DONE))
    if rules.red_when_reported_lagging:
        texts.append(RuleText("reported_lagging", N_("牵头单位最新一期已报送的报告进展为“滞后”。"), colour=red))
    texts.append(RuleText("missing_run", N_("某责任单位连续 %(count)s 个已到截止日的季度未报送报告。"),
                          {"count": rules.missing_quarters_for_red}, colour=red))
    if rules.red_behind_by_points is not None:
        texts.append(_behind(rules, red, rules.red_behind_by_points))
    texts += [RuleText(code, template, colour=yellow) for code, template in office[YELLOW]]
    texts.append(RuleText("report_overdue", N_("最近一个已到截止日的季度，有责任单位的报告超过截止日 %(days)s 天仍未报送（被退回未重报的同样计入）。"),
                          {"days": rules.overdue_grace_days}, colour=yellow))
    if rules.return_is_warning:
        texts.append(RuleText("returned_pending", N_("有责任单位的报告被退回、尚未重新报送（截止日前也预警）。"),
                              colour=yellow))
    texts.append(_behind(rules, yellow, rules.behind_by_points))
    if rules.deadline_warning_days is not None:
        texts.append(RuleText("milestone_near", N_("距下一个节点不足 %(days)s 天，完成进度仍低于该节点应达的进度。"),
                              {"days": rules.deadline_warning_days}, colour=yellow))
    texts += [RuleText("on_schedule", N_("以上情形均不存在，且牵头单位已报送过报告。"), colour=Colour.GREEN),
              RuleText("no_report_yet", N_("以上情形均不存在，且尚无已报送的报告。"), colour=Colour.NONE)]
    return texts


def _behind(rules: LightRules, colour: Colour, limit: int) -> RuleText:
    if rules.behind_measure == SHARE:
        return RuleText("behind_schedule", N_("牵头单位报告的完成进度比序时进度落后超过 %(limit)s%%（按序时进度的比例计算；有节点按节点，否则按规划期时间进度）。"),
                        {"limit": limit}, colour=colour)
    return RuleText("behind_schedule", N_("牵头单位报告的完成进度落后于序时进度超过 %(limit)s 个百分点（有节点按节点，否则按规划期时间进度，均按报告季度末计算）。"),
                    {"limit": limit}, colour=colour)
