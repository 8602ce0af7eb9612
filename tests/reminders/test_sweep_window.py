"""The sweep reads only the reports whose chase falls in its window (rules.oldest_chase), and reminds
exactly whom and when reading every missing report of every quarter would: several past quarters
overdue, one report extended into the window, one returned into it."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tracker.core.workdays import CHINA
from tracker.db import db
from tracker.plans.models import Assignment, Unit
from tracker.reminders import queries, rules, services
from tracker.reminders.rules import Cadence
from tracker.reporting.extensions import effective_due_dates, effective_due_on
from tracker.reporting.models import Extension, ExtensionState, Period, Report, Review, State

from .conftest import BASE_URL, at


def _full_decisions(session, today: date, cadence: Cadence) -> set[tuple]:
    """The sweep's rule over every missing report of every quarter due by now (what it read before)."""
    periods = {p.id: p for p in session.scalars(select(Period))
               if today >= CHINA.subtract_workdays(p.due_on, cadence.before_workdays)}
    extended = effective_due_dates(session, period_ids=sorted(periods))
    returned = queries.list_returned_on(session, sorted(periods))
    out = set()
    for row in queries.list_unsubmitted(session, sorted(periods)):
        key = (row.period_id, row.task_id, row.unit_id)
        due = effective_due_on(periods[row.period_id].due_on, extended.get(key))
        returned_on = returned[key].astimezone(at(today).tzinfo).date() if key in returned else None
        chase_from, notice = (returned_on, False) if returned_on and returned_on > due else (due, True)
        decision = rules.decide(chase_from, today, cadence, CHINA, notice=notice)
        if decision is not None:
            out.add((row.unit_id, row.period_id, decision.kind, decision.step, chase_from))
    return out


def _swept(session, today: date, cadence: Cadence) -> set[tuple]:
    decided = services.sweep(session, today=today, now=at(today), cadence=cadence, base_url=BASE_URL)
    found = {(r.unit_id, r.period_id, r.kind, r.step, r.chase_from) for r in decided.reminders}
    session.rollback()   # each day on its own: every decision of the day comes back, none is kept
    return found


def _late_obligations(app, plan):
    """市发改委: a 2024Q1 report extended to 2024-10-25; 市林业局: a 2024Q2 report returned on 2024-10-18."""
    with app.app_context():
        periods = {p.key: p for p in db.session.scalars(select(Period).where(Period.plan_id == plan))}
        fgw = db.session.scalar(select(Unit).where(Unit.name == "市发展和改革委员会"))
        lyj = db.session.scalar(select(Unit).where(Unit.name == "市林业局"))
        first = db.session.scalars(select(Assignment).where(Assignment.unit_id == fgw.id).order_by(Assignment.id)).first()
        db.session.add(Extension(task_id=first.task_id, unit_id=fgw.id, period_id=periods["2024Q1"].id,
                                 due_on=date(2024, 10, 25), reason="x", state=ExtensionState.APPROVED,
                                 asked_at=datetime(2024, 4, 8, tzinfo=UTC)))
        other = db.session.scalars(select(Assignment).where(Assignment.unit_id == lyj.id).order_by(Assignment.id)).first()
        report = Report(task_id=other.task_id, unit_id=lyj.id, period_id=periods["2024Q2"].id, duty=other.duty,
                        state=State.RETURNED, submitted_on=date(2024, 7, 10),
                        submitted_at=datetime(2024, 7, 10, tzinfo=UTC), updated_at=datetime(2024, 10, 18, tzinfo=UTC))
        db.session.add(report)
        db.session.flush()
        db.session.add(Review(report_id=report.id, decision="return", comment="请补充",
                              reviewed_at=datetime(2024, 10, 18, 2, tzinfo=UTC)))
        db.session.commit()
        return (fgw.id, periods["2024Q1"].id), (lyj.id, periods["2024Q2"].id)


def test_the_narrowed_sweep_reminds_the_same_units_on_the_same_days_as_reading_every_quarter(app, plan, addressed):
    extended, returned = _late_obligations(app, plan)
    cadence = Cadence()
    seen = set()
    with app.app_context():
        # The notice, each overdue step, the extended report's notice and chase, the return's chase,
        # the escalation and its catch-up's end, and a day after the window has closed for 2024Q3.
        for day in (date(2024, 10, 9), date(2024, 10, 14), date(2024, 10, 21), date(2024, 10, 22),
                    date(2024, 10, 28), date(2024, 11, 1), date(2024, 11, 4), date(2024, 11, 11),
                    date(2024, 11, 25), date(2024, 11, 26), date(2024, 12, 20)):
            assert CHINA.is_workday(day)
            expected = _full_decisions(db.session, day, cadence)
            assert _swept(db.session, day, cadence) == expected, day
            seen |= {(unit, period) for unit, period, *_ in expected}
        # The comparison covered the reports the window must not lose: one extended, one returned late.
        assert extended in seen and returned in seen


def test_the_sweep_reads_only_the_quarters_in_its_window(app, plan, addressed):
    _late_obligations(app, plan)
    today = date(2024, 10, 28)
    since = rules.oldest_chase(today, Cadence(), CHINA)
    with app.app_context():
        periods = list(db.session.scalars(select(Period).where(Period.plan_id == plan, Period.due_on <= today)))
        full = queries.list_unsubmitted(db.session, [p.id for p in periods])
        narrowed = queries.list_chased(db.session, periods, since=since, since_at=at(since, 0))
        by_id = {p.id: p for p in periods}
        assert {by_id[r.period_id].key for r in narrowed} == {"2024Q1", "2024Q2", "2024Q3"}
        # Of the older quarters only the extended and the returned report are read.
        assert len([r for r in narrowed if by_id[r.period_id].key != "2024Q3"]) == 2
        assert len(narrowed) < len(full)
        assert set(narrowed) <= set(full)


def test_no_report_chased_before_the_window_is_reminded_on_any_day():
    cadence = Cadence()
    for today in (date(2024, 10, 8), date(2024, 11, 4), date(2025, 2, 5), date(2025, 10, 9)):   # after holidays too
        if not CHINA.is_workday(today):
            continue
        since = rules.oldest_chase(today, cadence, CHINA)
        assert rules.decide(since, today, cadence, CHINA) is not None
        assert all(rules.decide(since - timedelta(days=back), today, cadence, CHINA) is None for back in range(1, 60))
