"""Reports through the API: a unit writes and submits its own; each caller reads what it may."""
from __future__ import annotations

import pytest

FOREST = "市林业局"                    # co-unit of task 3, nothing to do with task 1
IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1
Q3 = "/api/v1/tasks/3/reports/2024Q3"      # IPO leads task 3, FOREST is a co-unit
LEAD = {"status": "on_track", "percent": 45, "progress": "出台专利资金管理办法修订稿", "problems": "",
        "next_steps": "征求意见"}
CO = {"status": "on_track", "progress": "配合开展林业植物新品种调研", "next_steps": "汇总材料"}


def test_the_first_write_is_201_and_later_ones_200(client, ipo):
    first = client.put(Q3, headers=ipo, json=LEAD)
    assert first.status_code == 201
    assert first.get_json()["state"] == "draft" and first.get_json()["unit"] == IPO
    second = client.put(Q3, headers=ipo, json={**LEAD, "percent": 50, "version": first.get_json()["version"]})
    assert second.status_code == 200
    assert second.get_json()["percent"] == 50 and second.get_json()["version"] > first.get_json()["version"]


def test_submit_true_submits_and_a_submitted_report_then_answers_409(client, ipo):
    submitted = client.put(Q3, headers=ipo, json={**LEAD, "submit": True})
    assert submitted.status_code == 201
    body = submitted.get_json()
    assert body["state"] == "submitted" and body["late"] is True and body["submitted_at"]
    again = client.put(Q3, headers=ipo, json=LEAD)
    assert again.status_code == 409
    assert "退回" in again.get_json()["error"]["message"]


def test_a_stale_version_answers_409_and_the_right_one_saves(client, ipo):
    version = client.put(Q3, headers=ipo, json=LEAD).get_json()["version"]
    assert client.put(Q3, headers=ipo, json={**LEAD, "version": version - 1}).status_code == 409
    assert client.put(Q3, headers=ipo, json={**LEAD, "version": version}).status_code == 200


def test_a_put_without_version_on_an_existing_report_answers_428_and_keeps_the_earlier_save(client, ipo):
    first = client.put(Q3, headers=ipo, json={**LEAD, "progress": "第一次保存"}).get_json()
    blind = client.put(Q3, headers={**ipo, "Accept-Language": "en"}, json={**LEAD, "progress": "盲目覆盖"})
    assert blind.status_code == 428
    assert "version" in blind.get_json()["error"]["message"] and str(first["version"]) in \
        blind.get_json()["error"]["message"]
    assert client.get(Q3, headers=ipo).get_json()["reports"][0]["progress"] == "第一次保存"


def test_the_api_description_says_version_is_required_once_the_report_exists(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    put = spec["paths"]["/api/v1/tasks/{number}/reports/{period}"]["put"]
    assert "428" in put["responses"]
    assert "required once the report exists" in str(spec["components"]["schemas"])


def test_a_unit_cannot_write_a_task_it_does_not_answer_for(client, forest):
    response = client.put("/api/v1/tasks/1/reports/2024Q3", headers=forest, json=CO)
    assert response.status_code == 403 and response.is_json


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_the_office_and_admins_cannot_write_a_units_report(client, bearer, plan, role):
    headers = bearer("someone", role=role)
    assert client.put(Q3, headers=headers, json=LEAD).status_code == 403


def test_submitting_a_quarter_that_has_not_ended_is_refused_but_a_draft_is_kept(client, ipo):
    refused = client.put("/api/v1/tasks/3/reports/2024Q4", headers=ipo, json={**LEAD, "submit": True})
    assert refused.status_code == 403
    assert client.put("/api/v1/tasks/3/reports/2024Q4", headers=ipo, json=LEAD).status_code == 201


@pytest.mark.parametrize("body, field", [
    ({**LEAD, "percent": "50"}, "percent"),
    ({**LEAD, "percent": 101}, "percent"),
    ({**LEAD, "percent": 4.5}, "percent"),
    ({**LEAD, "percent": True}, "percent"),
    ({**LEAD, "status": "great"}, "status"),
    ({**LEAD, "progress": 12}, "progress"),
    ({**LEAD, "progress": "字" * 2001}, "progress"),
    ({**LEAD, "problems": "a\u0000b"}, "problems"),
    ({**LEAD, "submit": "yes"}, "submit"),
    ({**LEAD, "colour": "red"}, "colour"),
])
def test_bad_input_is_422_naming_the_field(client, ipo, body, field):
    response = client.put(Q3, headers=ipo, json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert field in error["fields"] and error["fields"][field]


def test_a_body_that_is_not_an_object_is_422(client, ipo):
    assert client.put(Q3, headers=ipo, json=[1, 2]).status_code == 422


def test_submitting_without_the_required_fields_is_422_per_field_and_saves_nothing(client, ipo):
    version = client.put(Q3, headers=ipo, json={**LEAD, "progress": "旧的进展"}).get_json()["version"]
    response = client.put(Q3, headers=ipo, json={"submit": True, "version": version})
    assert response.status_code == 422
    assert {"status", "percent", "progress", "next_steps"} <= set(response.get_json()["error"]["fields"])
    kept = client.get(Q3, headers=ipo).get_json()["reports"][0]
    assert kept["state"] == "draft" and kept["progress"] == "旧的进展"


def test_a_co_unit_gives_no_percent(client, forest):
    response = client.put(Q3, headers=forest, json={**CO, "percent": 30})
    assert response.status_code == 422 and "percent" in response.get_json()["error"]["fields"]
    assert client.put(Q3, headers=forest, json={**CO, "submit": True}).status_code == 201


def test_errors_speak_english_on_request(client, ipo):
    response = client.put(Q3, headers={**ipo, "Accept-Language": "en"}, json={**LEAD, "percent": 101})
    message = response.get_json()["error"]["fields"]["percent"]
    assert "0" in message and "100" in message and not any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize("path", ["/api/v1/tasks/999/reports/2024Q3", "/api/v1/tasks/3/reports/2031Q1",
                                  "/api/v1/tasks/3/reports/2024Q5", "/api/v1/tasks/3/reports/q3"])
def test_an_unknown_task_or_period_is_404(client, ipo, path):
    assert client.put(path, headers=ipo, json=LEAD).status_code == 404
    assert client.get(path, headers=ipo).status_code == 404


def test_a_body_that_is_not_json_is_refused_without_a_500(client, ipo):
    wrong_type = client.put(Q3, headers=ipo, data="status=on_track", content_type="application/x-www-form-urlencoded")
    assert wrong_type.status_code == 415 and wrong_type.is_json
    malformed = client.put(Q3, headers=ipo, data='{"status": "on_track",', content_type="application/json")
    assert malformed.status_code == 400 and malformed.is_json
    deep = client.put(Q3, headers=ipo, data="[" * 50_000 + "]" * 50_000, content_type="application/json")
    assert deep.status_code in (400, 413) and deep.is_json
    huge = client.put(Q3, headers=ipo, json={**LEAD, "progress": "字" * 100_000})
    assert huge.status_code == 413 and huge.is_json


def test_the_lead_reads_its_co_units_reports_and_a_co_unit_only_its_own(client, ipo, forest, office):
    client.put(Q3, headers=ipo, json=LEAD)
    client.put(Q3, headers=forest, json=CO)

    def units(headers):
        return sorted(r["unit"] for r in client.get(Q3, headers=headers).get_json()["reports"])

    assert units(ipo) == sorted([IPO, FOREST])
    assert units(forest) == [FOREST]
    assert units(office) == sorted([IPO, FOREST])


def test_a_unit_cannot_read_the_reports_of_a_task_it_does_not_answer_for(client, bearer, ipo):
    client.put(Q3, headers=ipo, json=LEAD)
    stats = bearer("stats", unit="市统计局")
    response = client.get(Q3, headers=stats)
    assert response.status_code == 403 and "出台专利" not in response.get_data(as_text=True)
