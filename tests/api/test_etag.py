"""Reads carry an ETag: the same answer again is 304 with no body; a write that changes it changes the tag."""
from __future__ import annotations

import pytest

LEAD = {"status": "lagging", "percent": 20, "progress": "进度滞后", "next_steps": "加快推进", "submit": True}
READS = ["/api/v1/me", "/api/v1/tasks", "/api/v1/tasks/3?include=reports", "/api/v1/lagging", "/api/v1/periods",
         "/api/v1/compliance?period=2024Q3", "/api/v1/indicators", "/api/v1/plans", "/api/v1/todos",
         "/api/v1/tasks/3/reports/2024Q3", "/api/v1/light-rules", "/api/v1/openapi.json"]


@pytest.mark.parametrize("path", READS)
def test_a_read_that_has_not_changed_is_304_without_a_body(client, office, path):
    first = client.get(path, headers=office)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(path, headers={**office, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
    stale = client.get(path, headers={**office, "If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.get_json() == first.get_json()


@pytest.mark.parametrize("path", ["/api/v1/tasks/3", "/api/v1/tasks?limit=5", "/api/v1/tasks/3/reports/2024Q3",
                                  "/api/v1/compliance?period=2024Q3"])
def test_a_report_changes_the_tag_of_every_answer_it_changes(client, office, ipo, path):
    before = client.get(path, headers=office)
    assert client.put("/api/v1/tasks/3/reports/2024Q3", headers=ipo, json=LEAD).status_code == 201
    after = client.get(path, headers={**office, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.get_json() != before.get_json()


def test_each_caller_and_language_has_its_own_tag_and_no_shared_cache_keeps_it(client, office, forest):
    mine = client.get("/api/v1/tasks", headers=forest)
    theirs = client.get("/api/v1/tasks", headers=office)
    english = client.get("/api/v1/tasks", headers={**office, "Accept-Language": "en"})
    assert len({mine.headers["ETag"], theirs.headers["ETag"], english.headers["ETag"]}) == 3
    assert client.get("/api/v1/tasks", headers={**forest, "If-None-Match": theirs.headers["ETag"]}).status_code == 200
    assert "private" in theirs.headers["Cache-Control"] and "no-cache" in theirs.headers["Cache-Control"]
    assert {"Authorization", "Accept-Language"} <= {v.strip() for v in theirs.headers["Vary"].split(",")}


def test_a_304_still_needs_a_valid_token(client, office):
    tag = client.get("/api/v1/tasks", headers=office).headers["ETag"]
    assert client.get("/api/v1/tasks", headers={"If-None-Match": tag}).status_code == 401


def test_writes_carry_no_tag(client, ipo):
    response = client.put("/api/v1/tasks/3/reports/2024Q3", headers=ipo, json=LEAD)
    assert response.status_code == 201 and "ETag" not in response.headers
