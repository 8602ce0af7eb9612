"""The office's actions in the API: review, the 督办 life cycle and 延期申请, with the roles of the pages;
and the caller's 我的待办 (GET /api/v1/todos) as the contract names it."""
from __future__ import annotations

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3
FOREST = "市林业局"                    # co-unit of task 3
Q3 = "/api/v1/tasks/3/reports/2024Q3"
LEAD = {"status": "on_track", "percent": 45, "progress": "出台专利资金管理办法修订稿", "problems": "",
        "next_steps": "征求意见", "submit": True}


def test_the_office_opens_a_duban_the_unit_acknowledges_and_responds_and_the_office_closes_it(client, office, ipo,
                                                                                          forest):
    opened = client.post("/api/v1/tasks/3/escalations", headers=office,
                         json={"units": [IPO], "deadline": "2024-11-29", "note": "请说明专利资金办法进度"})
    assert opened.status_code == 201
    body = opened.get_json()
    assert body["state"] == "open" and body["colour"] == "蓝" and [u["unit"] for u in body["units"]] == [IPO]
    escalation = body["id"]

    todos = client.get("/api/v1/todos", headers=ipo).get_json()["todos"]
    item = next(t for t in todos if t["kind"] == "escalation")
    assert (item["task"], item["period"], item["due"], item["state"]) == ("3", None, "2024-11-29", "open")
    assert item["url"].endswith("/tasks/3#supervision") and isinstance(item["plan"], int)

    assert client.post(f"/api/v1/escalations/{escalation}/acknowledge", headers=forest).status_code == 403
    assert client.post(f"/api/v1/escalations/{escalation}/close", headers=ipo, json={}).status_code == 403
    acknowledged = client.post(f"/api/v1/escalations/{escalation}/acknowledge", headers=ipo)
    assert acknowledged.get_json()["state"] == "acknowledged"
    assert client.post(f"/api/v1/escalations/{escalation}/acknowledge", headers=ipo).status_code == 409
    responded = client.post(f"/api/v1/escalations/{escalation}/respond", headers=ipo, json={"text": "已提交市政府审议"})
    assert responded.get_json()["state"] == "responded"
    assert responded.get_json()["responses"][0]["text"] == "已提交市政府审议"
    assert not [t for t in client.get("/api/v1/todos", headers=ipo).get_json()["todos"] if t["kind"] == "escalation"]
    closed = client.post(f"/api/v1/escalations/{escalation}/close", headers=office, json={"note": "已办结"})
    assert closed.status_code == 200 and closed.get_json()["state"] == "closed" and closed.get_json()["closed_at"]


def test_a_duban_for_a_unit_that_does_not_answer_for_the_task_is_422(client, office):
    response = client.post("/api/v1/tasks/3/escalations", headers=office,
                           json={"units": ["市教育局"], "deadline": "2024-11-29", "note": "x"})
    assert response.status_code == 422
    assert client.post("/api/v1/tasks/3/escalations", headers=office,
                       json={"units": ["没有的单位"], "deadline": "2024-11-29", "note": "x"}).status_code == 422


def test_the_office_returns_a_report_and_the_unit_sees_it_with_the_comment(client, office, ipo):
    assert client.put(Q3, headers=ipo, json=LEAD).status_code == 201
    returned = client.post(Q3 + "/return", headers=office, json={"unit": IPO, "comment": "请补充佐证材料"})
    assert returned.status_code == 200 and returned.get_json()["state"] == "returned"
    item = next(t for t in client.get("/api/v1/todos", headers=ipo).get_json()["todos"]
                if t["kind"] == "returned")
    assert (item["task"], item["period"], item["comment"]) == ("3", "2024Q3", "请补充佐证材料")
    assert client.post(Q3 + "/accept", headers=office, json={"unit": IPO}).status_code == 409   # not submitted
    assert client.post(Q3 + "/return", headers=ipo, json={"unit": IPO, "comment": "x"}).status_code == 403


def test_a_return_without_a_comment_is_422_and_an_unknown_report_404(client, office, ipo):
    client.put(Q3, headers=ipo, json=LEAD)
    assert client.post(Q3 + "/return", headers=office, json={"unit": IPO}).status_code == 422
    assert client.post(Q3 + "/accept", headers=office, json={"unit": FOREST}).status_code == 404


def test_an_extension_asked_after_the_due_date_is_refused_with_a_clear_message(client, ipo):
    response = client.post(Q3 + "/extensions", headers=ipo, json={"due": "2024-12-01", "reason": "数据未出"})
    assert response.status_code == 422
    assert "已过截止日期（2024-10-12），不能再申请延期" in response.get_json()["error"]["message"]


def test_an_extension_asked_in_time_is_decided_by_the_office_only(client, ipo, office):
    asked = client.post("/api/v1/tasks/3/reports/2024Q4/extensions", headers=ipo,
                        json={"due": "2025-01-20", "reason": "年度统计数据 1 月中旬发布"})
    assert asked.status_code == 201 and asked.get_json()["state"] == "requested"
    extension = asked.get_json()["id"]
    assert client.post(f"/api/v1/extensions/{extension}/approve", headers=ipo, json={}).status_code == 403
    office_todos = client.get("/api/v1/todos", headers=office).get_json()["todos"]
    assert [(t["kind"], t["extension"]) for t in office_todos] == [("extension", extension)]
    approved = client.post(f"/api/v1/extensions/{extension}/approve", headers=office, json={"comment": "同意"})
    assert approved.get_json()["state"] == "approved"
    assert client.post(f"/api/v1/extensions/{extension}/refuse", headers=office, json={"comment": "x"}).status_code \
        == 409
