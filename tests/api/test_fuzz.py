"""Schema-driven fuzzing: requests generated from our own OpenAPI description (valid ones,
invalid ones, and its examples) never get a 500 or an answer that breaks the description.
Bounded and derandomised so CI is stable and quick."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tracker.api.openapi import openapi_path
from tracker.api.views import PREFIX, operations

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1

FUZZ = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
DECLARED = [(op.method.upper(), PREFIX + openapi_path(op.rule)) for op in operations.declared]


@pytest.fixture
def api_schema(app, plan, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_API_RATE_LIMIT", "100000 per minute")
    return schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", app)


@pytest.mark.parametrize("method, path", DECLARED, ids=[f"{m} {p}" for m, p in DECLARED])
def test_the_api_keeps_to_its_description_whatever_it_is_sent(api_schema, bearer, method, path):
    headers = bearer("fuzzer", unit=IPO)
    operation = api_schema[path][method]
    # A body the description allows may still break a rule of the reporting office (a co-unit
    # gives no percent, submitting needs progress and next steps, an extension is asked before the
    # due date, a return needs a comment): 422 is right there.
    excluded = [schemathesis.checks.positive_data_acceptance] if method in ("PUT", "POST") else []
    strategies = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    # The description's examples (task 1, 2024Q3…) reach real rows, not only 404s.
    strategies += api_schema.get_strategies_from_examples(operation)
    # A cursor is valid only as a `next` link handed it out: one made up is rightly 422, so requests
    # page from the start or an offset (tests/api/test_paging.py walks real cursors and bad ones).
    strategies = [strategy.map(_without_cursor) for strategy in strategies]
    for strategy in strategies:

        @given(case=strategy)
        @FUZZ
        def call(case):
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        call()


def _without_cursor(case):
    if case.query:
        case.query.pop("cursor", None)
    return case
