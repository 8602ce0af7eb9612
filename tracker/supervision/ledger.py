"""Reads behind the exports: the ledger (台账, one row per task) and a quarter's compilation."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.plans.models import Duty, Plan, Section, Task, Unit
from tracker.reporting.models import Period, Report, Status
from tracker.reporting.obligations import owed
from tracker.supervision.lights import Light
from tracker.supervision.queries import SUBMITTED, evaluate


@dataclass(frozen=True)
class Progress:
    unit: str
    period: str
    text: str


@dataclass(frozen=True)
class LedgerRow:
    task: Task
    lead: str                      # every lead unit, joined with 、
    co: list[str]
    light: Light
    status: Status | None          # the most behind lead's latest submitted report
    percent: int | None
    period: str | None
    progress: list[Progress]       # each unit's latest submitted progress, lead first


def list_ledger(session: Session, plan: Plan, *, today: date) -> list[LedgerRow]:
    """Every task of the plan in plan order: eleven queries whatever its size."""
    evaluated = evaluate(session, plan.id, today=today)
    tasks = session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)
                            .options(joinedload(Task.section), selectinload(Task.written_units))).unique()
    progress = _latest_progress(session, plan.id)
    rows = []
    for task in tasks:
        e = evaluated[task.id]
        shown = e.behind_lead  # several leads: the task shows the most behind one
        rows.append(LedgerRow(task, "、".join(u.name for u in task.lead_units), [u.name for u in task.co_units],
                              e.light, Status(shown.status) if shown and shown.status else None, e.percent,
                              shown.period if shown else None, progress.get(task.id, [])))
    return rows


def _latest_progress(session: Session, plan_id: int) -> dict[int, list[Progress]]:
    """Each (task, unit)'s latest submitted report's progress text: one query (a grouped latest
    quarter joined back, which SQLite runs twice as fast as a window over every report)."""
    latest = (
        select(Report.task_id, Report.unit_id, func.max(Period.key).label("period_key"))
        .join(Period, Period.id == Report.period_id).join(Task, Task.id == Report.task_id)
        .where(Task.plan_id == plan_id, Report.state.in_(SUBMITTED)).group_by(Report.task_id, Report.unit_id)
    ).subquery()
    query = (select(Report.task_id, Report.duty, Unit.name, Period.key, Report.progress)
             .join(Period, Period.id == Report.period_id)
             .join(latest, (latest.c.task_id == Report.task_id) & (latest.c.unit_id == Report.unit_id)
                   & (latest.c.period_key == Period.key))
             .join(Unit, Unit.id == Report.unit_id).where(Report.state.in_(SUBMITTED)))
    out: dict[int, list[tuple]] = defaultdict(list)
    for task_id, duty, unit, key, text in session.execute(query):
        out[task_id].append((duty is not Duty.LEAD, unit, Progress(unit, key, text or "")))
    return {task_id: [p for *_, p in sorted(items)] for task_id, items in out.items()}


@dataclass(frozen=True)
class CompilationRow:
    """One obligation of the quarter and the report that answers it (None: not reported)."""

    section: str
    number: str
    title: str
    unit: str
    duty: Duty
    report: Report | None

    @property
    def counts(self) -> bool:
        return self.report is not None and self.report.state in SUBMITTED


def list_compilation(session: Session, plan: Plan, period: Period) -> list[CompilationRow]:
    """Every obligation of the period by task and unit (lead first), with its report: one query."""
    rows = owed(period_ids=[period.id], plan_id=plan.id).subquery()
    query = (select(Section.title, Task.number, Task.title, Unit.name, rows.c.duty, Report)
             .select_from(rows)
             .join(Task, Task.id == rows.c.task_id).join(Section, Section.id == Task.section_id)
             .join(Unit, Unit.id == rows.c.unit_id)
             .outerjoin(Report, Report.id == rows.c.report_id)
             .order_by(Task.position, case((rows.c.duty == Duty.LEAD, 0), else_=1), Unit.name))
    return [CompilationRow(section, number, title, unit, Duty(duty) if not isinstance(duty, Duty) else duty, report)
            for section, number, title, unit, duty, report in session.execute(query)]

