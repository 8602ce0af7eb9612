"""One task's whole history in one call: `GET /api/v1/tasks/<number>?include=reports`."""
from __future__ import annotations

import pytest

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3
FOREST = "市林业局"                    # co-unit of task 3
STATS = "市统计局"                     # nothing to do with task 3
QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3"]
LEAD = {"status": "on_track", "percent": 40, "progress": "修订专利资金管理办法", "next_steps": "征求意见", "submit": True}
CO = {"status": "on_track", "progress": "配合开展林业植物新品种调研", "next_steps": "汇总材料", "submit": True}


def reports_url(quarter: str) -> str:
    return f"/api/v1/tasks/3/reports/{quarter}"


@pytest.fixture
def history(client, office, ipo, forest):
    """Task 3 over seven quarters: the lead reports each, is returned twice and resubmits, the office accepts
    some; the co-unit reports every other quarter and keeps one draft."""
    for index, quarter in enumerate(QUARTERS):
        url = reports_url(quarter)
        saved = client.put(url, headers=ipo, json={**LEAD, "percent": 10 * index, "submit": False})
        assert saved.status_code == 201
        submitted = client.put(url, headers=ipo, json={**LEAD, "percent": 10 * index,
                                                       "version": saved.get_json()["version"]})
        assert submitted.get_json()["state"] == "submitted"
        if index in (1, 4):
            returned = client.post(url + "/return", headers=office, json={"unit": IPO, "comment": "请补充佐证材料"})
            again = client.put(url, headers=ipo, json={**LEAD, "percent": 10 * index + 5, "progress": "已补充",
                                                       "version": returned.get_json()["version"]})
            assert again.get_json()["state"] == "submitted"
        if index % 3 == 0:
            assert client.post(url + "/accept", headers=office, json={"unit": IPO}).status_code == 200
        if index % 2 == 0:
            assert client.put(url, headers=forest, json={**CO, "submit": index != 6}).status_code == 201


def per_period(client, headers) -> list[dict]:
    periods = client.get("/api/v1/periods?limit=500", headers=headers).get_json()["periods"]
    return [report for p in periods
            for report in client.get(reports_url(p["key"]), headers=headers).get_json()["reports"]]


@pytest.mark.parametrize("who", ["office", "ipo", "forest"])
def test_include_reports_is_the_per_period_calls_put_together(client, history, office, ipo, forest, who):
    headers = {"office": office, "ipo": ipo, "forest": forest}[who]
    task = client.get("/api/v1/tasks/3?include=reports", headers=headers).get_json()
    assert task["reports"] == per_period(client, headers)
    units = {r["unit"] for r in task["reports"]}
    assert units == ({FOREST} if who == "forest" else {IPO, FOREST})
    lead_reports = [r for r in task["reports"] if r["unit"] == IPO]
    assert [r["period"] for r in lead_reports] == ([] if who == "forest" else QUARTERS)


def test_each_report_carries_its_versions_and_reviews(client, history, office):
    reports = client.get("/api/v1/tasks/3?include=reports", headers=office).get_json()["reports"]
    returned = next(r for r in reports if r["unit"] == IPO and r["period"] == "2023Q2")
    actions = [v["action"] for v in returned["versions"]]
    assert actions[0] == "save" and actions.index("submit") < actions.index("return") < len(actions) - 1
    assert [v["percent"] for v in returned["versions"]][-1] == 15 and returned["percent"] == 15
    assert [v["number"] for v in returned["versions"]] == sorted(v["number"] for v in returned["versions"])
    assert [(r["decision"], r["comment"]) for r in returned["reviews"]] == [("return", "请补充佐证材料")]
    accepted = next(r for r in reports if r["unit"] == IPO and r["period"] == "2023Q1")
    assert accepted["state"] == "accepted" and [r["decision"] for r in accepted["reviews"]] == ["accept"]
    draft = next(r for r in reports if r["unit"] == FOREST and r["period"] == "2024Q3")
    assert draft["state"] == "draft" and draft["versions"]


def test_without_include_the_task_has_no_reports_and_a_bad_include_is_422(client, history, office):
    assert "reports" not in client.get("/api/v1/tasks/3", headers=office).get_json()
    response = client.get("/api/v1/tasks/3?include=everything", headers=office)
    assert response.status_code == 422 and "include" in response.get_json()["error"]["fields"]


def test_a_unit_that_does_not_answer_for_the_task_gets_403_and_no_report(client, history, bearer):
    stats = bearer("stats", unit=STATS)
    response = client.get("/api/v1/tasks/3?include=reports", headers=stats)
    assert response.status_code == 403 and "修订专利资金" not in response.get_data(as_text=True)
    assert client.get(reports_url("2024Q3"), headers=stats).status_code == 403


def test_the_history_costs_the_same_queries_for_one_quarter_or_seven(client, office, ipo, forest, count_queries):
    assert client.put(reports_url("2024Q3"), headers=ipo, json=LEAD).status_code == 201
    client.get("/api/v1/tasks/3?include=reports", headers=office)   # the token's first use is recorded once
    with count_queries() as one:
        assert len(client.get("/api/v1/tasks/3?include=reports", headers=office).get_json()["reports"]) == 1
    for quarter in QUARTERS[:-1]:
        assert client.put(reports_url(quarter), headers=ipo, json=LEAD).status_code == 201
        assert client.put(reports_url(quarter), headers=forest, json=CO).status_code == 201
    with count_queries() as seven:
        assert len(client.get("/api/v1/tasks/3?include=reports", headers=office).get_json()["reports"]) == 13
    assert len(seven) == len(one)
