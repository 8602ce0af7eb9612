"""考核 reads and the rule set's write: each unit's events in a scope (quarter, half-year, year or
date range, see bulletin.parse_scope) and the score they give under the office's point rules."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Invalid
from tracker.plans.models import Assignment, Duty, Plan, Task, Unit
from tracker.reporting.models import Period, Report, Review, State
from tracker.reporting.obligations import owed
from tracker.supervision.bulletin import Scope
from tracker.supervision.light_rules import Colour
from tracker.supervision.models import Escalation, EscalationResponse, ScoreRuleSet
from tracker.supervision.queries import list_lights
from tracker.supervision.score_rules import Event, ScoreRules, UnitScore, parse_score_rules, score_units

ROW = 1


def current_score_rules(session: Session) -> ScoreRules:
    row = session.get(ScoreRuleSet, ROW)
    if row is None:
        return ScoreRules()
    try:
        return parse_score_rules(row.values)
    except Invalid:
        return ScoreRules()


def save_score_rules(session: Session, rules: ScoreRules, *, actor, now: datetime) -> ScoreRules:
    """Stores the office's point rules (audited); scores are computed from them on every read."""
    old = current_score_rules(session)
    row = session.get(ScoreRuleSet, ROW) or ScoreRuleSet(id=ROW, values={}, updated_at=now)
    session.add(row)
    row.values, row.updated_at, row.updated_by_id = rules.as_dict(), now, getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor=actor, action="score_rules.save", object_type="ScoreRuleSet", object_id=ROW,
                 old=old.as_dict(), new=rules.as_dict(), at=now)
    return rules


def list_scores(session: Session, plan: Plan, scope: Scope, *, today: date,
                rules: ScoreRules | None = None) -> list[UnitScore]:
    """Every unit that owes reports in the scope, ranked: five queries."""
    rules = rules or current_score_rules(session)
    events, units = list_events(session, plan, scope, today=today, rules=rules)
    return score_units(units, events, rules)


def list_events(session: Session, plan: Plan, scope: Scope, *, today: date,
                rules: ScoreRules) -> tuple[list[Event], dict[int, str]]:
    periods = {p.id: p for p in scope.periods}
    rows = owed(period_ids=list(periods), plan_id=plan.id).subquery()
    query = (select(rows.c.period_id, rows.c.unit_id, Unit.name, Task.number, rows.c.report_id, rows.c.state,
                    rows.c.is_late, Report.progress)
             .join(Unit, Unit.id == rows.c.unit_id).join(Task, Task.id == rows.c.task_id)
             .outerjoin(Report, Report.id == rows.c.report_id).order_by(Task.position, Unit.name))
    events: list[Event] = []
    units: dict[int, str] = {}
    for period_id, unit_id, name, number, report_id, state, is_late, progress in session.execute(query):
        units[unit_id] = name
        period = periods[period_id]
        counted = state is not None and State(state).counts_as_submitted
        if not counted and period.due_on < today:
            events.append(Event("missing", unit_id, name, number, period.key, report_id))
        if counted and is_late:
            events.append(Event("late", unit_id, name, number, period.key, report_id))
        if counted and len((progress or "").strip()) < rules.empty_below:
            events.append(Event("empty", unit_id, name, number, period.key, report_id))
    returns = (select(Report.id, Report.unit_id, Unit.name, Task.number, Period.key)
               .join(Review, Review.report_id == Report.id).join(Unit, Unit.id == Report.unit_id)
               .join(Task, Task.id == Report.task_id).join(Period, Period.id == Report.period_id)
               .where(Task.plan_id == plan.id, Report.period_id.in_(list(periods)), Review.decision == "return")
               .order_by(Review.id))
    events += [Event("returned", unit_id, name, number, key, report_id)
               for report_id, unit_id, name, number, key in session.execute(returns)]
    leads = (select(Task.id, Task.number, Unit.id, Unit.name).join(Assignment, Assignment.task_id == Task.id)
             .join(Unit, Unit.id == Assignment.unit_id).where(Task.plan_id == plan.id, Assignment.duty == Duty.LEAD)
             .order_by(Task.position))
    lead_rows = session.execute(leads).all()
    lights = list_lights(session, plan.id, today=today)
    events += [Event("red_light", unit_id, name, number, scope.last.key, task_id)
               for task_id, number, unit_id, name in lead_rows
               if task_id in lights and lights[task_id].colour is Colour.RED]
    answered = exists().where(EscalationResponse.escalation_id == Escalation.id,
                              EscalationResponse.responded_on <= Escalation.respond_by)
    ignored = (select(Escalation.id, Escalation.task_id, Escalation.respond_by)
               .join(Task, Task.id == Escalation.task_id)
               .where(Task.plan_id == plan.id, Escalation.respond_by < today, ~answered,
                      Escalation.respond_by >= scope.periods[0].starts_on,
                      Escalation.respond_by <= max(p.due_on for p in scope.periods)))
    by_task: dict[int, list] = {}
    for task_id, number, unit_id, name in lead_rows:
        by_task.setdefault(task_id, []).append((number, unit_id, name))
    for escalation_id, task_id, respond_by in session.execute(ignored):
        for number, unit_id, name in by_task.get(task_id, []):
            events.append(Event("escalation_ignored", unit_id, name, number, respond_by.isoformat(), escalation_id))
    for event in events:
        units.setdefault(event.unit_id, event.unit)
    return events, units

