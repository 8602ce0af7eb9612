"""The demo's history is written through the services: real versions, reviews, returns, audit entries."""
from __future__ import annotations

import copy
from datetime import date

from sqlalchemy import func, select

from tracker.core.audit import AuditEntry
from tracker.reporting import demo
from tracker.reporting.models import Report, ReportVersion, Review, State

TODAY = date(2024, 11, 20)


def test_the_demo_history_has_versions_returns_and_late_reports(app, seed_data):
    from tracker.db import db
    from tracker.plans.cli import seed_plan

    small = copy.deepcopy(seed_data)
    small["tasks"] = [t for t in small["tasks"] if t["number"] in {"9", "10", "11", "27", "36", "37"}]
    with app.app_context():
        plan, _ = seed_plan(small)
        plan.first_owed_period = "2023Q1"
        created = demo.fill(db.session, plan, today=TODAY)
        db.session.commit()
        session = db.session
        assert created == session.scalar(select(func.count(Report.id))) > 50
        states = dict(session.execute(select(Report.state, func.count()).group_by(Report.state)).all())
        assert states[State.ACCEPTED] and states[State.SUBMITTED] and states[State.DRAFT]
        actions = dict(session.execute(select(ReportVersion.action, func.count()).group_by(ReportVersion.action)).all())
        assert actions["return"] >= 1 and actions["submit"] > actions["return"]
        assert session.scalar(select(func.count(Review.id)).where(Review.decision == "return")) == actions["return"]
        submitted = session.scalars(select(Report).where(Report.submitted_on.is_not(None))).all()
        assert all(r.is_late == (r.versions[1].saved_at.date() > r.period.due_on) for r in submitted)
        audited = session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.object_type == "Report"))
        assert audited == sum(actions.values())
        # Drafts only in the quarter in progress; nothing in a quarter that has not started.
        drafts = session.scalars(select(Report).where(Report.state == State.DRAFT)).all()
        assert {r.period.key for r in drafts} == {"2024Q4"}
