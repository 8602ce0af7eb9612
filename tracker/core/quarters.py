"""Quarters: the periods a plan is reported in, as calendar arithmetic. Pure: no Flask, no database, no clock.

Below the plans, which count their quarters too; their due dates are the reporting's (tracker/reporting/periods.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

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
