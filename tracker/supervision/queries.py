"""Reads behind every light: each task's facts from a few aggregate queries, never one per task.

`list_lights` and `list_lagging` are the supervision contract (see CONTRACTS.md): the
reminders, the API and the dashboard all light tasks through them.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.plans.models import Assignment, Duty, Plan, Section, Task, Unit, current_assignment
from tracker.reporting.extensions import effective_due_on, extended_due_dates
from tracker.reporting.models import COUNTED as SUBMITTED  # the one definition of 已报
from tracker.reporting.models import Period, Report, State, StatusUpdate
from tracker.reporting.obligations import owed
from tracker.reporting.periods import Quarter
from tracker.supervision import (
    freshness,  # noqa: F401  (its listeners name the tasks each write touches)
    tally_store,  # noqa: F401  (its listeners keep the 应报/已报/迟报 rows current)
)
from tracker.supervision.lights import (
    Colour,
    EscalationFact,
    FlagFact,
    LeadReport,
    Light,
    LightRules,
    MilestoneFact,
    Missing,
    ReturnedFact,
    TaskFacts,
    light,
)
from tracker.supervision.models import Escalation, EscalationResponse, Flag, Milestone, MilestoneState

BEHIND_ORDER = {"lagging": 0, "not_started": 1, "on_track": 2, "done": 3}


@dataclass(frozen=True)
class Evaluated:
    """A task's facts and the light they give."""

    facts: TaskFacts
    light: Light

    @property
    def percent(self) -> int | None:
        """The lowest percent among the lead units' latest reports (None before any)."""
        values = [lead.percent for lead in self.facts.leads if lead.percent is not None]
        return min(values) if values else None

    @property
    def behind_lead(self) -> LeadReport | None:
        """With several leads the task shows the most behind one: 滞后 before 未启动 before 推进中
        before 已完成, then the lower percent, then the older report."""
        return min(self.facts.leads, default=None, key=lambda lead: (
            BEHIND_ORDER.get(lead.status, len(BEHIND_ORDER)), lead.percent if lead.percent is not None else 101,
            lead.period))


@dataclass(frozen=True)
class LaggingRow:
    task: Task
    light: Light
    lead: Unit | None
    days_overdue: int


def list_lights(session: Session, plan_id: int, *, today: date, rules: LightRules | None = None) -> dict[int, Light]:
    """task_id → Light for every task of the plan, in a fixed number of queries."""
    return {task_id: e.light for task_id, e in evaluate(session, plan_id, today=today, rules=rules).items()}


def list_lagging(session: Session, plan_id: int, *, today: date, section_key: str | None = None,
                 unit_id: int | None = None, colour: Colour | None = None, period_key: str | None = None,
                 rules: LightRules | None = None) -> list[LaggingRow]:
    """Red and yellow tasks (or only `colour`), reddest and most overdue first.

    `unit_id`: tasks the unit answers for; `period_key`: tasks lit for that quarter's report.
    """
    lights = list_lights(session, plan_id, today=today, rules=rules)
    return page_lagging(session, plan_id, lights, section_key=section_key, unit_id=unit_id, colour=colour,
                        period_key=period_key)[0]


def page_lagging(session: Session, plan_id: int, lights: dict[int, Light], *, section_key: str | None = None,
                 unit_id: int | None = None, colour: Colour | None = None, period_key: str | None = None,
                 offset: int = 0, limit: int | None = None,
                 positions: dict[int, int] | None = None) -> tuple[list[LaggingRow], int]:
    """One page of the lagging list from lights already computed, and how many rows in all.

    Orders the plan's task ids first (one light query), then loads only the page's tasks.
    `positions`: every task's place in the plan, when the caller has read them already (without
    a section or unit filter the candidates are the whole plan, and the query is skipped).
    """
    candidates: Iterable[tuple[int, int]]
    if positions is not None and not section_key and unit_id is None:
        candidates = positions.items()
    else:
        query = select(Task.id, Task.position).where(Task.plan_id == plan_id)
        if section_key:
            query = query.join(Section, Section.id == Task.section_id).where(Section.key == section_key)
        if unit_id is not None:
            query = query.where(exists().where(Assignment.task_id == Task.id, Assignment.unit_id == unit_id,
                                               current_assignment()))
        candidates = [(task_id, position) for task_id, position in session.execute(query)]
    ordered = sorted((*lagging_order(lit, position), task_id) for task_id, position in candidates
                     if (lit := lights.get(task_id)) is not None
                     and is_lagging(lit, colour=colour, period_key=period_key))
    shown = [key[-1] for key in ordered[offset: None if limit is None else offset + limit]]
    if not shown:
        return [], len(ordered)
    tasks = session.scalars(select(Task).where(Task.id.in_(shown))
                            .options(joinedload(Task.section), selectinload(Task.written_units))).unique()
    return _rows(tasks, lights), len(ordered)


LAGGING = frozenset({Colour.RED, Colour.YELLOW})
_RANK = {colour: colour.rank for colour in Colour}


def lagging_order(lit: Light, position: int) -> tuple[int, int, int]:
    """The lagging list's order, everywhere it is listed: reddest first, then the most overdue,
    then the plan's order (callers that page add the task id, so no two rows tie)."""
    return _RANK[lit.colour], -lit.days_overdue, position


def is_lagging(lit: Light, *, colour: Colour | None = None, period_key: str | None = None) -> bool:
    """Red or yellow (or the one colour asked for), lit for `period_key`'s report if given."""
    return ((lit.colour is colour) if colour else (lit.colour in LAGGING)) \
        and (not period_key or any(period_key in r.periods for r in lit.reasons))


def _rows(tasks, lights: dict[int, Light]) -> list[LaggingRow]:
    """Rows for tasks already loaded (with section and written units), in the lagging list's order."""
    rows = [LaggingRow(task, lights[task.id], task.written_units[0].unit if task.written_units else None,
                       lights[task.id].days_overdue)
            for task in tasks]
    rows.sort(key=lambda r: (*lagging_order(r.light, r.task.position), r.task.id))
    return rows


def evaluate(session: Session, plan_id: int, *, today: date, rules: LightRules | None = None,
             task_ids: list[int] | None = None) -> dict[int, Evaluated]:
    """Facts and light of every task of the plan (or of `task_ids`): a fixed number of queries whatever the size.

    Read from the lights every write keeps current (light_store.py); only rows that do not hold
    on `today` or for `rules` are recomputed, with the same rules as `_evaluate`.
    """
    from tracker.supervision import light_store  # it builds on this module's full recompute

    return light_store.read(session, plan_id, today=today, rules=rules, task_ids=task_ids)


def _evaluate(session: Session, plan_id: int, *, today: date, rules: LightRules,
              task_ids: list[int] | None) -> dict[int, Evaluated]:
    plan = session.get(Plan, plan_id)
    if plan is None:
        return {}
    if plan.archived_on is not None:
        today = min(today, plan.archived_on)  # an archived plan's lights stay as they were that day
    lead_count = (select(func.count(Assignment.id)).where(Assignment.task_id == Task.id, Assignment.duty == Duty.LEAD,
                                                        current_assignment())
                  .correlate(Task).scalar_subquery())
    tasks = select(Task.id, Task.closed_on, lead_count).where(Task.plan_id == plan_id)
    if task_ids is not None:
        tasks = tasks.where(Task.id.in_(task_ids))
    rows = session.execute(tasks).all()
    closed = {task_id: closed_on for task_id, closed_on, _ in rows}
    lead_units = {task_id: count for task_id, _, count in rows}
    leads = _lead_reports(session, plan_id, task_ids)
    missing = _missing(session, plan, today=today, rules=rules, task_ids=task_ids)
    flags = _flags(session, plan_id, task_ids)
    escalations = _escalations(session, plan_id, task_ids)
    milestones = list_milestone_facts(session, plan_id, task_ids)
    returned = _returned(session, plan_id, task_ids) if rules.return_is_warning else {}
    starts_on, ends_on = date(plan.start_year, 1, 1), date(plan.end_year, 12, 31)
    out = {}
    for task_id, closed_on in closed.items():
        facts = TaskFacts(plan_starts_on=starts_on, plan_ends_on=ends_on, closed_on=closed_on,
                          leads=tuple(leads.get(task_id, ())), lead_units=lead_units[task_id] or 1,
                          missing=tuple(missing.get(task_id, ())),
                          flags=tuple(flags.get(task_id, ())), escalations=tuple(escalations.get(task_id, ())),
                          milestones=tuple(milestones.get(task_id, ())), returned=tuple(returned.get(task_id, ())))
        out[task_id] = Evaluated(facts, light(facts, rules, today=today))
    return out


def _lead_reports(session: Session, plan_id: int, task_ids: list[int] | None) -> dict[int, list[LeadReport]]:
    """Each lead unit's latest submitted or accepted report, per task: two queries.

    A status update (进展动态) the lead posted after that report was submitted is the task's
    latest status until the next report (it replaces the report's status).
    """
    ranked = (
        select(Report.task_id, Report.unit_id, Report.status, Report.percent, Report.submitted_on,
               Period.key.label("period_key"), Period.ends_on.label("ends_on"),
               func.row_number().over(partition_by=(Report.task_id, Report.unit_id),
                                      order_by=Period.key.desc()).label("rank"))
        .join(Period, Period.id == Report.period_id)
        .join(Task, Task.id == Report.task_id)
        .join(Assignment, (Assignment.task_id == Report.task_id) & (Assignment.unit_id == Report.unit_id)
              & current_assignment())
        .where(Task.plan_id == plan_id, Assignment.duty == Duty.LEAD, Report.state.in_(SUBMITTED))
    )
    if task_ids is not None:
        ranked = ranked.where(Report.task_id.in_(task_ids))
    ranked = ranked.subquery()
    query = (select(ranked.c.task_id, ranked.c.unit_id, Unit.name, ranked.c.period_key, ranked.c.ends_on,
                    ranked.c.status, ranked.c.percent, ranked.c.submitted_on)
             .join(Unit, Unit.id == ranked.c.unit_id).where(ranked.c.rank == 1))
    updates = _latest_status_updates(session, plan_id, task_ids)
    out: dict[int, list[LeadReport]] = defaultdict(list)
    for task_id, unit_id, unit, key, ends_on, status, percent, submitted_on in session.execute(query):
        value = getattr(status, "value", status)
        update = updates.pop((task_id, unit_id), None)
        if update is not None and (submitted_on is None or update[1] >= submitted_on):
            value = update[2]
        out[task_id].append(LeadReport(unit, key, ends_on, value, percent))
    for (task_id, _unit_id), (unit, posted_on, status) in updates.items():  # an update before any report
        quarter = Quarter.containing(posted_on).previous()
        out[task_id].append(LeadReport(unit, quarter.key, quarter.ends_on, status, None))
    return out


def _latest_status_updates(session: Session, plan_id: int,
                           task_ids: list[int] | None) -> dict[tuple[int, int], tuple[str, date, str]]:
    """(task, lead unit) → (unit name, posted_on, status) of the lead's latest status update: one query."""
    ranked = (
        select(StatusUpdate.task_id, StatusUpdate.unit_id, StatusUpdate.posted_on, StatusUpdate.status,
               func.row_number().over(partition_by=(StatusUpdate.task_id, StatusUpdate.unit_id),
                                      order_by=(StatusUpdate.posted_on.desc(), StatusUpdate.id.desc())).label("rank"))
        .join(Task, Task.id == StatusUpdate.task_id)
        .join(Assignment, (Assignment.task_id == StatusUpdate.task_id) & (Assignment.unit_id == StatusUpdate.unit_id)
              & current_assignment())
        .where(Task.plan_id == plan_id, Assignment.duty == Duty.LEAD)
    )
    if task_ids is not None:
        ranked = ranked.where(StatusUpdate.task_id.in_(task_ids))
    ranked = ranked.subquery()
    rows = session.execute(select(ranked.c.task_id, ranked.c.unit_id, Unit.name, ranked.c.posted_on, ranked.c.status)
                           .join(Unit, Unit.id == ranked.c.unit_id).where(ranked.c.rank == 1))
    return {(t, u): (name, posted_on, getattr(status, "value", status)) for t, u, name, posted_on, status in rows}


def overdue_periods(session: Session, plan: Plan, *, today: date, rules: LightRules) -> list[Period]:
    """The owed quarters whose reports are overdue today, newest first."""
    query = select(Period).where(Period.plan_id == plan.id).order_by(Period.key.desc())
    if plan.first_owed_period:
        query = query.where(Period.key >= plan.first_owed_period)
    return [p for p in session.scalars(query) if (today - p.due_on).days > rules.overdue_grace_days]


def _missing(session: Session, plan: Plan, *, today: date, rules: LightRules,
             task_ids: list[int] | None) -> dict[int, list[Missing]]:
    """Units without a submitted report for the latest overdue quarter, with how many quarters
    running: one query for the periods, one for the obligations of the last N of them."""
    periods = overdue_periods(session, plan, today=today, rules=rules)[: rules.missing_quarters_for_red]
    if not periods:
        return {}
    obligations = owed(period_ids=[p.id for p in periods], plan_id=plan.id)
    if task_ids is not None:     # narrowed inside: a few tasks' obligations, not the plan's
        obligations = obligations.where(Assignment.task_id.in_(task_ids))
    rows = obligations.subquery()
    granted = extended_due_dates()
    query = (select(rows.c.task_id, rows.c.unit_id, rows.c.period_id, rows.c.state, Unit.name, granted.c.due_on)
             .join(Unit, Unit.id == rows.c.unit_id)
             .outerjoin(granted, (granted.c.period_id == rows.c.period_id) & (granted.c.task_id == rows.c.task_id)
                        & (granted.c.unit_id == rows.c.unit_id))
             .where(or_(rows.c.state.is_(None), rows.c.state.not_in(SUBMITTED))))
    if task_ids is not None:
        query = query.where(rows.c.task_id.in_(task_ids))
    gaps: dict[tuple[int, int], dict[int, State | None]] = defaultdict(dict)
    names: dict[int, str] = {}
    due = {p.id: p.due_on for p in periods}
    extended: dict[tuple[int, int, int], date] = {}
    for task_id, unit_id, period_id, state, name, extended_to in session.execute(query):
        if extended_to is not None:
            extended[(period_id, task_id, unit_id)] = extended_to
            if (today - effective_due_on(due[period_id], extended_to)).days <= rules.overdue_grace_days:
                continue        # an approved extension: not overdue yet
        gaps[(task_id, unit_id)][period_id] = state
        names[unit_id] = name
    latest = periods[0]
    out: dict[int, list[Missing]] = defaultdict(list)
    for (task_id, unit_id), by_period in sorted(gaps.items()):
        if latest.id not in by_period:
            continue
        run = []
        for period in periods:          # newest first, stop at the first quarter that was reported
            if period.id not in by_period:
                break
            run.append(period.key)
        latest_due = effective_due_on(latest.due_on, extended.get((latest.id, task_id, unit_id)))
        out[task_id].append(Missing(names[unit_id], tuple(reversed(run)), (today - latest_due).days,
                                    returned=by_period[latest.id] == State.RETURNED))
    return out


def _flags(session: Session, plan_id: int, task_ids: list[int] | None) -> dict[int, list[FlagFact]]:
    query = (select(Flag.task_id, Flag.reason).join(Task, Task.id == Flag.task_id)
             .where(Task.plan_id == plan_id, Flag.cleared_at.is_(None)).order_by(Flag.id))
    if task_ids is not None:
        query = query.where(Flag.task_id.in_(task_ids))
    out: dict[int, list[FlagFact]] = defaultdict(list)
    for task_id, reason in session.execute(query):
        out[task_id].append(FlagFact(reason))
    return out


def _escalations(session: Session, plan_id: int, task_ids: list[int] | None) -> dict[int, list[EscalationFact]]:
    answered = exists().where(EscalationResponse.escalation_id == Escalation.id)
    query = (select(Escalation.task_id, Escalation.reason, Escalation.respond_by, answered)
             .join(Task, Task.id == Escalation.task_id)
             .where(Task.plan_id == plan_id, Escalation.closed_at.is_(None)).order_by(Escalation.id))
    if task_ids is not None:
        query = query.where(Escalation.task_id.in_(task_ids))
    out: dict[int, list[EscalationFact]] = defaultdict(list)
    for task_id, reason, respond_by, was_answered in session.execute(query):
        out[task_id].append(EscalationFact(reason, respond_by, bool(was_answered)))
    return out


def list_milestone_facts(session: Session, plan_id: int,
                         task_ids: list[int] | None = None) -> dict[int, list[MilestoneFact]]:
    """The accepted milestones (节点) of each task, by date: one query."""
    query = (select(Milestone.task_id, Milestone.due_on, Milestone.percent, Milestone.what)
             .join(Task, Task.id == Milestone.task_id)
             .where(Task.plan_id == plan_id, Milestone.state == MilestoneState.ACCEPTED)
             .order_by(Milestone.task_id, Milestone.due_on, Milestone.id))
    if task_ids is not None:
        query = query.where(Milestone.task_id.in_(task_ids))
    out: dict[int, list[MilestoneFact]] = defaultdict(list)
    for task_id, due_on, percent, what in session.execute(query):
        out[task_id].append(MilestoneFact(due_on, percent, what or ""))
    return out


def _returned(session: Session, plan_id: int, task_ids: list[int] | None) -> dict[int, list[ReturnedFact]]:
    """Reports returned (退回) and not yet resubmitted: one query."""
    query = (select(Report.task_id, Unit.name, Period.key).join(Unit, Unit.id == Report.unit_id)
             .join(Period, Period.id == Report.period_id).join(Task, Task.id == Report.task_id)
             .where(Task.plan_id == plan_id, Report.state == State.RETURNED).order_by(Period.key))
    if task_ids is not None:
        query = query.where(Report.task_id.in_(task_ids))
    out: dict[int, list[ReturnedFact]] = defaultdict(list)
    for task_id, unit, key in session.execute(query):
        out[task_id].append(ReturnedFact(unit, key))
    return out
