"""The reporting contract: save, submit, return, accept — and nothing is ever lost."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tracker.accounts.models import Role
from tracker.core.audit import AuditEntry
from tracker.core.errors import Conflict, Invalid, NotAllowed
from tracker.reporting.models import ReportVersion, State
from tracker.reporting.services import ReportInput, accept_report, return_report, save_report, submit_report

from .conftest import CO_FULL, FGW, FULL, LVJ, XCB, ZSCQJ, at

DUE = date(2024, 10, 12)


@pytest.fixture
def clerk(world):
    return world.user("clerk", XCB)


def test_draft_submit_return_resubmit_keeps_every_version(world, clerk):
    task, unit, period = world.task("9"), world.unit(XCB), world.period("2024Q3")
    report, created = save_report(world.session, task=task, unit=unit, period=period, data=FULL, expected_version=0,
                                  actor=clerk, now=at(date(2024, 10, 8)), today=date(2024, 10, 8))
    assert created and report.state is State.DRAFT
    submit_report(world.session, report, actor=clerk, now=at(date(2024, 10, 9)), today=date(2024, 10, 9))
    office = world.user("office", role=Role.SUPERVISOR)
    review = return_report(world.session, report, comment="请补充具体数据。", actor=office, now=at(date(2024, 10, 15)))
    assert report.state is State.RETURNED and review.decision == "return"
    again, created = save_report(world.session, task=task, unit=unit, period=period,
                                 data=replace(FULL, progress="召开推进会 3 次，检查企业 20 家。"),
                                 expected_version=report.version, actor=clerk, now=at(date(2024, 10, 16)),
                                 today=date(2024, 10, 16))
    assert again is report and not created and report.state is State.RETURNED
    submit_report(world.session, report, actor=clerk, now=at(date(2024, 10, 17)), today=date(2024, 10, 17))
    accept_report(world.session, report, actor=office, now=at(date(2024, 10, 18)))
    versions = world.session.scalars(select(ReportVersion).where(ReportVersion.report_id == report.id)
                                     .order_by(ReportVersion.number)).all()
    assert [v.action for v in versions] == ["save", "submit", "return", "save", "submit", "accept"]
    assert versions[0].progress == "召开推进会 2 次。" and versions[3].progress.startswith("召开推进会 3 次")
    assert report.state is State.ACCEPTED and not report.is_late
    actions = world.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "Report")
                                    .order_by(AuditEntry.id)).all()
    assert actions == ["report.create", "report.submit", "report.return", "report.save", "report.submit",
                       "report.accept"]


def test_a_submission_after_the_due_date_is_marked_late_with_its_date(world, clerk):
    report, _ = save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"),
                            data=FULL, expected_version=None, actor=clerk, now=at(date(2024, 10, 20)),
                            today=date(2024, 10, 20))
    submit_report(world.session, report, actor=clerk, now=at(date(2024, 10, 20)), today=date(2024, 10, 20))
    assert report.is_late and report.submitted_on == date(2024, 10, 20)


def test_a_submission_on_the_due_date_is_on_time(world, clerk):
    report, _ = save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"),
                            data=FULL, expected_version=None, actor=clerk, now=at(DUE), today=DUE)
    submit_report(world.session, report, actor=clerk, now=at(DUE), today=DUE)
    assert not report.is_late


def test_a_submitted_report_cannot_be_saved_over(world, clerk):
    kwargs = dict(task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"), actor=clerk,
                  now=at(DUE), today=DUE)
    report, _ = save_report(world.session, data=FULL, expected_version=None, **kwargs)
    submit_report(world.session, report, actor=clerk, now=at(DUE), today=DUE)
    with pytest.raises(Conflict, match="已报送的报告不能修改"):
        save_report(world.session, data=replace(FULL, progress="改写"), expected_version=None, **kwargs)


def test_the_second_of_two_editors_gets_a_conflict(world, clerk):
    kwargs = dict(task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"), actor=clerk,
                  now=at(DUE), today=DUE)
    report, _ = save_report(world.session, data=FULL, expected_version=0, **kwargs)
    loaded = report.version
    save_report(world.session, data=replace(FULL, progress="甲的修改"), expected_version=loaded, **kwargs)
    with pytest.raises(Conflict, match="数据已被他人修改"):
        save_report(world.session, data=replace(FULL, progress="乙的修改"), expected_version=loaded, **kwargs)
    assert report.progress == "甲的修改"


def test_two_editors_creating_the_same_report_conflict(world, clerk):
    kwargs = dict(task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"), actor=clerk,
                  now=at(DUE), today=DUE)
    save_report(world.session, data=FULL, expected_version=0, **kwargs)
    with pytest.raises(Conflict):
        save_report(world.session, data=FULL, expected_version=0, **kwargs)


def test_a_unit_without_an_assignment_cannot_report(world):
    stranger = world.user("stranger", ZSCQJ)
    with pytest.raises(NotAllowed):
        save_report(world.session, task=world.task("9"), unit=world.unit(ZSCQJ), period=world.period("2024Q3"),
                    data=FULL, expected_version=None, actor=stranger, now=at(DUE), today=DUE)


def test_periods_before_the_first_owed_period_cannot_be_reported(world, clerk):
    world.task("9").plan.first_owed_period = "2024Q1"
    with pytest.raises(NotAllowed):
        save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2023Q4"),
                    data=FULL, expected_version=None, actor=clerk, now=at(DUE), today=DUE)


@pytest.mark.parametrize("field, data", [
    ("percent", replace(FULL, percent=101)),
    ("percent", replace(FULL, percent=-1)),
    ("progress", replace(FULL, progress="进" * 2001)),
    ("problems", replace(FULL, problems="问" * 2001)),
    ("next_steps", replace(FULL, next_steps="下" * 2001)),
])
def test_bad_values_are_refused_beside_their_field(world, clerk, field, data):
    with pytest.raises(Invalid) as refused:
        save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"),
                    data=data, expected_version=None, actor=clerk, now=at(DUE), today=DUE)
    assert list(refused.value.fields) == [field]


def test_a_co_unit_reports_no_percent(world):
    co = world.user("co", LVJ)
    with pytest.raises(Invalid) as refused:
        save_report(world.session, task=world.task("9"), unit=world.unit(LVJ), period=world.period("2024Q3"),
                    data=replace(CO_FULL, percent=50), expected_version=None, actor=co, now=at(DUE), today=DUE)
    assert "percent" in refused.value.fields


def test_a_draft_may_be_empty_but_a_submission_needs_the_required_fields(world, clerk):
    report, _ = save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"),
                            data=ReportInput(status=None, percent=None), expected_version=None, actor=clerk,
                            now=at(DUE), today=DUE)
    with pytest.raises(Invalid) as refused:
        submit_report(world.session, report, actor=clerk, now=at(DUE), today=DUE)
    assert set(refused.value.fields) == {"status", "percent", "progress", "next_steps"}
    assert report.state is State.DRAFT


def test_a_co_unit_submits_without_a_percent(world):
    co = world.user("co", FGW)
    report, _ = save_report(world.session, task=world.task("9"), unit=world.unit(FGW), period=world.period("2024Q3"),
                            data=CO_FULL, expected_version=None, actor=co, now=at(DUE), today=DUE)
    assert submit_report(world.session, report, actor=co, now=at(DUE), today=DUE).state is State.SUBMITTED


def test_the_quarter_in_progress_can_only_be_drafted(world, clerk):
    today = date(2024, 11, 20)
    report, _ = save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q4"),
                            data=FULL, expected_version=None, actor=clerk, now=at(today), today=today)
    with pytest.raises(NotAllowed):
        submit_report(world.session, report, actor=clerk, now=at(today), today=today)


def test_a_return_needs_a_comment_and_only_a_submitted_report_is_reviewed(world, clerk):
    report, _ = save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"),
                            data=FULL, expected_version=None, actor=clerk, now=at(DUE), today=DUE)
    with pytest.raises(Conflict):
        accept_report(world.session, report, actor=None, now=at(DUE))
    submit_report(world.session, report, actor=clerk, now=at(DUE), today=DUE)
    with pytest.raises(Invalid) as refused:
        return_report(world.session, report, comment="  ", actor=None, now=at(DUE))
    assert "comment" in refused.value.fields


def test_accepting_many_reports_gives_each_its_review_version_and_audit_entry_and_skips_the_others(world, clerk):
    from tracker.reporting.services import accept_reports

    period, unit = world.period("2024Q3"), world.unit(XCB)
    reports = []
    for number in ("9", "12", "14"):
        report, _ = save_report(world.session, task=world.task(number), unit=unit, period=period, data=CO_FULL
                                if number != "9" else FULL, expected_version=None, actor=clerk, now=at(DUE), today=DUE)
        reports.append(report)
    for report in reports[:2]:
        submit_report(world.session, report, actor=clerk, now=at(DUE), today=DUE)
    office = world.user("office", role=Role.SUPERVISOR)
    reviews, refused = accept_reports(world.session, reports, actor=office, now=at(date(2024, 10, 15)))
    assert [r.report_id for r in reviews] == [reports[0].id, reports[1].id]
    assert [(r.id, e.template) for r, e in refused] == [(reports[2].id, "只能审核已报送、待审核的报告。")]
    assert [r.state for r in reports] == [State.ACCEPTED, State.ACCEPTED, State.DRAFT]
    versions = world.session.scalars(select(ReportVersion.action).where(ReportVersion.report_id == reports[1].id)
                                     .order_by(ReportVersion.number)).all()
    assert versions == ["save", "submit", "accept"]
    accepted = world.session.scalars(select(AuditEntry.object_id).where(AuditEntry.action == "report.accept")).all()
    assert sorted(accepted) == sorted([str(reports[0].id), str(reports[1].id)])
