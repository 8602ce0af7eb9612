"""The OpenAPI description is generated from the routes and matches them; the docs page shows it."""
from __future__ import annotations

import re

import pytest
import schemathesis

from tracker.api.views import PREFIX


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_description_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(spec).validate()


def test_every_api_route_is_described_and_nothing_else(app, spec):
    routes = {(method.lower(), re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
              for rule in app.url_map.iter_rules() if rule.rule.startswith(PREFIX + "/")
              and rule.endpoint != "api.openapi" for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert routes == described
    assert {"/api/v1/tasks", "/api/v1/tasks/{number}", "/api/v1/periods", "/api/v1/lagging",
            "/api/v1/compliance", "/api/v1/indicators", "/api/v1/tasks/{number}/reports/{period}"} <= set(spec["paths"])


def test_every_operation_needs_the_bearer_token_and_answers_errors_in_the_error_schema(spec):
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "an API token (pt_…)"}
    assert "error" in spec["components"]["schemas"]["Error"]["properties"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert operation["security"] == [{"bearer": []}], (method, path)
            assert operation["responses"]["401"] == {"$ref": "#/components/responses/Unauthorized"}
            assert operation["responses"]["429"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}


def test_the_report_body_is_described_by_the_schema_that_validates_it(spec):
    put = spec["paths"]["/api/v1/tasks/{number}/reports/{period}"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ReportInput"}
    body = spec["components"]["schemas"]["ReportInput"]
    assert body["additionalProperties"] is False
    assert body["properties"]["percent"]["minimum"] == 0 and body["properties"]["percent"]["maximum"] == 100
    assert set(body["properties"]["status"]["enum"]) >= {"not_started", "on_track", "lagging", "done"}
    assert {"200", "201", "403", "404", "409", "422"} <= set(put["responses"])


def test_compliance_declares_its_required_period(spec):
    parameters = spec["paths"]["/api/v1/compliance"]["get"]["parameters"]
    period = next(p for p in parameters if p["name"] == "period")
    assert period["required"] is True and period["in"] == "query"


def test_the_docs_page_loads_the_vendored_swagger_ui_without_inline_script(client):
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in page and "swagger-ui.css" in page
    assert "js/api-docs.js" in page and 'data-spec-url="/api/v1/openapi.json"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


@pytest.mark.browser
def test_the_docs_page_renders_the_operations_in_a_browser(page):
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/tasks" in text for text in paths)


LISTS = ["/api/v1/tasks", "/api/v1/lagging", "/api/v1/periods", "/api/v1/compliance", "/api/v1/scores",
         "/api/v1/indicators", "/api/v1/plans", "/api/v1/todos", "/api/v1/tasks/{number}/reports/{period}"]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_describes_its_paging(spec, path):
    get = spec["paths"][path]["get"]
    parameters = {p["name"]: p for p in get["parameters"] if p["in"] == "query"}
    assert {"limit", "cursor", "offset"} <= set(parameters)
    assert (parameters["limit"]["schema"]["minimum"], parameters["limit"]["schema"]["maximum"]) == (1, 500)
    assert parameters["limit"]["schema"]["default"] == 100
    name = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    body = spec["components"]["schemas"][name]
    assert {"total", "next"} <= set(body["required"]) and body["properties"]["next"]["nullable"] is True


def test_every_read_describes_its_etag_and_304(spec):
    for path, item in spec["paths"].items():
        if "get" in item:
            get = item["get"]
            assert "ETag" in get["responses"]["200"]["headers"] and "304" in get["responses"], path
            assert any(p["in"] == "header" and p["name"] == "If-None-Match" for p in get["parameters"]), path


def test_the_history_call_is_described(spec):
    get = spec["paths"]["/api/v1/tasks/{number}"]["get"]
    include = next(p for p in get["parameters"] if p["name"] == "include")
    assert include["schema"]["enum"] == ["reports"]
    detail = spec["components"]["schemas"]["TaskDetail"]["properties"]["reports"]
    assert detail["items"] == {"$ref": "#/components/schemas/ReportRecord"}
    assert {"versions", "reviews"} <= set(spec["components"]["schemas"]["ReportRecord"]["required"])
