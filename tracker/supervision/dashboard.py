"""Reads for the office's home page, compliance table and filters, in a fixed number of queries."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.plans.models import Assignment, Plan, Section, Task, Unit, current_assignment
from tracker.reporting.compliance import ZERO, Tally, UnitTally, total
from tracker.reporting.models import Period, counted
from tracker.reporting.obligations import owed
from tracker.reporting.queries import get_current_period
from tracker.supervision import tally_store
from tracker.supervision.light_rules import Colour, LightRules
from tracker.supervision.queries import Evaluated, LaggingRow, evaluate, page_lagging


@dataclass(frozen=True)
class Compliance:
    """报送 figures of one period, by unit (tracker.reporting.compliance defines them)."""

    period: Period | None
    rows: list[UnitTally] = field(default_factory=list)

    @property
    def total(self) -> Tally:
        return total(self.rows) if self.rows else ZERO

    @property
    def ranked(self) -> list[UnitTally]:
        """Lowest 报送率 first, then lowest 按时报送率: who the office calls first."""
        return sorted(self.rows, key=lambda r: (r.tally.rate or 0, r.tally.on_time_rate or 0, r.unit_name))

    @property
    def silent(self) -> list[UnitTally]:
        """Units with nothing in."""
        return [r for r in self.ranked if r.tally.owed and not r.tally.submitted]

    @property
    def late(self) -> list[UnitTally]:
        return [r for r in self.ranked if r.tally.late]

    @property
    def missing(self) -> list[UnitTally]:
        return [r for r in self.ranked if r.tally.missing]


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    counts: dict[Colour, int]
    tasks: int
    mean_percent: float | None


@dataclass(frozen=True)
class Dashboard:
    counts: dict[Colour, int]
    lagging: list[LaggingRow]          # the first rows of the lagging list
    lagging_total: int
    compliance: Compliance
    sections: list[SectionProgress]

    @property
    def tasks(self) -> int:
        return sum(self.counts.values())


def get_compliance(session: Session, plan: Plan, period: Period | None) -> Compliance:
    """The quarter's figures by unit, read from the kept rows (tally_store.py: compliance.py's figures,
    rewritten by every write that changes them), not aggregated over every obligation on each view."""
    if period is None or period.plan_id != plan.id:
        return Compliance(None)
    return Compliance(period, tally_store.read(session, period.id))


def list_missing_unit_ids(session: Session, plan: Plan, period: Period, *, task_id: int) -> list[int]:
    """The units whose report on the task for the period is not in (none, draft or returned)."""
    rows = owed(period_ids=[period.id], plan_id=plan.id, task_id=task_id).subquery()
    return list(session.scalars(select(rows.c.unit_id).where(or_(rows.c.state.is_(None),
                                                                 ~counted(rows.c.state)))))


def get_dashboard(session: Session, plan: Plan, *, today: date, rules: LightRules | None = None,
                  lagging_shown: int = 15) -> Dashboard:
    evaluated = evaluate(session, plan.id, today=today, rules=rules)
    lights = {tid: e.light for tid, e in evaluated.items()}
    sections = list(session.scalars(select(Section).where(Section.plan_id == plan.id).order_by(Section.position)))
    places = session.execute(select(Task.id, Task.section_id, Task.position).where(Task.plan_id == plan.id)).all()
    section_of = {task_id: section_id for task_id, section_id, _ in places}
    lagging, total = page_lagging(session, plan.id, lights, limit=lagging_shown,
                                  positions={task_id: position for task_id, _, position in places})
    return Dashboard(
        counts=_counts(lit.colour for lit in lights.values()),
        lagging=lagging,
        lagging_total=total,
        compliance=get_compliance(session, plan, get_current_period(session, plan.id, today=today)),
        sections=_by_section(sections, section_of, evaluated),
    )


def _by_section(sections: list[Section], section_of: dict[int, int],
                evaluated: dict[int, Evaluated]) -> list[SectionProgress]:
    grouped: dict[int, list[Evaluated]] = defaultdict(list)
    for task_id, section_id in section_of.items():
        grouped[section_id].append(evaluated[task_id])
    out = []
    for section in sections:
        mine = grouped[section.id]
        percents = [e.percent for e in mine if e.percent is not None]
        out.append(SectionProgress(section, _counts(e.light.colour for e in mine), len(mine),
                                   sum(percents) / len(percents) if percents else None))
    return out


def _counts(colours) -> dict[Colour, int]:
    """How many of each colour, every colour present, reddest first."""
    counted = Counter(colours)
    return {colour: counted.get(colour, 0) for colour in sorted(Colour, key=lambda c: c.rank)}


@dataclass(frozen=True)
class FilterOptions:
    sections: list[Section]
    units: list[Unit]
    periods: list[Period]


def get_filter_options(session: Session, plan: Plan, *, today: date) -> FilterOptions:
    """The plan's sections, the units that answer for its tasks, and its owed quarters that have ended:
    three queries."""
    sections = list(session.scalars(select(Section).where(Section.plan_id == plan.id).order_by(Section.position)))
    units = list(session.scalars(
        select(Unit).where(Unit.id.in_(select(Assignment.unit_id).join(Task, Task.id == Assignment.task_id)
                                       .where(Task.plan_id == plan.id, current_assignment())))
        .order_by(Unit.name)))
    periods = select(Period).where(Period.plan_id == plan.id, Period.ends_on < today).order_by(Period.key.desc())
    if plan.first_owed_period:
        periods = periods.where(Period.key >= plan.first_owed_period)
    return FilterOptions(sections, units, list(session.scalars(periods)))
