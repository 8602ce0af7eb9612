"""Due dates: N official working days after the quarter ends, holidays off, make-up days on."""
from __future__ import annotations

import logging
from datetime import date

import pytest

from tracker.core.workdays import CHINA, WorkCalendar
from tracker.reporting.periods import Quarter, due_on, quarters, reporting_quarter


@pytest.mark.parametrize("key, workdays, due", [
    ("2024Q3", 5, date(2024, 10, 12)),   # National Day 10-01..07 off; Saturday 10-12 is a make-up working day
    ("2024Q4", 5, date(2025, 1, 8)),     # New Year's Day off, then Jan 2, 3, 6, 7, 8
    ("2024Q1", 5, date(2024, 4, 8)),     # Qingming 04-04..06 off; Sunday 04-07 is a make-up working day
    ("2024Q2", 5, date(2024, 7, 5)),     # an ordinary week
    ("2021Q3", 5, date(2021, 10, 13)),   # National Day 2021; Saturday 10-09 is a make-up working day
    ("2025Q3", 5, date(2025, 10, 14)),   # National Day and Mid-Autumn 10-01..08 off; Saturday 10-11 worked
    ("2023Q4", 30, date(2024, 2, 9)),    # across January and the make-up Sunday 2024-02-04 ...
    ("2023Q4", 31, date(2024, 2, 18)),   # ... then the Spring Festival 02-10..17 off; Sunday 02-18 worked
    ("2022Q4", 5, date(2023, 1, 9)),     # New Year 2023: Monday 01-02 off
])
def test_the_deadline_counts_official_working_days(key, workdays, due):
    assert due_on(Quarter.parse(key), workdays, CHINA) == due


@pytest.mark.parametrize("day, workday", [
    (date(2024, 10, 12), True),    # make-up Saturday
    (date(2024, 10, 7), False),    # National Day holiday on a Monday
    (date(2024, 2, 4), True),      # make-up Sunday before the Spring Festival
    (date(2024, 2, 12), False),    # Spring Festival on a Monday
    (date(2024, 11, 16), False),   # an ordinary Saturday
])
def test_the_calendar_knows_holidays_and_make_up_days(day, workday):
    assert WorkCalendar().is_workday(day) is workday


def test_a_year_without_an_official_schedule_falls_back_to_weekdays_and_says_so(caplog):
    calendar = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="tracker.core.workdays"):
        due = due_on(Quarter(2031, 1), 5, calendar)
        due_on(Quarter(2031, 2), 5, calendar)
    assert due == date(2031, 4, 7)  # Tue 04-01 .. Mon 04-07, Monday to Friday only
    warnings = [r for r in caplog.records if "2031" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING


@pytest.mark.parametrize("today, key", [
    (date(2024, 11, 20), "2024Q3"),
    (date(2024, 10, 1), "2024Q3"),
    (date(2024, 9, 30), "2024Q2"),
    (date(2025, 1, 3), "2024Q4"),
])
def test_the_reporting_quarter_is_the_last_one_that_ended(today, key):
    assert reporting_quarter(today).key == key


def test_a_plan_has_a_quarter_for_each_quarter_of_its_years():
    keys = [q.key for q in quarters(2021, 2025)]
    assert len(keys) == 20 and keys[0] == "2021Q1" and keys[-1] == "2025Q4"


@pytest.mark.parametrize("key", ["2024Q5", "2024-3", "", "Q3 2024"])
def test_a_bad_quarter_key_is_refused(key):
    with pytest.raises(ValueError):
        Quarter.parse(key)
