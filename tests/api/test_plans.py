"""Several plans through the API: the list, `plan` on every task endpoint, writes that must name it."""
from __future__ import annotations

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3 in both plans
LEAD = {"status": "on_track", "percent": 45, "progress": "出台专利资金管理办法修订稿", "problems": "",
        "next_steps": "征求意见"}


def test_the_plans_are_listed_with_their_ids_years_and_state(client, later_plan, bearer):
    old, new = later_plan
    body = client.get("/api/v1/plans", headers=bearer("office", role="supervisor")).get_json()
    plans = {p["id"]: p for p in body["plans"]}
    assert plans[new]["start_year"] == 2026 and plans[new]["state"] == "active"
    assert plans[old]["end_year"] == 2025 and plans[old]["tasks"] == plans[new]["tasks"] > 0


def test_a_write_without_plan_while_two_are_active_is_refused_naming_them(client, later_plan, bearer):
    old, new = later_plan
    ipo = bearer("ipo", unit=IPO)
    refused = client.put("/api/v1/tasks/3/reports/2025Q4", headers=ipo, json=LEAD)
    assert refused.status_code == 422
    message = refused.get_json()["error"]["message"]
    assert f"{old} = 郑州市“十四五”" in message and f"{new} = 郑州市“十五五”" in message
    assert "plan" in refused.get_json()["error"]["fields"]
    refused = client.post("/api/v1/tasks/3/status-updates", headers=ipo, json={"status": "lagging", "note": "资金未到位"})
    assert refused.status_code == 422
    written = client.put(f"/api/v1/tasks/3/reports/2025Q4?plan={old}", headers=ipo, json=LEAD)
    assert written.status_code == 201 and written.get_json()["period"] == "2025Q4"


def test_reads_take_plan_and_default_to_the_plan_most_recently_started(client, later_plan, bearer):
    old, new = later_plan
    office = bearer("office", role="supervisor")
    periods = client.get("/api/v1/periods", headers=office).get_json()["periods"]
    assert periods[0]["key"] == "2026Q1"
    periods = client.get(f"/api/v1/periods?plan={old}", headers=office).get_json()["periods"]
    assert periods[-1]["key"] == "2025Q4"
    assert client.get(f"/api/v1/tasks/3?plan={old}", headers=office).status_code == 200


def test_a_lagging_status_update_turns_the_light_and_the_api_status(client, plan, bearer):
    ipo, office = bearer("ipo", unit=IPO), bearer("office", role="supervisor")
    assert client.put("/api/v1/tasks/3/reports/2024Q3", headers=ipo, json={**LEAD, "submit": True}).status_code == 201
    before = client.get("/api/v1/tasks/3", headers=office).get_json()
    assert before["status"] == "on_track" and not any("报告进展为“滞后”" in r for r in before["reasons"])
    posted = client.post("/api/v1/tasks/3/status-updates", headers=ipo,
                         json={"status": "lagging", "note": "配套资金未到位，进度滞后。"})
    assert posted.status_code == 201 and posted.get_json()["status"] == "lagging"
    after = client.get("/api/v1/tasks/3", headers=office).get_json()
    assert after["status"] == "lagging" and after["light"] == "red"
    assert any("报告进展为“滞后”" in reason for reason in after["reasons"])


def test_only_the_lead_posts_a_status_update(client, plan, bearer):
    forest = bearer("forest", unit="市林业局")  # a co-unit of task 3
    answer = client.post("/api/v1/tasks/3/status-updates", headers=forest, json={"status": "lagging", "note": "x"})
    assert answer.status_code == 403
