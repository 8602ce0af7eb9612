"""The cadence of 提醒 → 催报 → 督办 on the official calendar, and the small rules of mail."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.core.workdays import CHINA
from tracker.reminders.rules import (
    MAX_ATTEMPTS,
    Cadence,
    Decision,
    Kind,
    days_overdue,
    decide,
    digest_is_due,
    gives_up,
    header_text,
    period_label,
    retry_delay,
    week_of,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE_2024Q3 = date(2024, 10, 12)   # the 5th working day after 2024-09-30 (make-up Saturday)


def test_the_notice_day_is_three_official_working_days_before_the_make_up_saturday():
    # 10-12 (Sat) is a working day; 10-11, 10-10, 10-09 are the three before it.
    assert CHINA.subtract_workdays(DUE_2024Q3, 3) == date(2024, 10, 9)


@pytest.mark.parametrize("today, expected", [
    (date(2024, 10, 8), None),                                # the day before the notice
    (CHINA.subtract_workdays(DUE_2024Q3, 3), Decision(Kind.NOTICE, 1)),
    (date(2024, 10, 12), Decision(Kind.NOTICE, 1)),           # still the notice on the due date (catch-up)
    (date(2024, 10, 13), None),                               # a Sunday: nothing goes out
    (date(2024, 10, 14), Decision(Kind.OVERDUE, 1)),          # the first working day after: first overdue reminder
    (date(2024, 10, 16), Decision(Kind.OVERDUE, 1)),
    (date(2024, 10, 17), Decision(Kind.OVERDUE, 2)),          # every 3 working days
    (date(2024, 10, 21), Decision(Kind.OVERDUE, 2)),          # the weekend does not count
    (date(2024, 10, 22), Decision(Kind.OVERDUE, 3)),
    (date(2024, 10, 30), Decision(Kind.OVERDUE, 5)),          # the 5th and last ordinary reminder
    (date(2024, 11, 4), Decision(Kind.ESCALATION, 6)),        # then one copying the office
    (date(2024, 11, 22), Decision(Kind.ESCALATION, 6)),       # still due if it was missed (scheduler down) …
    (date(2024, 11, 25), None),                               # … for 15 working days; then the office has it
])
def test_the_step_due_for_2024q3_is_computed_from_today_in_working_days(today, expected):
    assert decide(DUE_2024Q3, today, Cadence(), CHINA) == expected


@pytest.mark.parametrize("cadence, today, expected", [
    (Cadence(before_workdays=0), date(2024, 10, 11), None),                     # notices turned off
    (Cadence(every_days=1, max_overdue=2), date(2024, 10, 15), Decision(Kind.OVERDUE, 2)),
    (Cadence(every_days=1, max_overdue=2), date(2024, 10, 16), Decision(Kind.ESCALATION, 3)),
    (Cadence(max_overdue=0), date(2024, 10, 14), Decision(Kind.ESCALATION, 1)),   # at once
    (Cadence(every_days=5), date(2024, 10, 21), Decision(Kind.OVERDUE, 2)),
])
def test_every_cadence_is_configurable(cadence, today, expected):
    assert decide(DUE_2024Q3, today, cadence, CHINA) == expected


@pytest.mark.parametrize("holiday", [date(2024, 10, 1), date(2024, 10, 5), date(2025, 1, 29), date(2024, 9, 15)])
def test_nothing_goes_out_on_a_public_holiday(holiday):
    assert decide(holiday - timedelta(days=20), holiday, Cadence(), CHINA) is None


def test_the_make_up_sunday_is_a_working_day_for_reminders():
    # 2024-09-29 (a Sunday) is a make-up working day before National Day.
    assert decide(date(2024, 9, 27), date(2024, 9, 29), Cadence(), CHINA) == Decision(Kind.OVERDUE, 1)


def test_a_report_returned_late_is_chased_from_its_return_without_a_notice():
    returned_on = date(2024, 11, 1)            # a Friday, 20 days after the due date
    assert decide(returned_on, returned_on, Cadence(), CHINA, notice=False) is None
    assert decide(returned_on, date(2024, 11, 4), Cadence(), CHINA, notice=False) == Decision(Kind.OVERDUE, 1)


def test_a_sweep_after_nine_missed_days_decides_only_the_step_due_now():
    days = [DUE_2024Q3 + timedelta(days=d) for d in range(1, 11)]
    steps = {decide(DUE_2024Q3, day, Cadence(), CHINA) for day in days} - {None}
    assert decide(DUE_2024Q3, date(2024, 10, 25), Cadence(), CHINA) == Decision(Kind.OVERDUE, 4)
    assert len(steps) == 3   # 10-13…10-22 span steps 1, 2 and 3: one decision each, whatever the number of runs


def test_cadence_reads_its_configuration():
    config = {"TRACKER_REMIND_BEFORE_WORKDAYS": 2, "TRACKER_REMIND_EVERY_DAYS": 4, "TRACKER_REMIND_MAX": 3}
    assert Cadence.from_config(config) == Cadence(2, 4, 3)


@pytest.mark.parametrize("attempts, delay", [
    (1, timedelta(minutes=1)), (2, timedelta(minutes=2)), (3, timedelta(minutes=4)),
    (8, timedelta(minutes=128)), (9, timedelta(hours=4, minutes=16)), (10, timedelta(hours=6)),
    (40, timedelta(hours=6)),
])
def test_retries_back_off_exponentially_up_to_six_hours(attempts, delay):
    assert retry_delay(attempts) == delay


def test_delivery_gives_up_after_max_attempts():
    assert not gives_up(MAX_ATTEMPTS - 1) and gives_up(MAX_ATTEMPTS)


@pytest.mark.parametrize("raw, safe", [
    ("市林业局", "市林业局"),
    ("市林业局\r\nBcc: evil@example.com", "市林业局 Bcc: evil@example.com"),
    ("a\nb\rc\x00d\u2028e", "a b c d e"),
    ("  spaced   out  ", "spaced out"),
])
def test_header_text_never_carries_a_line_break(raw, safe):
    assert header_text(raw) == safe


@pytest.mark.parametrize("key, label", [("2024Q3", "2024年第3季度"), ("2025Q1", "2025年第1季度")])
def test_periods_are_named_as_the_office_writes_them(key, label):
    assert period_label(key) == label


@pytest.mark.parametrize("today, monday", [(date(2024, 11, 18), date(2024, 11, 18)),
                                           (date(2024, 11, 24), date(2024, 11, 18))])
def test_the_digest_week_starts_on_monday(today, monday):
    assert week_of(today) == monday


def test_days_overdue_is_never_negative():
    assert days_overdue(DUE_2024Q3, date(2024, 10, 1)) == 0 and days_overdue(DUE_2024Q3, date(2024, 11, 20)) == 39


@pytest.mark.parametrize("now, due", [
    (datetime(2024, 11, 18, 8, 59, tzinfo=SHANGHAI), False),   # Monday before 09:00: the cron will fire
    (datetime(2024, 11, 18, 9, 0, tzinfo=SHANGHAI), True),
    (datetime(2024, 11, 20, 14, 0, tzinfo=SHANGHAI), True),    # restarted on Wednesday: catch up this week's
    (datetime(2024, 11, 24, 23, 0, tzinfo=SHANGHAI), True),
])
def test_the_digest_is_due_from_its_weekly_time_on(now, due):
    assert digest_is_due(now, "mon", time(9, 0)) is due


def test_a_notice_decided_on_a_holiday_waits_for_the_next_working_morning():
    from datetime import datetime

    from tracker.reminders.rules import send_at

    national_day = datetime(2024, 10, 3, 15, 0, tzinfo=SHANGHAI)
    assert send_at(national_day, CHINA) == datetime(2024, 10, 8, 8, 30, tzinfo=SHANGHAI)
    tuesday = datetime(2024, 10, 15, 15, 0, tzinfo=SHANGHAI)
    assert send_at(tuesday, CHINA) == tuesday
