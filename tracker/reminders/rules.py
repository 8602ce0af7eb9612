"""When a unit is reminded, and how: the cadence of 提醒 → 催报 → 督办. Pure: no Flask, no session, no clock.

Reminders go out on official working days only (the calendar of the due dates). For one missing
report, counted from its chase date — its due date (an approved extension's, if any), or the day it
was returned when that came later:
- notice (截止前提醒): from N working days before the due date until the due date, once;
- overdue (催报): from the first working day after, step i = 1 + (working days overdue − 1) // K, up to M;
- escalation (督办): step M + 1, the same e-mail with the supervision office in copy; then the
  schedule stops for that report (the office takes over with its own 督办).
The step is computed from today, so a sweep after missed days (a scheduler outage) sends the step due
now, once; an escalation step missed is still sent for CATCH_UP working days after it fell due.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tracker.core.i18n import N_
from tracker.core.workdays import WorkCalendar
from tracker.reporting.periods import Quarter


class Kind(enum.Enum):
    NOTICE = "notice"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            Kind.NOTICE: N_("截止前提醒"),
            Kind.OVERDUE: N_("逾期催报"),
            Kind.ESCALATION: N_("逾期督办"),
            Kind.MANUAL: N_("人工催办"),
        }[self]

    @property
    def severity(self) -> int:
        """Which decision names the e-mail when one run decides several for a unit."""
        return {Kind.NOTICE: 0, Kind.MANUAL: 1, Kind.OVERDUE: 2, Kind.ESCALATION: 3}[self]


class Outcome(enum.Enum):
    QUEUED = "queued"
    NO_ADDRESS = "no_address"

    @property
    def label(self) -> str:
        return N_("已写入发件箱") if self is Outcome.QUEUED else N_("无联系地址，未发送")


class Channel(enum.Enum):
    """Where an outbox message goes: e-mail, or a group robot's webhook."""

    EMAIL = "email"
    WECOM = "wecom"          # 企业微信 group robot
    DINGTALK = "dingtalk"    # 钉钉 group robot, signed
    WEBHOOK = "webhook"      # any JSON endpoint

    @property
    def label(self) -> str:
        return {Channel.EMAIL: N_("电子邮件"), Channel.WECOM: N_("企业微信群机器人"),
                Channel.DINGTALK: N_("钉钉群机器人"), Channel.WEBHOOK: N_("通用 Webhook")}[self]


class NoticeKind(enum.Enum):
    """A notice the office's actions send to units (each can be switched off)."""

    REPORT_RETURNED = "report_returned"
    ESCALATION_OPENED = "escalation_opened"
    ESCALATION_OVERDUE = "escalation_overdue"
    EXTENSION_DECIDED = "extension_decided"
    REPORT_ACCEPTED = "report_accepted"      # accepted after a return

    @property
    def label(self) -> str:
        return {NoticeKind.REPORT_RETURNED: N_("报告退回通知"), NoticeKind.ESCALATION_OPENED: N_("督办通知"),
                NoticeKind.ESCALATION_OVERDUE: N_("督办逾期未反馈通知"),
                NoticeKind.EXTENSION_DECIDED: N_("延期申请审批结果通知"),
                NoticeKind.REPORT_ACCEPTED: N_("退回后审核通过通知")}[self]


class MessageState(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {MessageState.PENDING: N_("待发送"), MessageState.SENT: N_("已发送"),
                MessageState.FAILED: N_("发送失败")}[self]


@dataclass(frozen=True)
class Cadence:
    before_workdays: int = 3   # N: the notice goes out N working days before the due date (0: no notice)
    every_days: int = 3        # K: overdue reminders repeat every K working days
    max_overdue: int = 5       # M: after M overdue reminders the next one copies the office

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> Cadence:
        return cls(int(config.get("TRACKER_REMIND_BEFORE_WORKDAYS", 3)),
                   max(1, int(config.get("TRACKER_REMIND_EVERY_DAYS", 3))),
                   int(config.get("TRACKER_REMIND_MAX", 5)))


@dataclass(frozen=True)
class Decision:
    kind: Kind
    step: int


CATCH_UP_WORKDAYS = 15   # an escalation copy missed (scheduler down) is still sent this long after


def decide(due_on: date, today: date, cadence: Cadence, calendar: WorkCalendar, *,
           notice: bool = True) -> Decision | None:
    """The reminder a report chased from `due_on` calls for today; None if none (or not a working day).
    `notice=False`: the chase starts after the due date (a report returned late), no 截止前提醒."""
    if not calendar.is_workday(today):
        return None
    if today <= due_on:
        if not notice or cadence.before_workdays <= 0:
            return None
        notice_on = calendar.subtract_workdays(due_on, cadence.before_workdays)
        return Decision(Kind.NOTICE, 1) if today >= notice_on else None
    overdue = workdays_overdue(due_on, today, calendar)
    step = 1 + (overdue - 1) // cadence.every_days
    if step <= cadence.max_overdue:
        return Decision(Kind.OVERDUE, step)
    escalation_from = cadence.max_overdue * cadence.every_days + 1     # the working day the copy falls due
    if overdue < escalation_from + CATCH_UP_WORKDAYS:
        return Decision(Kind.ESCALATION, cadence.max_overdue + 1)
    return None


def oldest_chase(today: date, cadence: Cadence, calendar: WorkCalendar) -> date:
    """The earliest chase date `decide` can still remind of on `today` (a working day): a report
    chased from before it is past the escalation's catch-up, so the sweep need not read it."""
    last = cadence.max_overdue * cadence.every_days + CATCH_UP_WORKDAYS   # the most working days overdue decided
    return calendar.subtract_workdays(today, last)


NOTICE_HOUR = time(8, 30)   # a notice decided on a day off waits for this time of the next working day


def send_at(now: datetime, calendar: WorkCalendar) -> datetime:
    """When a notice decided now may go out: now on a working day, else the next working day's morning."""
    if calendar.is_workday(now.date()):
        return now
    return datetime.combine(calendar.add_workdays(now.date(), 1), NOTICE_HOUR, tzinfo=now.tzinfo)


def workdays_overdue(due_on: date, today: date, calendar: WorkCalendar) -> int:
    """Working days after the due date up to and including today."""
    count, day = 0, due_on
    while day < today:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            count += 1
    return count


def days_overdue(due_on: date, today: date) -> int:
    return max(0, (today - due_on).days)


def manual_step(today: date) -> int:
    """催办 by hand: at most once per unit, period and day; the day is the step."""
    return today.toordinal()


def week_of(today: date) -> date:
    """The Monday of today's week: the weekly digest's deduplication key."""
    return today - timedelta(days=today.weekday())


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def digest_is_due(now: datetime, weekday: str, at: time) -> bool:
    """This week's digest time has come: the cron fires right then; a restart later in the week catches up."""
    day = week_of(now.date()) + timedelta(days=WEEKDAYS.index(weekday))
    return now >= datetime.combine(day, at, tzinfo=now.tzinfo)


def period_label(key: str) -> str:
    """'2024Q3' → '2024年第3季度' (mail text is Chinese: it goes to units, not to a user's locale)."""
    quarter = Quarter.parse(key)
    return f"{quarter.year}年第{quarter.quarter}季度"


# Delivery retries: 1, 2, 4 … minutes, at most 6 hours apart; after MAX_ATTEMPTS the message
# is marked failed and waits for an administrator's retry (about a day of trying in all).
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the attempts-th failed attempt (attempts ≥ 1)."""
    return min(FIRST_RETRY * 2 ** max(0, min(attempts - 1, 20)), LONGEST_RETRY)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def header_text(value: str, limit: int = 200) -> str:
    """Text safe for a mail header: CR, LF and other control characters become one space."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]
