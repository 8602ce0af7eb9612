"""GET/PUT /api/v1/light-rules: the office reads and replaces the rules; every light follows at once."""
from __future__ import annotations

from sqlalchemy import select

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3
LEAD = {"status": "on_track", "percent": 45, "progress": "修订专利资金管理办法", "next_steps": "征求意见",
        "submit": True}
DEFAULTS = {"overdue_grace_days": 0, "behind_measure": "points", "behind_by_points": 20, "red_behind_by_points": None,
            "missing_quarters_for_red": 2, "red_when_reported_lagging": True, "deadline_warning_days": None,
            "return_is_warning": False, "flag_colour": "red", "escalation_colour": "red",
            "ignored_escalation_colour": "red"}


def task_light(client, headers, number):
    body = client.get(f"/api/v1/tasks/{number}", headers=headers).get_json()
    return body["light"], body["reasons"]


def test_the_office_reads_the_rules_in_force(client, office):
    assert client.get("/api/v1/light-rules", headers=office).get_json() == DEFAULTS


def test_a_unit_may_neither_read_nor_change_the_rules(client, ipo):
    assert client.get("/api/v1/light-rules", headers=ipo).status_code == 403
    assert client.put("/api/v1/light-rules", headers=ipo, json=DEFAULTS).status_code == 403


def test_changing_a_rule_through_the_api_flips_a_light_with_the_new_reason(app, client, office, ipo):
    assert client.put("/api/v1/tasks/3/reports/2024Q3", headers=ipo, json=LEAD).status_code == 201
    light, reasons = task_light(client, office, "3")
    assert "2024Q3 完成进度 45% 落后于时间进度 75%，相差 30 个百分点" in reasons
    response = client.put("/api/v1/light-rules", headers=office, json={**DEFAULTS, "red_behind_by_points": 25})
    assert response.status_code == 200 and response.get_json()["red_behind_by_points"] == 25
    light, reasons = task_light(client, office, "3")
    assert light == "red"
    assert "2024Q3 完成进度 45% 落后于时间进度 75%，相差 30 个百分点（红灯线：超过 25 个百分点）" in reasons
    with app.app_context():
        from tracker.core.audit import AuditEntry
        from tracker.db import db

        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "light_rules.save"))
        assert entry.old["red_behind_by_points"] is None and entry.new["red_behind_by_points"] == 25


def test_bad_rules_are_refused_field_by_field_and_nothing_changes(client, office):
    response = client.put("/api/v1/light-rules", headers=office,
                          json={**DEFAULTS, "behind_by_points": 30, "red_behind_by_points": 10})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"red_behind_by_points": "红灯线不能低于黄灯线。"}
    response = client.put("/api/v1/light-rules", headers=office, json={**DEFAULTS, "behind_measure": "feeling",
                                                                       "color": "red"})
    assert response.status_code == 422 and {"behind_measure", "color"} <= set(response.get_json()["error"]["fields"])
    assert client.get("/api/v1/light-rules", headers=office).get_json() == DEFAULTS


def test_the_openapi_description_names_the_light_rules(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/light-rules"])
