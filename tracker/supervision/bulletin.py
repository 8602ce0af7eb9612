"""The 督查通报's figures for a quarter, a half-year or any run of quarters: read, never typed.

Every number comes from the queries behind the ledger and /api/v1/compliance (the lights of
`list_ledger`, the tallies of `tally_by_unit`), so the bulletin, the ledger and the API agree.
Shape (as offices write it): 期数 and date → 总体情况 → 滞后事项 by unit and task number →
未按时报送单位名单 → 工作要求 → 附件 table.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core.i18n import N_
from tracker.plans.models import Plan
from tracker.reporting.compliance import ZERO, Tally, UnitTally, tally_by_unit
from tracker.reporting.models import Period
from tracker.supervision.ledger import LedgerRow, list_ledger
from tracker.supervision.lights import Colour
from tracker.supervision.queries import is_lagging

SCOPE = re.compile(r"^(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|H(?P<half>[12])|Y)$")
REQUIREMENTS = N_("请各责任单位对照滞后事项逐项分析原因、制定整改措施，明确完成时限；"
                  "未按时报送的单位须于 5 个工作日内补报。督查室将持续跟踪督办，并将结果纳入年度考核。")


@dataclass(frozen=True)
class Scope:
    """The quarters a bulletin covers: one (2024Q3), a half-year (2024H1), a year (2024Y) or a date range."""

    label: str
    periods: tuple[Period, ...]

    @property
    def last(self) -> Period:
        return self.periods[-1]


@dataclass(frozen=True)
class LateUnit:
    name: str
    missing: int
    late: int


@dataclass(frozen=True)
class Bulletin:
    plan: Plan
    scope: Scope
    on: date                                  # the figures as of this day
    rows: list[LedgerRow]                     # the ledger of the scope's last quarter: the 附件 table
    tally: Tally                              # 报送 over the scope's quarters
    units: list[UnitTally]                    # per unit, summed over the quarters
    counts: dict[Colour, int] = field(default_factory=dict)
    lagging: dict[str, list[str]] = field(default_factory=dict)   # lead unit → task numbers (red and yellow)

    @property
    def tasks(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return self.counts.get(Colour.DONE, 0)

    @property
    def done_share(self) -> float | None:
        return self.done / self.tasks if self.tasks else None

    @property
    def late_units(self) -> list[LateUnit]:
        """未按时报送: units with a report missing or late in the scope, by name."""
        return [LateUnit(u.unit_name, u.tally.missing, u.tally.late) for u in self.units
                if u.tally.missing or u.tally.late]


def parse_scope(session: Session, plan: Plan, key: str, *, today: date, starts_on: date | None = None,
                ends_on: date | None = None) -> Scope | None:
    """2024Q3, 2024H1, 2024Y, or (key "range") the quarters ending within [starts_on, ends_on]; only
    quarters that have ended by `today` count (a later one owes nothing yet). None if none is left."""
    periods = list(session.scalars(select(Period).where(Period.plan_id == plan.id, Period.ends_on < today)
                                   .order_by(Period.key)))
    if key == "range":
        if starts_on is None or ends_on is None or starts_on > ends_on:
            return None
        chosen = [p for p in periods if starts_on <= p.ends_on <= ends_on]
        label = f"{starts_on.isoformat()}—{ends_on.isoformat()}"
    else:
        match = SCOPE.match(key or "")
        if not match:
            return None
        year = match["year"]
        if match["quarter"]:
            wanted = {f"{year}Q{match['quarter']}"}
        elif match["half"]:
            wanted = {f"{year}Q{n}" for n in ((1, 2) if match["half"] == "1" else (3, 4))}
        else:
            wanted = {f"{year}Q{n}" for n in range(1, 5)}
        chosen = [p for p in periods if p.key in wanted]
        label = key
    return Scope(label, tuple(chosen)) if chosen else None


def get_bulletin(session: Session, plan: Plan, scope: Scope, *, today: date) -> Bulletin:
    """The bulletin's figures: the ledger of the last quarter, 报送 summed over the scope's quarters."""
    rows = list_ledger(session, plan, today=today, period=scope.last)
    by_unit: dict[int, list[UnitTally]] = defaultdict(list)
    for period in scope.periods:
        for row in tally_by_unit(session, period.id, plan_id=plan.id):
            by_unit[row.unit_id].append(row)
    units = sorted((UnitTally(rows_[0].unit_id, rows_[0].unit_name, sum((r.tally for r in rows_), ZERO))
                    for rows_ in by_unit.values()), key=lambda u: u.unit_name)
    counts = {colour: 0 for colour in Colour}
    lagging: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        counts[row.light.colour] += 1
        if is_lagging(row.light):
            lagging[row.lead or "—"].append(row.task.number)
    return Bulletin(plan, scope, today, rows, sum((u.tally for u in units), ZERO), units, counts, dict(lagging))
