"""Lagging tasks and compliance figures: the office sees all, a unit only its own."""
from __future__ import annotations

import copy

FOREST = "市林业局"                    # co-unit of task 3, nothing to do with task 1
IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1

LEAD = {"status": "on_track", "percent": 45, "progress": "修订专利资金管理办法", "next_steps": "征求意见",
        "submit": True}


def test_lagging_lists_red_and_yellow_tasks_with_their_reasons(client, office):
    tasks = client.get("/api/v1/lagging", headers=office).get_json()["tasks"]
    assert tasks and {t["light"] for t in tasks} <= {"red", "yellow"}
    first = tasks[0]
    assert first["reasons"] and first["section"]["key"] and first["days_overdue"] >= 0
    assert [t["light"] for t in tasks] == sorted((t["light"] for t in tasks), key=["red", "yellow"].index)


def test_a_unit_token_sees_only_lagging_tasks_its_unit_answers_for(client, forest, office):
    mine = {t["number"] for t in client.get("/api/v1/tasks", headers=forest).get_json()["tasks"]}
    lagging = {t["number"] for t in client.get("/api/v1/lagging", headers=forest).get_json()["tasks"]}
    assert lagging and lagging <= mine
    others = client.get(f"/api/v1/lagging?unit={IPO}", headers=forest).get_json()
    assert others == {"tasks": [], "total": 0, "next": None}


def test_lagging_filters_by_light_and_refuses_other_colours(client, office):
    red = client.get("/api/v1/lagging?light=red", headers=office).get_json()["tasks"]
    assert red and all(t["light"] == "red" for t in red)
    response = client.get("/api/v1/lagging?light=green", headers=office)
    assert response.status_code == 422 and "light" in response.get_json()["error"]["fields"]


def test_compliance_gives_every_unit_its_owed_submitted_late_and_missing(client, office, ipo):
    assert client.put("/api/v1/tasks/3/reports/2024Q3", headers=ipo, json=LEAD).status_code == 201
    body = client.get("/api/v1/compliance?period=2024Q3", headers=office).get_json()
    assert body["period"] == "2024Q3" and len(body["units"]) > 30
    row = next(u for u in body["units"] if u["unit"] == IPO)
    assert row["submitted"] == 1 and row["late"] == 1 and row["missing"] == row["owed"] - 1 and row["owed"] > 10


def test_a_unit_token_gets_only_its_own_compliance_row(client, forest):
    units = client.get("/api/v1/compliance?period=2024Q3", headers=forest).get_json()["units"]
    assert [u["unit"] for u in units] == [FOREST]


def test_compliance_needs_a_well_formed_period(client, office):
    for query in ("", "?period=", "?period=2024-3", "?period=2024Q5"):
        response = client.get(f"/api/v1/compliance{query}", headers=office)
        assert response.status_code == 422, query
        assert "period" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/compliance?period=2031Q1", headers=office).status_code == 404


def test_compliance_costs_the_same_queries_for_a_small_and_a_full_plan(app, client, seed_data, bearer,
                                                                    count_queries):
    from tracker.db import db
    from tracker.plans.cli import seed_plan

    small = copy.deepcopy(seed_data)
    small["plan"]["title"] = "small"
    small["tasks"] = small["tasks"][2:3]      # task 3 alone: 8 units
    with app.app_context():
        small_id = seed_plan(small)[0].id
        full_id = seed_plan(seed_data)[0].id
        db.session.commit()
    office = bearer("office", role="supervisor")
    client.get("/api/v1/me", headers=office)  # the token's first use is recorded once
    with count_queries() as few:
        response = client.get(f"/api/v1/compliance?period=2024Q3&plan={small_id}", headers=office)
        assert len(response.get_json()["units"]) == 8
    with count_queries() as many:
        response = client.get(f"/api/v1/compliance?period=2024Q3&plan={full_id}", headers=office)
        assert len(response.get_json()["units"]) > 30
    assert len(many) == len(few) <= 5
