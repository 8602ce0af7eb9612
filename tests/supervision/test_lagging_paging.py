"""The lagging list in pages: every red or yellow task exactly once, in the list's one order, with and without
filters; the dashboard's first rows are the list's first rows."""
from __future__ import annotations

import re

import pytest

from tracker import clock
from tracker.db import db
from tracker.supervision.lights import Colour
from tracker.supervision.queries import list_lagging

from .test_query_counts import build


def numbers(page: str) -> list[str]:
    table = page.split('class="table table-sm align-top lagging-table"')[1].split("</table>")[0]
    return re.findall(r"/tasks/(\w+)\">", table)


@pytest.fixture
def large(app):
    with app.app_context():
        return build("大规划", tasks=60, extra_units=40, start_year=2021)


@pytest.mark.parametrize("query", ["", "light=red", "light=yellow", "section=1", "period=2024Q3"])
def test_the_pages_of_the_lagging_list_hold_every_lagging_task_once_in_order(app, office, large, monkeypatch,
                                                                              query):
    from tracker.supervision.views import office as views

    monkeypatch.setattr(views, "PAGE_SIZE", 7)
    filters = dict(part.split("=") for part in query.split("&") if part)
    with app.app_context():
        colour = filters.get("light")
        expected = [row.task.number for row in list_lagging(
            db.session, large, today=clock.today(), section_key=filters.get("section"),
            colour=Colour(colour) if colour else None, period_key=filters.get("period"))]
    assert len(expected) > 14        # three pages at least
    shown, page = [], 1
    while True:
        text = office.get(f"/supervision/lagging?plan={large}&page={page}&{query}").get_data(as_text=True)
        rows = numbers(text)
        if not rows:
            break
        assert len(rows) <= 7
        shown += rows
        page += 1
    assert page - 1 == -(-len(expected) // 7)
    assert shown == expected
    assert len(set(shown)) == len(shown)


def test_the_dashboard_lists_the_first_rows_of_the_lagging_list(app, office, large):
    with app.app_context():
        expected = [row.task.number for row in list_lagging(db.session, large, today=clock.today())][:15]
    page = office.get(f"/supervision?plan={large}").get_data(as_text=True)
    assert numbers(page) == expected
