"""Milestones (节点): the office's or the accepted proposal's 序时进度 lights the task; the seed's 完成时限 too."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.supervision.milestones import parse_deadline

from .conftest import small_seed
from .test_pages import numbers


def task_id(app, world, number: str) -> int:
    with app.app_context():
        return world.task(number).id


def light_of(client, number: str, colour: str) -> bool:
    return number in numbers(client.get(f"/supervision/lagging?light={colour}").get_data(as_text=True))


def test_milestone_based_expected_progress_turns_yellow_a_task_the_straight_line_calls_green(app, office, lit, token):
    one = task_id(app, lit, "1")
    assert not light_of(office, "1", "yellow")           # 60% reported, the straight line expects 37%
    response = office.post(f"/supervision/tasks/{one}/milestones", data={
        "due_on": "2024-09-30", "percent": "90", "what": "完成立法调研", "csrf_token": token(office, "/supervision")})
    assert response.status_code == 302
    assert light_of(office, "1", "yellow")
    reasons = office.get("/supervision/lagging?light=yellow").get_data(as_text=True)
    assert "2024Q3 完成进度 60% 落后于序时进度（按节点） 90%，相差 30 个百分点" in reasons
    page = office.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert "完成立法调研" in page and "（按节点计算）" in page


def test_a_lead_units_proposal_counts_only_once_the_office_accepts_it(app, office, lit, make_user, login, token):
    one = task_id(app, lit, "1")
    make_user("jia", unit="甲局")
    lead = app.test_client()
    login(lead, "jia")
    page = lead.get(f"/plans/{lit.plan_id}/tasks/1")
    assert page.status_code == 200
    response = lead.post(f"/supervision/tasks/{one}/milestones", data={
        "due_on": "2024-09-30", "percent": "90", "what": "出台细则", "csrf_token": token(lead, f"/plans/{lit.plan_id}/tasks/1")})
    assert response.status_code == 302
    assert not light_of(office, "1", "yellow")           # proposed, not in force
    from tracker.supervision.models import Milestone

    with app.app_context():
        milestone_id = db.session.scalar(select(Milestone.id))
    assert lead.post(f"/supervision/milestones/{milestone_id}/accept",
                     data={"csrf_token": token(lead, f"/plans/{lit.plan_id}/tasks/1")}).status_code == 403
    office.post(f"/supervision/milestones/{milestone_id}/accept", data={"csrf_token": token(office, "/supervision")})
    assert light_of(office, "1", "yellow")


def test_a_co_unit_may_not_propose_and_bad_milestones_are_refused(app, office, lit, make_user, login, token):
    one = task_id(app, lit, "1")
    make_user("yi", unit="乙局")                          # co-unit of task 1
    co = app.test_client()
    login(co, "yi")
    form = {"due_on": "2024-09-30", "percent": "90", "csrf_token": token(co, f"/plans/{lit.plan_id}/tasks/1")}
    assert co.post(f"/supervision/tasks/{one}/milestones", data=form).status_code == 403
    bad = office.post(f"/supervision/tasks/{one}/milestones", follow_redirects=True, data={
        "due_on": "2031-01-01", "percent": "150", "csrf_token": token(office, "/supervision")})
    assert "节点日期应在规划期内。" in bad.get_data(as_text=True)


@pytest.mark.parametrize("text, day", [("2024-06-30", date(2024, 6, 30)), ("2024年底", date(2024, 12, 31)),
                                       ("2025年", date(2025, 12, 31)), ("2024年6月", date(2024, 6, 30)),
                                       ("2024年2月", date(2024, 2, 29)), ("2024年12月", date(2024, 12, 31)),
                                       ("2025年3月15日", date(2025, 3, 15)), ("持续推进", None), ("", None), (None, None)])
def test_a_completion_deadline_is_read_as_plans_write_it(text, day):
    assert parse_deadline(text) == day


def test_the_seeds_deadline_becomes_a_milestone_once_and_its_absence_is_fine(app):
    from tracker.plans.cli import seed_plan
    from tracker.supervision.models import Milestone, MilestoneState

    seed = small_seed()
    seed["tasks"][0]["deadline"] = "2024年6月"
    with app.app_context():
        plan, _ = seed_plan(seed, actor="test")
        seed_plan(seed, actor="test")
        db.session.commit()
        rows = db.session.scalars(select(Milestone)).all()
        assert [(m.due_on, m.percent, m.state, m.source) for m in rows] == [
            (date(2024, 6, 30), 100, MilestoneState.ACCEPTED, "import")]
