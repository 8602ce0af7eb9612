"""Reads behind the exports: the ledger (台账, one row per task for a period) and a quarter's compilation."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from tracker.plans.models import Duty, Plan, Section, Task, TaskUnit, Unit
from tracker.reporting.models import Period, Report, State, Status
from tracker.reporting.obligations import owed
from tracker.supervision.lights import Light, expected_percent
from tracker.supervision.queries import SUBMITTED, evaluate


class Progress(NamedTuple):
    unit: str
    period: str
    text: str


@dataclass(frozen=True)
class LedgerRow:
    """One task of the 台账 for a period: the light now, the lead's latest figures, and the period's reports."""

    task: Task
    lead: str                      # every lead unit, joined with 、
    co: list[str]
    deadline: date                 # 完成时限: the last accepted milestone, else the plan's end
    light: Light
    status: Status | None          # the most behind lead's latest submitted report
    percent: int | None
    expected: int | None           # 序时进度 at the period's end (milestones, else the straight line)
    period: str | None             # the quarter of the lead's latest submitted report
    progress: list[Progress]       # the period's submitted reports, lead first: 本期工作进展
    problems: list[Progress]       # 存在问题
    next_steps: list[Progress]     # 下一步计划
    owed: int = 0                  # 报送情况 for the period: 应报
    submitted: int = 0             # 已报 (the same definition as the compliance figures)


def list_ledger(session: Session, plan: Plan, *, today: date, period: Period | None = None) -> list[LedgerRow]:
    """Every task of the plan in plan order, for `period` (its reports and 报送情况): a fixed number of queries."""
    evaluated = evaluate(session, plan.id, today=today)
    tasks = session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position))
    leads, co = _written_units(session, plan)
    owed_rows = defaultdict(list)
    for row in list_compilation(session, plan, period) if period else []:
        owed_rows[row.number].append(row)
    on = period.ends_on if period else today
    rows = []
    for task in tasks:
        e = evaluated[task.id]
        latest = e.behind_lead  # several leads: the task shows the most behind one
        mine = owed_rows.get(task.number, [])
        counted = [r for r in mine if r.counts]
        deadline = max((m.on for m in e.facts.milestones), default=e.facts.plan_ends_on)
        rows.append(LedgerRow(
            task, "、".join(leads[task.id]), co[task.id], deadline, e.light,
            Status(latest.status) if latest and latest.status else None, e.percent,
            expected_percent(e.facts, on), latest.period if latest else None,
            *(_texts(counted, name, period.key if period else "") for name in ("progress", "problems", "next_steps")),
            len(mine), len(counted)))
    return rows


def _written_units(session: Session, plan: Plan) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Each task's lead and co units' names as the plan writes them (Task.lead_units / co_units), in one
    query of names: loading 8,000 tasks' unit objects took half the ledger's time at four times the scale."""
    leads: dict[int, list[str]] = defaultdict(list)
    co: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(select(TaskUnit.task_id, TaskUnit.duty, Unit.name).join(Unit, Unit.id == TaskUnit.unit_id)
                           .join(Task, Task.id == TaskUnit.task_id).where(Task.plan_id == plan.id)
                           .order_by(TaskUnit.task_id, TaskUnit.position))
    for task_id, duty, name in rows:
        (leads if Duty(duty) is Duty.LEAD else co)[task_id].append(name)
    return leads, co


def _texts(rows: list[CompilationRow], name: str, key: str) -> list[Progress]:
    """Each unit's text of the period, lead first (the compilation's order), blanks left out."""
    return [Progress(r.unit, key, getattr(r.report, name)) for r in rows if (getattr(r.report, name) or "").strip()]


class Reported(NamedTuple):
    """What the exports show of a report: its columns only (no ORM object per obligation: 58,000 of
    them at four times the benchmark scale cost more than writing the sheet)."""

    state: State
    status: Status | None
    percent: int | None
    progress: str
    problems: str
    next_steps: str
    submitted_on: date | None
    is_late: bool


REPORTED = (Report.state, Report.status, Report.percent, Report.progress, Report.problems, Report.next_steps,
            Report.submitted_on, Report.is_late)


class CompilationRow(NamedTuple):
    """One obligation of the quarter and the report that answers it (None: not reported)."""

    section: str
    number: str
    title: str
    unit: str
    duty: Duty
    report: Reported | None

    @property
    def counts(self) -> bool:
        return self.report is not None and self.report.state in SUBMITTED


def list_compilation(session: Session, plan: Plan, period: Period) -> list[CompilationRow]:
    """Every obligation of the period by task and unit (lead first), with its report: one query."""
    rows = owed(period_ids=[period.id], plan_id=plan.id).subquery()
    query = (select(Section.title, Task.number, Task.title, Unit.name, rows.c.duty, rows.c.report_id, *REPORTED)
             .select_from(rows)
             .join(Task, Task.id == rows.c.task_id).join(Section, Section.id == Task.section_id)
             .join(Unit, Unit.id == rows.c.unit_id)
             .outerjoin(Report, Report.id == rows.c.report_id)
             .order_by(Task.position, case((rows.c.duty == Duty.LEAD, 0), else_=1), Unit.name))
    return [CompilationRow(section, number, title, unit, Duty(duty) if not isinstance(duty, Duty) else duty,
                           Reported._make(report) if report_id is not None else None)
            for section, number, title, unit, duty, report_id, *report in session.execute(query)]

