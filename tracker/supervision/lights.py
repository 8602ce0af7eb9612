"""Traffic lights (亮灯): a task's colour and, in words, why it is lit.

Pure: no Flask, no database, no clock. queries.py gathers each task's facts in a few
aggregate queries; `light()` decides. The help page renders `describe_rules(rules)`, so
the rules written down and the rules applied come from the same thresholds.

Order of precedence (the first that applies wins; lesser warnings are listed after):
  1. the office flagged the task or has an open escalation (督办) on it → red;
  2. the task is closed (办结), or every lead unit's latest report says 已完成 → done;
  3. a lead unit reports 滞后, or a unit is missing N quarters running → red;
  4. a report of the latest due quarter is overdue, or progress trails time → yellow;
  5. the lead has reported → green; otherwise → no data yet.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping

from tracker.core.i18n import N_

# Report status values as stored (tracker.reporting.models.Status), kept as text here so
# this module needs no database import.
LAGGING = "lagging"
DONE = "done"


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
    """The thresholds a supervision office may set (config key SUPERVISION_LIGHT_RULES)."""

    overdue_grace_days: int = 0          # a report is overdue once this many days past its due date
    behind_by_points: int = 20           # yellow when percent trails the share of plan time by more
    missing_quarters_for_red: int = 2    # red when a unit's report is missing this many quarters running
    red_when_reported_lagging: bool = True

    def __post_init__(self) -> None:
        if self.overdue_grace_days < 0 or self.behind_by_points < 0:
            raise ValueError("overdue_grace_days and behind_by_points must be >= 0")
        if self.missing_quarters_for_red < 1:
            raise ValueError("missing_quarters_for_red must be >= 1")


@dataclass(frozen=True)
class Reason:
    code: str
    template: str                                    # Chinese msgid with %(name)s params
    params: Mapping[str, Any] = field(default_factory=dict)
    periods: tuple[str, ...] = ()                    # the quarters it concerns (for filters)

    def text(self, gettext: Callable[[str], str]) -> str:
        translated = gettext(self.template)
        return translated % dict(self.params) if self.params else translated


@dataclass(frozen=True)
class Light:
    colour: Colour
    reasons: tuple[Reason, ...] = ()
    days_overdue: int = 0                            # the longest-overdue missing report, in days

    def texts(self, gettext: Callable[[str], str]) -> list[str]:
        return [reason.text(gettext) for reason in self.reasons]

    @property
    def missing_period(self) -> str | None:
        """The latest quarter some unit's report is missing for (what a reminder would be about)."""
        keys = [key for r in self.reasons if r.code in MISSING_CODES for key in r.periods]
        return max(keys, default=None)


MISSING_CODES = ("report_overdue", "report_returned", "missing_run")


# ---- facts, gathered by queries.py -------------------------------------------------------

@dataclass(frozen=True)
class LeadReport:
    """A lead unit's latest submitted (or accepted) report."""

    unit: str
    period: str
    period_ends_on: date
    status: str | None
    percent: int | None


@dataclass(frozen=True)
class Missing:
    """A unit with no submitted report for the latest due quarter(s), counted back without a gap."""

    unit: str
    periods: tuple[str, ...]      # oldest first; the last is the latest quarter already due
    days_overdue: int             # since the last one's due date
    returned: bool = False        # the last one was returned (退回) and not yet resubmitted


@dataclass(frozen=True)
class FlagFact:
    reason: str


@dataclass(frozen=True)
class EscalationFact:
    reason: str
    respond_by: date
    answered: bool


@dataclass(frozen=True)
class TaskFacts:
    plan_starts_on: date
    plan_ends_on: date
    closed_on: date | None = None
    leads: tuple[LeadReport, ...] = ()
    lead_units: int = 1  # how many leads the task has: it is done when every one of them says so
    missing: tuple[Missing, ...] = ()
    flags: tuple[FlagFact, ...] = ()
    escalations: tuple[EscalationFact, ...] = ()


# ---- reasons ------------------------------------------------------------------------------

FLAGGED = N_("督查室标记红灯：%(reason)s")
ESCALATED = N_("督办中，须于 %(deadline)s 前反馈：%(reason)s")
ESCALATION_OVERDUE = N_("督办反馈已逾期 %(days)s 天（期限 %(deadline)s）：%(reason)s")
ESCALATION_ANSWERED = N_("督办已反馈，待督查室办结：%(reason)s")
CLOSED = N_("任务已于 %(day)s 办结")
REPORTED_DONE = N_("牵头单位%(unit)s %(period)s 报告任务已完成")
REPORTED_LAGGING = N_("牵头单位%(unit)s %(period)s 报告进展为“滞后”")
MISSING_RUN = N_("%(unit)s 连续 %(count)s 个季度未报送（%(periods)s），已逾期 %(days)s 天")
REPORT_OVERDUE = N_("%(period)s %(unit)s 报告未报送，已逾期 %(days)s 天")
REPORT_RETURNED = N_("%(period)s %(unit)s 报告被退回后未重新报送，已逾期 %(days)s 天")
BEHIND_SCHEDULE = N_("%(period)s 完成进度 %(percent)s%% 落后于时间进度 %(expected)s%%，相差 %(gap)s 个百分点")
ON_SCHEDULE = N_("按计划推进：牵头单位最新报告为 %(period)s")
NO_REPORT_YET = N_("尚无已报送的报告")


def light(facts: TaskFacts, rules: LightRules, *, today: date) -> Light:
    """The task's light on `today`, with every reason that applies."""
    office = _office_reasons(facts, today)
    missing = [m for m in facts.missing if m.days_overdue > rules.overdue_grace_days]
    overdue = max((m.days_overdue for m in missing), default=0)
    red = _red_reasons(facts, missing, rules)
    yellow = _yellow_reasons(facts, missing, rules)
    if office:
        return Light(Colour.RED, (*office, *red, *yellow), overdue)
    done = _done_reason(facts, today)
    if done:
        return Light(Colour.DONE, (done,), 0)
    if red:
        return Light(Colour.RED, (*red, *yellow), overdue)
    if yellow:
        return Light(Colour.YELLOW, tuple(yellow), overdue)
    if facts.leads:
        latest = max(facts.leads, key=lambda lead: lead.period)
        return Light(Colour.GREEN, (Reason("on_schedule", ON_SCHEDULE, {"period": latest.period}, (latest.period,)),))
    return Light(Colour.NONE, (Reason("no_report_yet", NO_REPORT_YET),))


def _office_reasons(facts: TaskFacts, today: date) -> list[Reason]:
    reasons = [Reason("flagged", FLAGGED, {"reason": f.reason}) for f in facts.flags]
    for e in facts.escalations:
        params = {"reason": e.reason, "deadline": e.respond_by.isoformat()}
        if e.answered:
            reasons.append(Reason("escalation_answered", ESCALATION_ANSWERED, params))
        elif today > e.respond_by:
            reasons.append(Reason("escalation_overdue", ESCALATION_OVERDUE,
                                  {**params, "days": (today - e.respond_by).days}))
        else:
            reasons.append(Reason("escalated", ESCALATED, params))
    return reasons


def _done_reason(facts: TaskFacts, today: date) -> Reason | None:
    if facts.closed_on is not None and facts.closed_on <= today:
        return Reason("closed", CLOSED, {"day": facts.closed_on.isoformat()})
    if (facts.leads and len({lead.unit for lead in facts.leads}) >= facts.lead_units
            and all(lead.status == DONE for lead in facts.leads)):
        latest = max(facts.leads, key=lambda lead: lead.period)
        return Reason("reported_done", REPORTED_DONE, {"unit": latest.unit, "period": latest.period},
                      (latest.period,))
    return None


def _red_reasons(facts: TaskFacts, missing: list[Missing], rules: LightRules) -> list[Reason]:
    reasons = []
    if rules.red_when_reported_lagging:
        reasons += [Reason("reported_lagging", REPORTED_LAGGING, {"unit": lead.unit, "period": lead.period},
                           (lead.period,))
                    for lead in facts.leads if lead.status == LAGGING]
    for m in missing:
        if len(m.periods) >= rules.missing_quarters_for_red:
            reasons.append(Reason("missing_run", MISSING_RUN,
                                  {"unit": m.unit, "count": len(m.periods), "periods": "、".join(m.periods),
                                   "days": m.days_overdue}, m.periods))
    return reasons


def _yellow_reasons(facts: TaskFacts, missing: list[Missing], rules: LightRules) -> list[Reason]:
    reasons = []
    for m in missing:
        if len(m.periods) < rules.missing_quarters_for_red:
            template, code = (REPORT_RETURNED, "report_returned") if m.returned else (REPORT_OVERDUE, "report_overdue")
            period = m.periods[-1]
            reasons.append(Reason(code, template, {"period": period, "unit": m.unit, "days": m.days_overdue},
                                  (period,)))
    for lead in facts.leads:
        if lead.percent is None or lead.status == DONE:
            continue
        expected = round(time_share(facts.plan_starts_on, facts.plan_ends_on, lead.period_ends_on) * 100)
        gap = expected - lead.percent
        if gap > rules.behind_by_points:
            reasons.append(Reason("behind_schedule", BEHIND_SCHEDULE,
                                  {"period": lead.period, "percent": lead.percent, "expected": expected, "gap": gap},
                                  (lead.period,)))
    return reasons


def time_share(starts_on: date, ends_on: date, on: date) -> float:
    """The share of the plan's days that have passed by the end of `on` (0.0–1.0)."""
    total = (ends_on - starts_on).days + 1
    passed = (on - starts_on).days + 1
    return min(1.0, max(0.0, passed / total))


# ---- the rules in words (the help page) -------------------------------------------------

@dataclass(frozen=True)
class RuleText:
    colour: Colour
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str]) -> str:
        translated = gettext(self.template)
        return translated % dict(self.params) if self.params else translated


def describe_rules(rules: LightRules) -> list[RuleText]:
    """The rules `light()` applies, in its order of precedence, with the configured thresholds."""
    texts = [
        RuleText(Colour.RED, N_("督查室对任务标记了红灯，或任务处于督办中（督办办结前一直为红灯）。")),
        RuleText(Colour.DONE, N_("任务已办结，或牵头单位最新一期已报送的报告为“已完成”。")),
    ]
    if rules.red_when_reported_lagging:
        texts.append(RuleText(Colour.RED, N_("牵头单位最新一期已报送的报告进展为“滞后”。")))
    texts += [
        RuleText(Colour.RED, N_("某责任单位连续 %(count)s 个已到截止日的季度未报送报告。"),
                 {"count": rules.missing_quarters_for_red}),
        RuleText(Colour.YELLOW, N_("最近一个已到截止日的季度，有责任单位的报告超过截止日 %(days)s 天仍未报送（被退回未重报的同样计入）。"),
                 {"days": rules.overdue_grace_days}),
        RuleText(Colour.YELLOW, N_("牵头单位报告的完成百分比落后于规划期时间进度超过 %(points)s 个百分点（时间进度按报告季度末计算）。"),
                 {"points": rules.behind_by_points}),
        RuleText(Colour.GREEN, N_("以上情形均不存在，且牵头单位已报送过报告。")),
        RuleText(Colour.NONE, N_("以上情形均不存在，且尚无已报送的报告。")),
    ]
    return texts
