"""Reads for review, escalations and one unit's record: each page in a fixed number of queries
(the unit record: one tally per quarter of the plan, from the one definition in compliance.py)."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.accounts.models import User
from tracker.plans.models import Assignment, Duty, Plan, Section, Task, Unit, current_assignment
from tracker.reporting.compliance import ZERO, Tally, tally_by_unit
from tracker.reporting.models import Evidence, Period, Report, State
from tracker.reporting.obligations import owed
from tracker.supervision.models import Escalation, EscalationResponse, EscalationUnit, Flag


def list_review_queue(session: Session, plan_id: int, period_id: int, *, state: State = State.SUBMITTED) -> list[Report]:
    """Reports of the period awaiting review (or in `state`), by task then unit."""
    return list(session.scalars(
        select(Report).join(Task, Task.id == Report.task_id).join(Unit, Unit.id == Report.unit_id)
        .where(Task.plan_id == plan_id, Report.period_id == period_id, Report.state == state)
        .order_by(Task.position, Report.duty, Unit.name)
        .options(joinedload(Report.task), joinedload(Report.unit))
    ))


@dataclass(frozen=True)
class QueueRow:
    """A report in the review queue, and how many days it has waited since it was submitted."""

    report: Report
    waiting_days: int | None
    evidence_count: int


def _queue_query(plan_id: int, *, state: State, period_key: str | None, section_key: str | None,
                 unit_id: int | None, task_ids: Collection[int] | None, columns=(Report,)):
    # The plan as an IN list, not a join: the planner then starts from the (state, submitted_at) index.
    query = (select(*columns).select_from(Report)
             .where(Report.task_id.in_(select(Task.id).where(Task.plan_id == plan_id)), Report.state == state))
    if period_key:
        query = query.where(Report.period_id.in_(select(Period.id).where(Period.plan_id == plan_id,
                                                                         Period.key == period_key)))
    if section_key:
        query = query.where(Report.task_id.in_(select(Task.id).join(Section, Section.id == Task.section_id)
                                               .where(Section.plan_id == plan_id, Section.key == section_key)))
    if unit_id is not None:
        query = query.where(Report.unit_id == unit_id)
    if task_ids is not None:
        query = query.where(Report.task_id.in_(list(task_ids)))
    return query


QUEUE_ORDER = (Report.submitted_at, Report.id)   # the longest waiting first


def page_review_queue(session: Session, plan_id: int, *, state: State = State.SUBMITTED, period_key: str | None = None,
                      section_key: str | None = None, unit_id: int | None = None,
                      task_ids: Collection[int] | None = None, today: date, page: int = 1,
                      per_page: int = 100) -> tuple[list[QueueRow], int]:
    """One page of the filtered queue, longest waiting first, and the total: four queries."""
    filters = dict(state=state, period_key=period_key, section_key=section_key, unit_id=unit_id, task_ids=task_ids)
    total = session.scalar(_queue_query(plan_id, **filters, columns=(func.count(Report.id),)))
    ids = list(session.scalars(_queue_query(plan_id, **filters, columns=(Report.id,)).order_by(*QUEUE_ORDER)
                               .offset((page - 1) * per_page).limit(per_page)))   # the page's ids off the index
    found = {r.id: r for r in session.scalars(select(Report).where(Report.id.in_(ids)).options(
        joinedload(Report.task), joinedload(Report.period), joinedload(Report.unit)))} if ids else {}
    reports = [found[i] for i in ids]
    counts = dict(session.execute(select(Evidence.report_id, func.count()).where(
        Evidence.report_id.in_([r.id for r in reports]), Evidence.removed_at.is_(None)).group_by(Evidence.report_id)).all()) if reports else {}
    rows = [QueueRow(r, (today - r.submitted_on).days if r.submitted_on else None, counts.get(r.id, 0))
            for r in reports]
    return rows, total


def get_next_in_queue(session: Session, plan_id: int, after: Report, *, state: State = State.SUBMITTED,
                      period_key: str | None = None, section_key: str | None = None, unit_id: int | None = None,
                      task_ids: Collection[int] | None = None) -> int | None:
    """The id of the report after `after` in the same filtered queue (wrapping to its start), or None."""
    query = _queue_query(plan_id, state=state, period_key=period_key, section_key=section_key, unit_id=unit_id,
                         task_ids=task_ids, columns=(Report.id,)).where(Report.id != after.id)
    if after.submitted_at is None:
        return session.scalar(query.order_by(*QUEUE_ORDER).limit(1))
    later = or_(Report.submitted_at > after.submitted_at,
                and_(Report.submitted_at == after.submitted_at, Report.id > after.id))
    return session.scalar(query.order_by(case((later, 0), else_=1), *QUEUE_ORDER).limit(1))   # one query


def get_reports(session: Session, report_ids: Collection[int], plan_id: int | None = None) -> list[Report]:
    """The reports with these ids (of the plan, if given), for a batch decision: one query."""
    query = select(Report).where(Report.id.in_(list(report_ids))).order_by(Report.id)
    if plan_id is not None:
        query = query.join(Task, Task.id == Report.task_id).where(Task.plan_id == plan_id)
    return list(session.scalars(query.options(joinedload(Report.period))))


def get_report(session: Session, report_id: int) -> Report | None:
    """A report with its task, unit, period, versions, reviews and evidence."""
    return session.scalar(
        select(Report).where(Report.id == report_id)
        .options(joinedload(Report.task).joinedload(Task.plan), joinedload(Report.unit), joinedload(Report.period),
                 selectinload(Report.versions), selectinload(Report.reviews), selectinload(Report.evidence))
    )


def user_labels(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u.label for u in session.scalars(select(User).where(User.id.in_(ids)))}


def list_other_reports(session: Session, report: Report) -> list[Report]:
    """The task's other units' reports for the same quarter (context for the reviewer)."""
    return list(session.scalars(
        select(Report).where(Report.task_id == report.task_id, Report.period_id == report.period_id,
                             Report.id != report.id)
        .order_by(Report.duty, Report.unit_id).options(joinedload(Report.unit))
    ))


@dataclass(frozen=True)
class PeriodRecord:
    period: Period
    tally: Tally
    due: bool                       # the due date has passed


@dataclass(frozen=True)
class Gap:
    """An obligation of the unit not met on time: missing, returned, or submitted late."""

    period_key: str
    task: Task
    duty: Duty
    state: State | None
    is_late: bool


def list_unit_record(session: Session, plan: Plan, unit_id: int, *, today: date) -> list[PeriodRecord]:
    """The unit's owed / submitted / late / missing for every quarter started so far, newest first."""
    query = select(Period).where(Period.plan_id == plan.id, Period.starts_on <= today).order_by(Period.key.desc())
    if plan.first_owed_period:
        query = query.where(Period.key >= plan.first_owed_period)
    out = []
    for period in session.scalars(query).all():
        mine = [r.tally for r in tally_by_unit(session, period.id, plan_id=plan.id) if r.unit_id == unit_id]
        out.append(PeriodRecord(period, mine[0] if mine else ZERO, period.due_on < today))
    return out


def list_unit_gaps(session: Session, plan: Plan, unit_id: int, *, today: date) -> list[Gap]:
    """The unit's overdue, returned and late reports, newest quarter first: two queries."""
    rows = owed(unit_id=unit_id, plan_id=plan.id).subquery()
    query = (select(Period.key, rows.c.task_id, rows.c.duty, rows.c.state, rows.c.is_late)
             .join(Period, Period.id == rows.c.period_id).where(Period.due_on < today)
             .order_by(Period.key.desc(), rows.c.task_id))
    found = [r for r in session.execute(query) if not (r.state and r.state.counts_as_submitted) or r.is_late]
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_({r.task_id for r in found})))} \
        if found else {}
    return [Gap(key, tasks[task_id], duty, state, bool(is_late)) for key, task_id, duty, state, is_late in found]


def list_escalations(session: Session, plan_id: int, *, open_only: bool = True) -> list[Escalation]:
    query = (select(Escalation).join(Task, Task.id == Escalation.task_id).where(Task.plan_id == plan_id)
             .order_by(Escalation.closed_at.is_not(None), Escalation.respond_by, Escalation.id)
             .options(joinedload(Escalation.task), selectinload(Escalation.responses)
                      .joinedload(EscalationResponse.unit), selectinload(Escalation.units)
                      .joinedload(EscalationUnit.unit)))
    if open_only:
        query = query.where(Escalation.closed_at.is_(None))
    return list(session.scalars(query).unique())


@dataclass(frozen=True)
class TaskMarks:
    escalations: list[Escalation]          # open first, then closed, newest first
    flag: Flag | None                      # the active flag
    lead_unit_ids: set[int]


def get_task_marks(session: Session, task: Task) -> TaskMarks:
    escalations = list(session.scalars(
        select(Escalation).where(Escalation.task_id == task.id)
        .order_by(Escalation.closed_at.is_not(None), Escalation.id.desc())
        .options(selectinload(Escalation.responses).joinedload(EscalationResponse.unit),
                 selectinload(Escalation.units).joinedload(EscalationUnit.unit))
    ).unique())
    flag = session.scalar(select(Flag).where(Flag.task_id == task.id, Flag.cleared_at.is_(None)).limit(1))
    leads = set(session.scalars(select(Assignment.unit_id).where(Assignment.task_id == task.id,
                                                                 Assignment.duty == Duty.LEAD, current_assignment())))
    return TaskMarks(escalations, flag, leads)
