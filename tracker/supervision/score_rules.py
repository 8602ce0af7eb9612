"""考核: unit scores from written point rules (细则), each point traced to the event that caused it.

Pure: no Flask, no database. scores.py gathers the events (a missing, late or empty report, a
return, a red light, a 督办 without 反馈 by its deadline); `score_units` adds the points.
The 2024 基层减负 rules forbid scoring photos (拍照留痕), 批示 counts, logins, meetings or articles:
they are not criteria here, and a rule set naming one is refused.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from tracker.core.errors import Invalid
from tracker.core.i18n import N_

KINDS = {
    "missing": N_("未报送"),
    "late": N_("迟报"),
    "empty": N_("报告内容空泛"),
    "returned": N_("报告被退回"),
    "red_light": N_("任务亮红灯"),
    "escalation_ignored": N_("督办逾期未反馈"),
}
FORBIDDEN = {
    "photos": N_("2024 年基层减负规定不允许以拍照留痕作为考核内容。"),
    "instructions": N_("2024 年基层减负规定不允许以领导批示数量作为考核内容。"),
    "logins": N_("2024 年基层减负规定不允许以登录、在线时长作为考核内容。"),
    "articles": N_("2024 年基层减负规定不允许以发表文章、信息数量作为考核内容。"),
    "meetings": N_("2024 年基层减负规定不允许以开会数量作为考核内容。"),
}


@dataclass(frozen=True)
class ScoreRules:
    """Base score and the points each event adds (negative: a deduction); `empty_below` characters
    of 工作进展 make a report empty."""

    base: float = 100
    missing: float = -2
    late: float = -1
    empty: float = -1
    returned: float = -0.5
    red_light: float = -2
    escalation_ignored: float = -3
    empty_below: int = 4

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


NAMES = tuple(f.name for f in fields(ScoreRules))


def parse_score_rules(values: Mapping[str, Any]) -> ScoreRules:
    """Rules from a mapping; missing names keep their defaults. Raises Invalid naming each field."""
    problems = {name: FORBIDDEN[name] for name in values if name in FORBIDDEN}
    problems.update({name: N_("不接受此字段。") for name in values if name not in NAMES and name not in FORBIDDEN})
    merged = {**ScoreRules().as_dict(), **{k: v for k, v in values.items() if k in NAMES}}
    for name in NAMES:
        value = merged[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems[name] = N_("应为数字。")
        elif name == "empty_below" and not (isinstance(value, int) and 0 <= value <= 2000):
            problems[name] = N_("应为 0 到 2000 之间的整数。")
        elif name != "empty_below" and not -1000 <= value <= 1000:
            problems[name] = N_("应在 -1000 到 1000 之间。")
    if problems:
        raise Invalid(N_("考核规则有误。"), problems)
    return ScoreRules(**merged)


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    source: str
    rules: ScoreRules


PRESETS = (
    Preset("default", N_("默认细则"), N_("基础分 100；每缺报一份 −2，迟报 −1，内容空泛 −1，退回 −0.5，红灯 −2，督办逾期未反馈 −3。"),
           ScoreRules()),
    Preset("common", N_("常见通报细则"), N_("基础分 100；缺报一份 −10，报告空泛 −5，迟报（逾期反馈）−1，退办 −2。"),
           ScoreRules(missing=-10, empty=-5, late=-1, returned=-2, red_light=0, escalation_ignored=-1)),
)


def find_score_preset(key: str) -> Preset | None:
    return next((p for p in PRESETS if p.key == key), None)


@dataclass(frozen=True)
class Event:
    """What happened, to whom, where: the source of a point."""

    kind: str                 # a KINDS key
    unit_id: int
    unit: str
    task: str                 # task number
    period: str               # quarter key, or the 督办's deadline
    ref: int | None = None    # the report's or escalation's id


@dataclass(frozen=True)
class Point:
    event: Event
    points: float


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    unit: str
    base: float
    points: tuple[Point, ...]
    rank: int = 0
    tied: bool = False

    @property
    def score(self) -> float:
        return round(self.base + sum(p.points for p in self.points), 2)


def score_units(units: Mapping[int, str], events: list[Event], rules: ScoreRules) -> list[UnitScore]:
    """Every unit's score, best first; equal scores share a rank (并列) and the next rank skips."""
    by_unit: dict[int, list[Point]] = {unit_id: [] for unit_id in units}
    for event in events:
        points = getattr(rules, event.kind)
        if points:
            by_unit.setdefault(event.unit_id, []).append(Point(event, points))
    scores = [UnitScore(unit_id, units.get(unit_id, ""), rules.base, tuple(points))
              for unit_id, points in by_unit.items()]
    scores.sort(key=lambda s: (-s.score, s.unit))
    values = [s.score for s in scores]
    return [UnitScore(s.unit_id, s.unit, s.base, s.points, 1 + sum(v > s.score for v in values),
                      values.count(s.score) > 1) for s in scores]
