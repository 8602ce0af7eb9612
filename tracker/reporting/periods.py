"""Quarters and their due dates. Pure: no Flask, no database, no system clock."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.core.workdays import WorkCalendar

_KEY = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, key: str) -> Quarter:
        """'2024Q3' → Quarter(2024, 3); raises ValueError on anything else."""
        match = _KEY.match(key.strip().upper()) if isinstance(key, str) else None
        if not match:
            raise ValueError(f"not a quarter key: {key!r} (expected e.g. 2024Q3)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def starts_on(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def ends_on(self) -> date:
        return self.next().starts_on - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)


def quarters(start_year: int, end_year: int) -> list[Quarter]:
    """Every quarter of a plan's years, in order."""
    return [Quarter(year, q) for year in range(start_year, end_year + 1) for q in (1, 2, 3, 4)]


def due_on(quarter: Quarter, workdays_after: int, calendar: WorkCalendar) -> date:
    """Reports are due the N-th official working day after the quarter ends."""
    return calendar.add_workdays(quarter.ends_on, workdays_after)


def due_is_provisional(quarter: Quarter, due: date, calendar: WorkCalendar) -> bool:
    """The due date was counted Monday–Friday: some day it spans lies in a year the calendar lacks."""
    return any(not calendar.covers(year) for year in range(quarter.ends_on.year, due.year + 1))


def reporting_quarter(today: date) -> Quarter:
    """The quarter being reported on today: the last one that has ended."""
    return Quarter.containing(today).previous()
