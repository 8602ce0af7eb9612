"""考核: unit scores from point rules; ties shared; every point traces to the event that caused it."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tracker.core.errors import Invalid
from tracker.db import db
from tracker.supervision.score_rules import Event, ScoreRules, find_score_preset, parse_score_rules, score_units

AT = datetime(2024, 10, 20, tzinfo=UTC)


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    units = {1: "甲局", 2: "乙局", 3: "丙局", 4: "丁局"}
    events = [Event("late", 2, "乙局", "1", "2024Q3"), Event("late", 2, "乙局", "2", "2024Q3"),
              Event("missing", 3, "丙局", "1", "2024Q3"), Event("red_light", 4, "丁局", "3", "2024Q3"),
              Event("late", 4, "丁局", "4", "2024Q3")]
    ranked = score_units(units, events, ScoreRules())
    assert [(s.unit, s.score, s.rank, s.tied) for s in ranked] == [
        ("甲局", 100, 1, False), ("丙局", 98, 2, True), ("乙局", 98, 2, True), ("丁局", 97, 4, False)]


@pytest.mark.parametrize("criterion", ["photos", "instructions", "logins", "articles", "meetings"])
def test_criteria_the_2024_burden_rules_forbid_are_refused(criterion):
    with pytest.raises(Invalid) as refused:
        parse_score_rules({criterion: -1})
    assert "减负" in refused.value.fields[criterion]


def test_the_common_published_rules_are_a_preset():
    rules = find_score_preset("common").rules
    assert (rules.base, rules.missing, rules.empty, rules.late, rules.returned) == (100, -10, -5, -1, -2)


@pytest.fixture
def scored(app, lit):
    """lit, plus: 甲局's task-4 report of 2024Q3 returned once and resubmitted late, with a two-character
    progress; an escalation on task 2 (lead 乙局) ignored past its deadline."""
    from tracker.reporting.models import Report, Review
    from tracker.supervision.models import Escalation

    with app.app_context():
        task4, jia, q3 = lit.task("4"), lit.unit("甲局"), lit.period("2024Q3")
        report = db.session.scalar(select(Report).where(Report.task_id == task4.id, Report.unit_id == jia.id,
                                                        Report.period_id == q3.id))
        report.progress, report.is_late = "推进", True
        db.session.add(Review(report_id=report.id, decision="return", comment="请补充", reviewed_at=AT))
        db.session.add(Escalation(task_id=lit.task("2").id, reason="进度滞后", respond_by=date(2024, 10, 10),
                                  opened_at=AT))
        db.session.commit()
    return lit


def test_each_score_point_traces_to_an_event(app, office, scored, make_user):
    from tracker import clock
    from tracker.accounts.models import User
    from tracker.api.tokens import create_token
    from tracker.reporting.models import Report, Review, State
    from tracker.supervision.models import Escalation, EscalationResponse

    make_user("office-api", role="supervisor")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "office-api"))
        _, secret = create_token(db.session, user=user, name="t", actor="t", now=clock.now())
        db.session.commit()
    body = office.get("/api/v1/scores?period=2024Q3", headers={"Authorization": f"Bearer {secret}"}).get_json()
    ledger = load_workbook(io.BytesIO(office.get("/supervision/ledger.xlsx?period=2024Q3").data)).active
    lights = {row[0]: (row[2], row[5]) for row in ledger.iter_rows(min_row=3, values_only=True)}
    kinds = set()
    with app.app_context():
        for unit in body["units"]:
            assert unit["score"] == pytest.approx(unit["base"] + sum(p["points"] for p in unit["points"]))
            unit_id = scored.unit(unit["unit"]).id
            for point in unit["points"]:
                kinds.add(point["kind"])
                task = scored.task(point["task"])
                if point["kind"] in ("missing", "late", "empty", "returned"):
                    report = db.session.get(Report, point["ref"]) if point["ref"] else None
                    assert report is None or (report.task_id, report.unit_id) == (task.id, unit_id)
                if point["kind"] == "missing":
                    assert report is None or report.state not in (State.SUBMITTED, State.ACCEPTED)
                elif point["kind"] == "late":
                    assert report.is_late
                elif point["kind"] == "empty":
                    assert len(report.progress.strip()) < 4
                elif point["kind"] == "returned":
                    assert db.session.scalar(select(Review.id).where(Review.report_id == report.id,
                                                                     Review.decision == "return"))
                elif point["kind"] == "red_light":
                    assert lights[point["task"]] == (unit["unit"], "红灯")
                elif point["kind"] == "escalation_ignored":
                    escalation = db.session.get(Escalation, point["ref"])
                    assert escalation.task_id == task.id and escalation.respond_by.isoformat() == point["period"]
                    assert not db.session.scalar(select(EscalationResponse.id).where(
                        EscalationResponse.escalation_id == escalation.id))
    assert kinds == {"missing", "late", "empty", "returned", "red_light", "escalation_ignored"}
    jia = next(u for u in body["units"] if u["unit"] == "甲局")
    assert sorted(p["kind"] for p in jia["points"]) == ["empty", "late", "returned"]
    assert jia["score"] == 100 - 1 - 1 - 0.5


def test_the_ranking_page_and_its_export_share_ties(app, office, scored, token):
    form = {"base": "100", "missing": "0", "late": "0", "empty": "0", "returned": "0", "red_light": "-1",
            "escalation_ignored": "0", "empty_below": "4", "csrf_token": token(office, "/supervision/scores/rules")}
    assert office.post("/supervision/scores/rules", data=form).status_code == 302
    page = office.get("/supervision/scores?period=2024Q3").get_data(as_text=True)
    assert "并列第 2" in page and 'data-kind="red_light"' in page and "/tasks/3" in page   # 乙局 and 丙局: 99
    book = load_workbook(io.BytesIO(office.get("/supervision/scores/2024Q3.xlsx").data))
    ranking = list(book["考核排名"].iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[1], row[2]) for row in ranking] == [(1, "甲局", 100), ("并列第 2", "丙局", 99),
                                                             ("并列第 2", "乙局", 99)]
    assert sum(1 for row in book["扣分明细"].iter_rows(min_row=3)) == sum(row[5] for row in ranking)
    assert book["考核排名"].page_setup.orientation == "landscape"


def test_the_rules_form_offers_no_forbidden_criterion_and_refuses_bad_numbers(office, scored, token):
    page = office.get("/supervision/scores/rules").get_data(as_text=True)
    assert "不以拍照留痕" in page and 'name="photos"' not in page and 'name="logins"' not in page
    form = {"base": "abc", "csrf_token": token(office, "/supervision/scores/rules")}
    response = office.post("/supervision/scores/rules", data=form)
    assert response.status_code == 400 and "应为数字。" in response.get_data(as_text=True)


def test_units_may_not_see_the_scores(app, lit, make_user, login):
    make_user("jia", unit="甲局")
    clerk = app.test_client()
    login(clerk, "jia")
    assert clerk.get("/supervision/scores").status_code == 403
    assert clerk.get("/supervision/scores/2024Q3.xlsx").status_code == 403
