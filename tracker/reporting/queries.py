"""Reads for a unit's pages: its workspace and its quarterly report, each in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.plans.models import Assignment, Duty, Plan, Task, Unit, current_assignment
from tracker.reporting.compliance import Tally, tally_columns, tally_of
from tracker.reporting.models import Evidence, Period, Report, Review, State, counted
from tracker.reporting.obligations import owed
from tracker.reporting.periods import Quarter, reporting_quarter


@dataclass
class Obligation:
    """One report a unit owes for one task and period, and where it stands."""

    task: Task
    duty: Duty
    report_id: int | None
    state: State | None
    is_late: bool
    submitted_on: date | None
    return_comment: str | None = None

    @property
    def is_lead(self) -> bool:
        return self.duty is Duty.LEAD

    @property
    def is_done(self) -> bool:
        return self.state is not None and self.state.counts_as_submitted


@dataclass
class PeriodObligations:
    period: Period
    rows: list[Obligation]
    today: date

    @property
    def days_left(self) -> int:
        """Days until the due date; negative once it has passed."""
        return (self.period.due_on - self.today).days

    @property
    def open_count(self) -> int:
        return sum(1 for row in self.rows if not row.is_done)


@dataclass
class PastPeriod:
    period: Period
    tally: Tally


@dataclass
class Workspace:
    plan: Plan
    tasks: list[tuple[Task, Duty]]
    current: PeriodObligations | None
    upcoming: PeriodObligations | None
    past: list[PastPeriod]


def task_duties(session: Session, task_id: int) -> dict[int, Duty]:
    """{unit_id: Duty} of a task's responsible units: what can_read_report needs."""
    return dict(session.execute(select(Assignment.unit_id, Assignment.duty).where(Assignment.task_id == task_id,
                                                                                     current_assignment())).all())


def get_period(session: Session, plan_id: int, key: str) -> Period | None:
    """The plan's quarter named by `key` ("2024Q3", in any case); None for a bad or unknown key."""
    try:
        key = Quarter.parse(key).key
    except ValueError:
        return None
    return session.scalar(select(Period).where(Period.plan_id == plan_id, Period.key == key))


def get_current_period(session: Session, plan_id: int, *, today: date) -> Period | None:
    """The period reported on today (the last quarter that has ended), if the plan has it."""
    return get_period(session, plan_id, reporting_quarter(today).key)


def get_workspace(session: Session, plan: Plan, unit_id: int, *, today: date) -> Workspace:
    """The unit's tasks, this reporting period, the quarter in progress and past periods: 5 queries."""
    tasks = session.execute(
        select(Task, Assignment.duty).join(Assignment, Assignment.task_id == Task.id)
        .where(Task.plan_id == plan.id, Assignment.unit_id == unit_id, current_assignment()).order_by(Task.position)
    ).all()
    periods = {p.key: p for p in session.scalars(select(Period).where(Period.plan_id == plan.id))}
    current = periods.get(reporting_quarter(today).key)
    upcoming = periods.get(Quarter.containing(today).key)
    shown = [p for p in (current, upcoming) if p is not None]
    by_period = _obligations(session, plan.id, unit_id, [p.id for p in shown])
    return Workspace(
        plan=plan,
        tasks=[(task, duty) for task, duty in tasks],
        current=PeriodObligations(current, by_period.get(current.id, []), today) if current else None,
        upcoming=PeriodObligations(upcoming, by_period.get(upcoming.id, []), today) if upcoming else None,
        past=_past(session, plan.id, unit_id, periods, today),
    )


def _obligations(session: Session, plan_id: int, unit_id: int, period_ids: list[int]) -> dict[int, list[Obligation]]:
    rows = owed(period_ids=period_ids, unit_id=unit_id, plan_id=plan_id).subquery()
    result = session.execute(
        select(Task, rows.c.period_id, rows.c.duty, rows.c.report_id, rows.c.state, rows.c.is_late,
               rows.c.submitted_on)
        .join(rows, rows.c.task_id == Task.id).order_by(Task.position)
    ).all()
    out: dict[int, list[Obligation]] = {}
    for task, period_id, duty, report_id, state, is_late, submitted_on in result:
        out.setdefault(period_id, []).append(Obligation(task, _enum(Duty, duty), report_id, _enum(State, state),
                                                        bool(is_late), submitted_on))
    comments = latest_return_comments(session, [o.report_id for rows in out.values() for o in rows if o.report_id])
    for row in (o for rows in out.values() for o in rows):
        if row.state is State.RETURNED:
            row.return_comment = comments.get(row.report_id)
    return out


def _past(session: Session, plan_id: int, unit_id: int, periods: dict[str, Period], today: date) -> list[PastPeriod]:
    rows = owed(unit_id=unit_id, plan_id=plan_id).subquery()
    figures = session.execute(select(rows.c.period_id, *tally_columns(rows)).group_by(rows.c.period_id)).all()
    by_id = {p.id: p for p in periods.values()}
    past = [PastPeriod(by_id[pid], tally_of(*tally)) for pid, *tally in figures if by_id[pid].ends_on < today]
    return sorted(past, key=lambda row: row.period.key, reverse=True)


def latest_return_comments(session: Session, report_ids: list[int]) -> dict[int, str]:
    """The office's latest 退回 comment for each report: one query, even for none."""
    rows = session.execute(select(Review.report_id, Review.comment)
                           .where(Review.report_id.in_(report_ids), Review.decision == "return")
                           .order_by(Review.id)).all()
    return {report_id: comment for report_id, comment in rows}


def latest_returns(session: Session, report_ids: list[int]) -> dict[int, tuple[str, datetime]]:
    """The office's latest 退回 (comment, time) for each report: one query, even for none."""
    rows = session.execute(select(Review.report_id, Review.comment, Review.reviewed_at)
                           .where(Review.report_id.in_(report_ids), Review.decision == "return")
                           .order_by(Review.id)).all()
    return {report_id: (comment, at) for report_id, comment, at in rows}


def get_previous_report(session: Session, period: Period, unit_id: int, task_id: int) -> Report | None:
    """The unit's report on the task for the latest earlier quarter that has one (for a prefill)."""
    return session.scalar(select(Report).join(Period, Period.id == Report.period_id)
                          .where(Report.unit_id == unit_id, Report.task_id == task_id,
                                 Period.plan_id == period.plan_id, Period.key < period.key)
                          .order_by(Period.key.desc()).limit(1))


@dataclass
class CoReport:
    """A co-unit's part of a task the viewer leads: its report once submitted, else None."""

    unit: Unit
    report: Report | None


@dataclass
class SheetRow:
    task: Task
    duty: Duty
    report: Report | None
    evidence: list[Evidence] = field(default_factory=list)
    return_comment: str | None = None
    co_reports: list[CoReport] = field(default_factory=list)
    returned_at: datetime | None = None  # when the office last returned it

    @property
    def is_lead(self) -> bool:
        return self.duty is Duty.LEAD

    @property
    def is_editable(self) -> bool:
        return self.report is None or self.report.state in (State.DRAFT, State.RETURNED)


@dataclass
class Sheet:
    """One unit's quarterly report: every task it owes for the period."""

    plan: Plan
    period: Period
    unit_id: int
    rows: list[SheetRow]
    evidence: dict[int, list[Evidence]]

    @property
    def open_count(self) -> int:
        """Tasks whose report is not in yet (missing, draft or returned)."""
        return sum(1 for row in self.rows if row.report is None or not row.report.state.counts_as_submitted)

    def row(self, task_id: int) -> SheetRow | None:
        return next((row for row in self.rows if row.task.id == task_id), None)


def get_sheet(session: Session, plan: Plan, period: Period, unit_id: int) -> Sheet:
    """The unit's rows for the period with its reports, evidence, return comments and, for
    the tasks it leads, the co-units' submitted reports: 6 queries whatever the task count."""
    rows_q = owed(period_ids=[period.id], unit_id=unit_id, plan_id=plan.id).subquery()
    owed_rows = session.execute(select(Task, rows_q.c.duty).join(rows_q, rows_q.c.task_id == Task.id)
                                .options(joinedload(Task.section)).order_by(Task.position)).all()
    task_ids = [task.id for task, _ in owed_rows]
    lead_ids = [task.id for task, duty in owed_rows if _enum(Duty, duty) is Duty.LEAD]
    own = {r.task_id: r for r in session.scalars(select(Report).where(Report.period_id == period.id,
                                                                      Report.unit_id == unit_id,
                                                                      Report.task_id.in_(task_ids)))}
    co_units = session.execute(
        select(Assignment.task_id, Unit).join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.task_id.in_(lead_ids), Assignment.unit_id != unit_id, current_assignment())
        .order_by(Assignment.position, Unit.name)
    ).all()
    co_reports = {(r.task_id, r.unit_id): r for r in session.scalars(
        select(Report).where(Report.period_id == period.id, Report.task_id.in_(lead_ids), Report.unit_id != unit_id,
                             counted(Report.state)))}
    report_ids = [r.id for r in own.values()] + [r.id for r in co_reports.values()]
    evidence: dict[int, list[Evidence]] = {}
    for item in session.scalars(select(Evidence).where(Evidence.report_id.in_(report_ids), Evidence.removed_at.is_(None))
                                  .order_by(Evidence.id)):
        evidence.setdefault(item.report_id, []).append(item)
    returns = latest_returns(session, [r.id for r in own.values() if r.state is State.RETURNED])
    co_by_task: dict[int, list[Unit]] = {}
    for task_id, unit in co_units:
        co_by_task.setdefault(task_id, []).append(unit)
    sheet_rows = []
    for task, duty in owed_rows:
        report = own.get(task.id)
        sheet_rows.append(SheetRow(
            task=task, duty=_enum(Duty, duty), report=report,
            evidence=evidence.get(report.id, []) if report else [],
            return_comment=returns[report.id][0] if report and report.id in returns else None,
            returned_at=returns[report.id][1] if report and report.id in returns else None,
            co_reports=[CoReport(unit, co_reports.get((task.id, unit.id))) for unit in co_by_task.get(task.id, ())],
        ))
    return Sheet(plan=plan, period=period, unit_id=unit_id, rows=sheet_rows, evidence=evidence)


def _enum(kind, value):
    """Column values from a subquery may come back as plain strings."""
    if value is None or isinstance(value, kind):
        return value
    return kind(value)
