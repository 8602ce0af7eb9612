"""Errors are JSON with the right status; never an HTML page, never a 500; requests are rate-limited."""
from __future__ import annotations

import pytest

from tracker.config import ConfigError, read


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer pt_unknown"}])
def test_an_unknown_route_under_the_api_is_a_json_404(client, plan, headers):
    response = client.get("/api/v1/no/such/thing", headers=headers)
    assert response.status_code == 404 and response.is_json
    assert response.get_json()["error"]["code"] == 404


def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(client, ipo):
    response = client.delete("/api/v1/tasks", headers=ipo)
    assert response.status_code == 405 and response.is_json
    assert "GET" in response.headers["Allow"]


def test_the_api_sets_no_cookies(client, ipo):
    for response in (client.get("/api/v1/tasks", headers=ipo), client.get("/api/v1/tasks")):
        assert "Set-Cookie" not in response.headers


def test_requests_beyond_the_tokens_rate_limit_get_a_json_429(app, client, bearer, plan, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_API_RATE_LIMIT", "3 per minute")
    busy, other = bearer("busy", role="supervisor"), bearer("other", role="supervisor")
    statuses = [client.get("/api/v1/me", headers=busy).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/api/v1/periods", headers=busy)   # one bucket for every endpoint
    assert refused.status_code == 429 and refused.is_json
    assert refused.get_json()["error"]["code"] == 429 and int(refused.headers["Retry-After"]) > 0
    assert client.get("/api/v1/me", headers=other).status_code == 200   # counted per token


def test_a_bad_rate_limit_setting_stops_the_start_naming_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="TRACKER_API_RATE_LIMIT"):
        read({"TRACKER_API_RATE_LIMIT": "lots"}, tmp_path)
    assert read({}, tmp_path)["TRACKER_API_RATE_LIMIT"] == "120 per minute"


def test_a_domain_refusal_inside_the_api_is_json_in_the_callers_language(client, forest):
    response = client.get("/api/v1/tasks/1", headers={**forest, "Accept-Language": "en"})
    assert response.status_code == 403
    message = response.get_json()["error"]["message"]
    assert message and not any("\u4e00" <= ch <= "\u9fff" for ch in message)
