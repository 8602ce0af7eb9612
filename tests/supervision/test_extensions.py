"""延期申请 through the rules that read a due date: asked before the deadline only; an approved extension
moves that unit's due date for that report — the light and lateness (compliance) follow it; a refused
one changes nothing. (Reminders: tests/reminders/test_cadence.py.)"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.core.errors import Conflict, Invalid
from tracker.db import db
from tracker.reporting import extensions
from tracker.reporting.compliance import tally_by_unit
from tracker.reporting.models import ExtensionState, State
from tracker.reporting.services import submit_report
from tracker.supervision import services
from tracker.supervision.queries import evaluate

from .conftest import at

TODAY = date(2024, 11, 20)          # 2024Q3 was due 2024-10-12


@pytest.fixture
def one_missing(app, world, make_user):
    """Task 1 reported in full for 2024Q2 and by its lead for 2024Q3; 乙局's 2024Q3 report is a draft."""
    make_user("office", role="supervisor")
    with app.app_context():
        world.report("1", "甲局", "2024Q2")
        world.report("1", "乙局", "2024Q2", percent=None)
        world.report("1", "甲局", "2024Q3")
        world.report("1", "乙局", "2024Q3", state="draft", percent=None)
        db.session.commit()
    return world


def _light(world, today=TODAY):
    return evaluate(db.session, world.plan_id, today=today, task_ids=[world.task("1").id])[world.task("1").id].light


def _extend(world, due: date, *, approve: bool | None, asked_on: date = date(2024, 10, 10)):
    office = db.session.scalar(select(User).where(User.username == "office"))
    extension = extensions.request_extension(db.session, task=world.task("1"), unit=world.unit("乙局"),
                                             period=world.period("2024Q3"), due_on=due, reason="数据未出",
                                             actor=None, now=at(asked_on), today=asked_on)
    if approve is not None:
        services.decide_extension(db.session, extension, approve=approve, comment="" if approve else "不符合条件",
                                  actor=office, now=at(asked_on))
    db.session.commit()
    return extension


def test_an_extension_asked_after_the_deadline_is_refused_with_a_clear_message(app, one_missing):
    with app.app_context(), pytest.raises(Invalid) as refused:
        _extend(one_missing, date(2024, 11, 30), approve=None, asked_on=date(2024, 10, 13))
    assert "已过截止日期（2024-10-12），不能再申请延期" in str(refused.value)


def test_an_extension_must_ask_for_a_later_date_give_a_reason_and_wait_for_one_decision(app, one_missing):
    with app.app_context():
        with pytest.raises(Invalid):
            _extend(one_missing, date(2024, 10, 12), approve=None)
        extension = _extend(one_missing, date(2024, 11, 30), approve=None)
        with pytest.raises(Conflict):
            _extend(one_missing, date(2024, 12, 5), approve=None)        # one request waits at a time
        office = db.session.scalar(select(User).where(User.username == "office"))
        with pytest.raises(Invalid):
            services.decide_extension(db.session, extension, approve=False, comment="", actor=office, now=at(TODAY))
        assert extension.state is ExtensionState.REQUESTED


@pytest.mark.parametrize("approve, colour", [(None, "yellow"), (False, "yellow"), (True, "green")])
def test_only_an_approved_extension_keeps_the_light_from_turning_for_the_overdue_report(app, one_missing, approve,
                                                                                        colour):
    with app.app_context():
        assert _light(one_missing).colour.value == "yellow"
        _extend(one_missing, date(2024, 11, 30), approve=approve)
        assert _light(one_missing).colour.value == colour
        assert _light(one_missing, today=date(2024, 12, 10)).colour.value == "yellow"   # past the new date


@pytest.mark.parametrize("approve, late", [(False, 1), (True, 0)])
def test_a_report_submitted_by_its_extended_due_date_is_on_time_in_the_compliance_figures(app, one_missing, approve,
                                                                                          late):
    with app.app_context():
        _extend(one_missing, date(2024, 11, 30), approve=approve)
        report = _draft(one_missing)
        submit_report(db.session, report, actor=None, now=at(TODAY), today=TODAY)
        db.session.commit()
        row = next(t for t in tally_by_unit(db.session, one_missing.period("2024Q3").id, plan_id=one_missing.plan_id)
                   if t.unit_name == "乙局")
        assert (row.tally.submitted, row.tally.late) == (1, late)


def _draft(world):
    from tracker.reporting.models import Report

    return db.session.scalar(select(Report).where(Report.unit_id == world.unit("乙局").id,
                                                  Report.task_id == world.task("1").id,
                                                  Report.period_id == world.period("2024Q3").id,
                                                  Report.state == State.DRAFT))
