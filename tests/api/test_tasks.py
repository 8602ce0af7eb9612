"""Tasks, periods and the caller: what each token sees, with lights and the latest status."""
from __future__ import annotations

import pytest

FOREST = "市林业局"                    # co-unit of task 3, nothing to do with task 1
IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1


def test_me_names_the_tokens_user_role_and_unit(client, office):
    assert client.get("/api/v1/me", headers=office).get_json() == {"username": "office", "role": "supervisor",
                                                                   "unit": None}


def test_periods_list_each_quarter_with_start_end_and_due(client, ipo):
    periods = client.get("/api/v1/periods", headers=ipo).get_json()["periods"]
    q3 = next(p for p in periods if p["key"] == "2024Q3")
    assert q3 == {"key": "2024Q3", "start": "2024-07-01", "end": "2024-09-30", "due": "2024-10-12"}
    assert periods[0]["key"] == "2021Q1" and len(periods) == 20


def test_the_office_sees_every_task_in_the_plans_order(client, office):
    tasks = client.get("/api/v1/tasks", headers=office).get_json()["tasks"]
    numbers = [t["number"] for t in tasks]
    assert numbers[:3] == ["1", "2", "3"] and "50" in numbers and "S3" in numbers
    first = tasks[0]
    assert first["lead"] == "市人民代表大会常务委员会" and IPO in first["co"]
    assert first["section"] == {"key": "3.1", "title": "推进知识产权治理体系和治理能力现代化"}
    assert first["light"] in ("green", "yellow", "red", "done", "none") and first["reasons"]


def test_a_unit_token_lists_only_the_tasks_its_unit_answers_for(client, forest, office):
    mine = {t["number"] for t in client.get("/api/v1/tasks", headers=forest).get_json()["tasks"]}
    everything = {t["number"] for t in client.get("/api/v1/tasks", headers=office).get_json()["tasks"]}
    assert "3" in mine and "1" not in mine
    assert mine < everything


def test_a_unit_token_gets_403_on_another_units_task_and_the_office_does_not(client, forest, office):
    assert client.get("/api/v1/tasks/3", headers=forest).status_code == 200
    response = client.get("/api/v1/tasks/1", headers=forest)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == 403
    assert client.get("/api/v1/tasks/1", headers=office).status_code == 200


def test_a_task_lists_every_responsible_unit_with_groups_expanded(client, office):
    task = client.get("/api/v1/tasks/2", headers=office).get_json()
    units = {u["unit"]: u for u in task["units"]}
    assert units["中牟县人民政府"] == {"unit": "中牟县人民政府", "duty": "co", "via": "各区县（市）人民政府"}
    assert "深化知识产权综合管理体制机制改革" in task["title"] and task["text"]


def test_an_unknown_task_is_404_in_json(client, office):
    response = client.get("/api/v1/tasks/999", headers=office)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404


@pytest.mark.parametrize("query, check", [
    ("section=3.2", lambda t: t["section"]["key"] == "3.2"),
    (f"unit={FOREST}", lambda t: t["number"] in {"3", "4", "10"} or FOREST in t["co"] + [t["lead"]]),
    ("light=red", lambda t: t["light"] == "red"),
])
def test_tasks_filter_by_section_unit_and_light(client, office, query, check):
    tasks = client.get(f"/api/v1/tasks?{query}", headers=office).get_json()["tasks"]
    assert tasks and all(check(t) for t in tasks)


def test_the_unit_filter_knows_aliases_and_answers_nothing_for_unknown_units(client, office):
    by_alias = client.get("/api/v1/tasks?unit=市发改委", headers=office).get_json()["tasks"]
    assert by_alias and client.get("/api/v1/tasks?unit=火星局", headers=office).get_json() == {"tasks": [], "total": 0, "next": None}


def test_a_bad_filter_is_422_naming_the_field(client, office):
    response = client.get("/api/v1/tasks?light=purple&colour=red", headers=office)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"light", "colour"}


def test_latest_status_and_percent_come_from_the_leads_submitted_report(client, bearer, office):
    stats = bearer("stats", unit="市统计局")   # lead of task 5
    body = {"status": "on_track", "percent": 60, "progress": "已完成监测指标设计", "next_steps": "试运行", "submit": True}
    assert client.put("/api/v1/tasks/5/reports/2024Q3", headers=stats, json=body).status_code == 201
    task = client.get("/api/v1/tasks/5", headers=office).get_json()
    assert (task["status"], task["percent"], task["period"]) == ("on_track", 60, "2024Q3")
    listed = next(t for t in client.get("/api/v1/tasks", headers=office).get_json()["tasks"] if t["number"] == "5")
    assert (listed["status"], listed["percent"]) == ("on_track", 60)


def test_reasons_are_chinese_by_default_and_english_on_request(client, office):
    zh = client.get("/api/v1/tasks/1", headers=office).get_json()["reasons"]
    en = client.get("/api/v1/tasks/1", headers={**office, "Accept-Language": "en"}).get_json()["reasons"]
    assert zh and en and len(zh) == len(en)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(zh).replace("市", ""))
    assert zh != en and any(word in " ".join(en).lower() for word in ("quarter", "report", "overdue"))


def test_an_unknown_plan_is_404(client, office):
    assert client.get("/api/v1/tasks?plan=9999", headers=office).status_code == 404


def test_the_task_list_costs_the_same_queries_for_a_small_and_a_full_plan(app, client, seed_data, bearer,
                                                                        count_queries):
    import copy

    from tracker.db import db
    from tracker.plans.cli import seed_plan

    small = copy.deepcopy(seed_data)
    small["plan"]["title"] = "small"
    small["tasks"] = small["tasks"][2:4]
    with app.app_context():
        small_id = seed_plan(small)[0].id
        full_id = seed_plan(seed_data)[0].id
        db.session.commit()
    office = bearer("office", role="supervisor")
    client.get("/api/v1/me", headers=office)  # the token's first use is recorded once
    with count_queries() as few:
        assert len(client.get(f"/api/v1/tasks?plan={small_id}", headers=office).get_json()["tasks"]) == 2
    with count_queries() as many:
        assert len(client.get(f"/api/v1/tasks?plan={full_id}", headers=office).get_json()["tasks"]) > 50
    assert len(many) == len(few)
