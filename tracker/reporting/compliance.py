"""报送率 and its figures, defined once for every page, export and API.

owed (应报) = obligations; submitted (已报) = reports submitted or accepted (a returned
report counts again only once resubmitted); late (迟报) = submitted after the due date;
missing (未报) = owed − submitted.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.plans.models import Unit
from tracker.reporting.models import counted
from tracker.reporting.obligations import owed


@dataclass(frozen=True)
class Tally:
    owed: int
    submitted: int
    late: int

    @property
    def missing(self) -> int:
        return self.owed - self.submitted

    @property
    def rate(self) -> float | None:
        """报送率; None when nothing is owed."""
        return self.submitted / self.owed if self.owed else None

    @property
    def on_time_rate(self) -> float | None:
        """按时报送率."""
        return (self.submitted - self.late) / self.owed if self.owed else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.owed + other.owed, self.submitted + other.submitted, self.late + other.late)


ZERO = Tally(0, 0, 0)


def tally_columns(rows) -> tuple[Any, Any, Any]:
    """The tally in SQL over a subquery of `owed()`: owed, submitted and late, to aggregate per group."""
    done = counted(rows.c.state)
    return (func.count().label("owed"), func.sum(case((done, 1), else_=0)).label("submitted"),
            func.sum(case((done & rows.c.is_late, 1), else_=0)).label("late"))


def tally_of(owed_count: int, submitted: int | None, late: int | None) -> Tally:
    """A row of `tally_columns` as a Tally (a group with no rows sums to NULL)."""
    return Tally(int(owed_count), int(submitted or 0), int(late or 0))


@dataclass(frozen=True)
class UnitTally:
    unit_id: int
    unit_name: str
    tally: Tally


def tally_by_unit(session: Session, period_id: int, *, plan_id: int | None = None) -> list[UnitTally]:
    """One row per unit that owes anything in the period, in one query, by unit name."""
    rows = owed(period_ids=[period_id], plan_id=plan_id).subquery()
    query = (select(Unit.id, Unit.name, *tally_columns(rows)).join(Unit, Unit.id == rows.c.unit_id)
             .group_by(Unit.id, Unit.name).order_by(Unit.name))
    return [UnitTally(unit_id, name, tally_of(*figures)) for unit_id, name, *figures in session.execute(query)]


def total(tallies: list[UnitTally]) -> Tally:
    out = ZERO
    for row in tallies:
        out = out + row.tally
    return out
