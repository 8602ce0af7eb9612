"""Working days on the official Chinese calendar: holidays off, make-up days (调休) on.

chinese-calendar knows the State Council's published schedules; for a year it does not
cover yet, we fall back to Monday–Friday and say so in the log once per year.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

log = logging.getLogger(__name__)


@dataclass
class WorkCalendar:
    warned_years: set[int] = field(default_factory=set)
    # chinese-calendar validates its whole table on every call (about 25 µs); the reminder sweep
    # asks about the same few hundred days over 100,000 times, so each day is asked once.
    known: dict[date, bool] = field(default_factory=dict)

    def is_workday(self, day: date) -> bool:
        if day in self.known:
            return self.known[day]
        try:
            answer = chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self.warned_years:
                self.warned_years.add(day.year)
                log.warning("no official holiday schedule for %s: counting Monday–Friday", day.year)
            answer = day.weekday() < 5
        self.known[day] = answer
        return answer

    def covers(self, year: int) -> bool:
        """The installed calendar has the State Council's schedule for `year`."""
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def add_workdays(self, start: date, count: int) -> date:
        """The count-th working day after start (start itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def subtract_workdays(self, end: date, count: int) -> date:
        """The count-th working day before end (end itself not counted)."""
        day = end
        remaining = count
        while remaining > 0:
            day -= timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day


CHINA = WorkCalendar()
