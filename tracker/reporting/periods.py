"""Quarters and their due dates. Pure: no Flask, no database, no system clock."""
from __future__ import annotations

from datetime import date

# Quarter arithmetic lives below the plans; reporting adds the due dates.
from tracker.core.quarters import Quarter as Quarter
from tracker.core.quarters import quarters as quarters
from tracker.core.workdays import WorkCalendar


def due_on(quarter: Quarter, workdays_after: int, calendar: WorkCalendar) -> date:
    """Reports are due the N-th official working day after the quarter ends."""
    return calendar.add_workdays(quarter.ends_on, workdays_after)


def due_is_provisional(quarter: Quarter, due: date, calendar: WorkCalendar) -> bool:
    """The due date was counted Monday–Friday: some day it spans lies in a year the calendar lacks."""
    return any(not calendar.covers(year) for year in range(quarter.ends_on.year, due.year + 1))


def reporting_quarter(today: date) -> Quarter:
    """The quarter being reported on today: the last one that has ended."""
    return Quarter.containing(today).previous()
