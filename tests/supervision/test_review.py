"""Review: the office returns a report with a comment, the unit sees it and resubmits; or accepts."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.reporting.models import Report, State


@pytest.fixture
def submitted(app, world, make_user):
    """乙局's 2024Q3 report on task 2, submitted; 乙局's clerk; returns the report id."""
    make_user("yi", unit="乙局")
    with app.app_context():
        report = world.report("2", "乙局", "2024Q3", progress="完成调研")
        db.session.commit()
        return report.id


def test_the_review_queue_lists_the_periods_submitted_reports(office, submitted):
    page = office.get("/supervision/reviews").get_data(as_text=True)
    queue = page.split('id="review-queue"')[1].split("</table>")[0]
    assert "任务2" in queue and "乙局" in queue and f"/supervision/reports/{submitted}" in queue


def test_a_returned_report_shows_the_comment_to_the_unit_which_must_resubmit(app, client, office, submitted, login,
                                                                           token):
    response = office.post(f"/supervision/reports/{submitted}/return",
                           data={"csrf_token": token(office, f"/supervision/reports/{submitted}"),
                                 "comment": "请补充本季度具体工作量"})
    assert response.status_code == 302
    page = office.get(f"/supervision/reports/{submitted}").get_data(as_text=True)
    assert "已退回" in page and "请补充本季度具体工作量" in page.split('id="review-history"')[1]
    queue = office.get("/supervision/reviews?state=returned").get_data(as_text=True)
    assert "任务2" in queue.split('id="review-queue"')[1]

    unit = app.test_client()
    login(unit, "yi")
    workspace = unit.get("/workspace").get_data(as_text=True)
    assert "退回意见：请补充本季度具体工作量" in workspace
    assert "退回意见：请补充本季度具体工作量" in unit.get("/workspace/2024Q3").get_data(as_text=True)

    with app.app_context():
        from tracker.accounts.models import User
        from tracker.reporting.services import submit_report

        report = db.session.get(Report, submitted)
        clerk = db.session.scalar(select(User).where(User.username == "yi"))
        report.progress = "完成调研 3 次，走访企业 20 家"
        submit_report(db.session, report, actor=clerk, now=datetime.combine(date(2024, 11, 20), time(9),
                                                                             tzinfo=ZoneInfo("Asia/Shanghai")),
                      today=date(2024, 11, 20))
        db.session.commit()
    page = office.get(f"/supervision/reports/{submitted}").get_data(as_text=True)
    assert "已报送" in page.split('id="report-state"')[1][:80]
    assert "走访企业 20 家" in page and f'action="/supervision/reports/{submitted}/accept"' in page
    assert "任务2" in office.get("/supervision/reviews").get_data(as_text=True).split('id="review-queue"')[1]


def test_returning_without_a_comment_is_refused_and_changes_nothing(app, office, submitted, token):
    response = office.post(f"/supervision/reports/{submitted}/return",
                           data={"csrf_token": token(office, f"/supervision/reports/{submitted}"), "comment": "  "})
    assert response.status_code == 422
    assert "退回时请填写退回意见" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Report, submitted).state is State.SUBMITTED


def test_an_accepted_report_cannot_be_accepted_again(app, office, submitted, token):
    csrf = token(office, f"/supervision/reports/{submitted}")
    assert office.post(f"/supervision/reports/{submitted}/accept", data={"csrf_token": csrf}).status_code == 302
    page = office.get(f"/supervision/reports/{submitted}").get_data(as_text=True)
    assert "已审核" in page and "审核通过" in page.split('id="review-history"')[1]
    again = office.post(f"/supervision/reports/{submitted}/return", data={"csrf_token": csrf, "comment": "再看看"})
    assert again.status_code == 409
    assert "只能审核已报送、待审核的报告" in again.get_data(as_text=True)


def test_a_missing_report_is_a_404(office, world):
    assert office.get("/supervision/reports/999").status_code == 404


def test_the_review_queue_of_an_unknown_quarter_is_a_clear_message(office, world):
    response = office.get("/supervision/reviews?period=2031Q1")
    assert response.status_code == 400
    assert "本规划没有这个季度：2031Q1" in response.get_data(as_text=True)
