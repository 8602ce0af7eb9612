"""Traffic lights (亮灯): a task's colour and, in words, why it is lit.

Pure: no Flask, no database, no clock. queries.py gathers each task's facts in a few
aggregate queries; `light()` decides with the office's rules (light_rules.py, stored as
data). The help page renders `describe_rules(rules)`, so the rules written down and the
rules applied come from the same thresholds.

Order of precedence (the first that applies wins; lesser warnings are listed after):
  1. the office flagged the task or has an open escalation (督办) on it → red (by default);
  2. the task is closed (办结), or every lead unit's latest report says 已完成 → done;
  3. a lead unit reports 滞后, a unit is missing N quarters running, or progress trails
     序时进度 beyond the red band → red;
  4. a report of the latest due quarter is overdue (or returned), progress trails 序时进度,
     or a milestone is near and not reached → yellow;
  5. the lead has reported → green; otherwise → no data yet.

序时进度 (expected progress on a day) comes from the task's milestones (节点) when it has
any, else from the straight line over the plan's years.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tracker.core.i18n import N_
from tracker.core.messages import Message
from tracker.supervision.light_rules import (  # noqa: F401  (re-exported: the lights' vocabulary)
    IGNORE,
    POINTS,
    RED,
    SHARE,
    YELLOW,
    Colour,
    LightRules,
    RuleText,
    describe_rules,
)

# Report status values as stored (tracker.reporting.models.Status), kept as text here so
# this module needs no database import.
LAGGING = "lagging"
DONE = "done"


@dataclass(frozen=True, kw_only=True)
class Reason(Message):
    """Why a light is lit: a message, and the quarters it concerns (for filters and reminders)."""

    periods: tuple[str, ...] = ()


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
class MilestoneFact:
    """A milestone (节点) in force: by `on` the task should be `percent` done."""

    on: date
    percent: int
    what: str = ""


@dataclass(frozen=True)
class ReturnedFact:
    """A report returned (退回) and not yet resubmitted, whatever its due date."""

    unit: str
    period: str


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
    milestones: tuple[MilestoneFact, ...] = ()       # by date
    returned: tuple[ReturnedFact, ...] = ()


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
FLAGGED_YELLOW = N_("督查室标记黄灯：%(reason)s")
BEHIND_SCHEDULE = N_("%(period)s 完成进度 %(percent)s%% 落后于时间进度 %(expected)s%%，相差 %(gap)s 个百分点")
BEHIND_POINTS = N_("%(period)s 完成进度 %(percent)s%% 落后于%(basis)s %(expected)s%%，相差 %(gap)s 个百分点（%(colour)s线：超过 %(limit)s 个百分点）")
BEHIND_SHARE = N_("%(period)s 完成进度 %(percent)s%% 落后于%(basis)s %(expected)s%% 达 %(share)s%%（%(colour)s线：超过 %(limit)s%%）")
STRAIGHT_LINE = N_("时间进度")
MILESTONES = N_("序时进度（按节点）")
MILESTONE_NEAR = N_("节点 %(day)s（%(what)s）还剩 %(days)s 天，应达 %(expected)s%%，当前完成进度 %(percent)s%%（节点前 %(limit)s 天预警）")
RETURNED_PENDING = N_("%(period)s %(unit)s 报告被退回，尚未重新报送")
ON_SCHEDULE = N_("按计划推进：牵头单位最新报告为 %(period)s")
NO_REPORT_YET = N_("尚无已报送的报告")


def light(facts: TaskFacts, rules: LightRules, *, today: date) -> Light:
    """The task's light on `today`, with every reason that applies."""
    office, office_yellow = _office_reasons(facts, rules, today)
    missing = [m for m in facts.missing if m.days_overdue > rules.overdue_grace_days]
    overdue = max((m.days_overdue for m in missing), default=0)
    behind_red, behind_yellow = _behind_reasons(facts, rules)
    red = _red_reasons(facts, missing, rules) + behind_red
    yellow = office_yellow + _yellow_reasons(facts, missing, rules, today) + behind_yellow
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
        return Light(Colour.GREEN, (Reason("on_schedule", ON_SCHEDULE, {"period": latest.period}, periods=(latest.period,)),))
    return Light(Colour.NONE, (Reason("no_report_yet", NO_REPORT_YET),))


def _office_reasons(facts: TaskFacts, rules: LightRules, today: date) -> tuple[list[Reason], list[Reason]]:
    """The office's marks: (red reasons, yellow reasons), as the rules colour flags and 督办."""
    out: dict[str, list[Reason]] = {RED: [], YELLOW: [], IGNORE: []}
    for f in facts.flags:
        out[rules.flag_colour].append(Reason("flagged", FLAGGED if rules.flag_colour == RED else FLAGGED_YELLOW,
                                             {"reason": f.reason}))
    for e in facts.escalations:
        params = {"reason": e.reason, "deadline": e.respond_by.isoformat()}
        if e.answered:
            out[rules.escalation_colour].append(Reason("escalation_answered", ESCALATION_ANSWERED, params))
        elif today > e.respond_by:
            out[rules.ignored_escalation_colour].append(Reason("escalation_overdue", ESCALATION_OVERDUE,
                                                               {**params, "days": (today - e.respond_by).days}))
        else:
            out[rules.escalation_colour].append(Reason("escalated", ESCALATED, params))
    return out[RED], out[YELLOW]


def _done_reason(facts: TaskFacts, today: date) -> Reason | None:
    if facts.closed_on is not None and facts.closed_on <= today:
        return Reason("closed", CLOSED, {"day": facts.closed_on.isoformat()})
    if (facts.leads and len({lead.unit for lead in facts.leads}) >= facts.lead_units
            and all(lead.status == DONE for lead in facts.leads)):
        latest = max(facts.leads, key=lambda lead: lead.period)
        return Reason("reported_done", REPORTED_DONE, {"unit": latest.unit, "period": latest.period},
                      periods=(latest.period,))
    return None


def _red_reasons(facts: TaskFacts, missing: list[Missing], rules: LightRules) -> list[Reason]:
    reasons = []
    if rules.red_when_reported_lagging:
        reasons += [Reason("reported_lagging", REPORTED_LAGGING, {"unit": lead.unit, "period": lead.period},
                           periods=(lead.period,))
                    for lead in facts.leads if lead.status == LAGGING]
    for m in missing:
        if len(m.periods) >= rules.missing_quarters_for_red:
            reasons.append(Reason("missing_run", MISSING_RUN,
                                  {"unit": m.unit, "count": len(m.periods), "periods": "、".join(m.periods),
                                   "days": m.days_overdue}, periods=m.periods))
    return reasons


def _yellow_reasons(facts: TaskFacts, missing: list[Missing], rules: LightRules, today: date) -> list[Reason]:
    reasons = []
    for m in missing:
        if len(m.periods) < rules.missing_quarters_for_red:
            template, code = (REPORT_RETURNED, "report_returned") if m.returned else (REPORT_OVERDUE, "report_overdue")
            period = m.periods[-1]
            reasons.append(Reason(code, template, {"period": period, "unit": m.unit, "days": m.days_overdue},
                                  periods=(period,)))
    if rules.return_is_warning:
        counted = {(m.unit, m.periods[-1]) for m in missing}
        reasons += [Reason("returned_pending", RETURNED_PENDING, {"period": r.period, "unit": r.unit}, periods=(r.period,))
                    for r in facts.returned if (r.unit, r.period) not in counted]
    near = _milestone_near(facts, rules, today)
    if near:
        reasons.append(near)
    return reasons


def _behind_reasons(facts: TaskFacts, rules: LightRules) -> tuple[list[Reason], list[Reason]]:
    """Progress trailing 序时进度, as (red, yellow) reasons with the band that fired."""
    red, yellow = [], []
    for lead in facts.leads:
        if lead.percent is None or lead.status == DONE:
            continue
        expected = expected_percent(facts, lead.period_ends_on)
        gap = expected - lead.percent
        measured = gap if rules.behind_measure == POINTS else (round(gap * 100 / expected) if expected else 0)
        params = {"period": lead.period, "percent": lead.percent, "expected": expected, "gap": gap,
                  "share": measured, "basis": MILESTONES if facts.milestones else STRAIGHT_LINE}
        if rules.red_behind_by_points is not None and gap > 0 and measured > rules.red_behind_by_points:
            red.append(_behind(params, rules, Colour.RED, rules.red_behind_by_points, lead.period))
        elif gap > 0 and measured > rules.behind_by_points:
            yellow.append(_behind(params, rules, Colour.YELLOW, rules.behind_by_points, lead.period))
    return red, yellow


def _behind(params: dict[str, Any], rules: LightRules, colour: Colour, limit: int, period: str) -> Reason:
    """The default's own words where the default applies; otherwise the band and basis named."""
    words = ("basis", "colour")
    if rules.behind_measure == SHARE:
        return Reason("behind_schedule", BEHIND_SHARE, {**params, "colour": colour.label, "limit": limit},
                      words, periods=(period,))
    if rules.red_behind_by_points is None and not params["basis"] == MILESTONES:
        return Reason("behind_schedule", BEHIND_SCHEDULE,
                      {k: params[k] for k in ("period", "percent", "expected", "gap")}, periods=(period,))
    return Reason("behind_schedule", BEHIND_POINTS, {**params, "colour": colour.label, "limit": limit},
                  words, periods=(period,))


def _milestone_near(facts: TaskFacts, rules: LightRules, today: date) -> Reason | None:
    """The next milestone within the warning days whose percent the lead has not reported yet."""
    if rules.deadline_warning_days is None:
        return None
    upcoming = [m for m in facts.milestones if m.on >= today]
    if not upcoming:
        return None
    milestone = min(upcoming, key=lambda m: m.on)
    days = (milestone.on - today).days
    percents = [lead.percent for lead in facts.leads if lead.percent is not None]
    percent = min(percents) if percents else 0
    if days > rules.deadline_warning_days or percent >= milestone.percent:
        return None
    return Reason("milestone_near", MILESTONE_NEAR,
                  {"day": milestone.on.isoformat(), "what": milestone.what or "—", "days": days,
                   "expected": milestone.percent, "percent": percent, "limit": rules.deadline_warning_days})


def expected_percent(facts: TaskFacts, on: date) -> int:
    """序时进度 on `on`, in percent: along the milestones if the task has any, else the straight line."""
    if not facts.milestones:
        return round(time_share(facts.plan_starts_on, facts.plan_ends_on, on) * 100)
    return round(milestone_share(facts.plan_starts_on, facts.plan_ends_on, facts.milestones, on))


def milestone_share(starts_on: date, ends_on: date, milestones: tuple[MilestoneFact, ...], on: date) -> float:
    """Linear between (the day before the plan starts, 0 %), each milestone, and (plan end, 100 %)
    when the last milestone is short of 100 %; flat after the last point."""
    points = [(starts_on - timedelta(days=1), 0.0)] + [(m.on, float(m.percent)) for m in sorted(milestones, key=lambda m: m.on)]
    if points[-1][1] < 100 and points[-1][0] < ends_on:
        points.append((ends_on, 100.0))
    if on <= points[0][0]:
        return 0.0
    for (a_on, a), (b_on, b) in zip(points, points[1:]):
        if on <= b_on:
            span = (b_on - a_on).days
            return b if span <= 0 else a + (b - a) * (on - a_on).days / span
    return points[-1][1]


def time_share(starts_on: date, ends_on: date, on: date) -> float:
    """The share of the plan's days that have passed by the end of `on` (0.0–1.0)."""
    total = (ends_on - starts_on).days + 1
    passed = (on - starts_on).days + 1
    return min(1.0, max(0.0, passed / total))
