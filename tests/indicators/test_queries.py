"""The indicator table's reads take a fixed number of queries, however many values there are."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker import clock
from tracker.db import db
from tracker.indicators import queries
from tracker.indicators.models import Indicator, IndicatorValue

TODAY = date(2024, 11, 20)


def _fill(app, plan_id: int) -> None:
    """Two entries a year, 2021–2024, for every indicator."""
    with app.app_context():
        for indicator in db.session.scalars(select(Indicator).where(Indicator.plan_id == plan_id)):
            for year in range(2021, 2025):
                for value in (1.0, 2.0):
                    db.session.add(IndicatorValue(indicator_id=indicator.id, year=year, value=value, note="x",
                                                  unit_id=indicator.owner_unit_id, entered_at=clock.now()))
        db.session.commit()


def test_the_indicator_rows_take_two_queries_for_few_and_many_values(app, plan, count_queries):
    with app.app_context(), count_queries() as few:
        rows = queries.list_indicator_rows(db.session, plan, today=TODAY)
        assert all(row.latest is None for row in rows)
    _fill(app, plan)
    with app.app_context(), count_queries() as many:
        rows = queries.list_indicator_rows(db.session, plan, today=TODAY)
        assert all(row.latest.year == 2024 and row.latest.value == 2.0 for row in rows)
        assert all(row.indicator.owner.name for row in rows)
    assert len(few) == len(many) == 2


def test_the_indicator_table_page_takes_the_same_queries_for_few_and_many_values(app, client, people, login,
                                                                                 count_queries):
    login(client, "office")
    with count_queries() as few:
        assert client.get("/indicators").status_code == 200
    _fill(app, people)
    with count_queries() as many:
        assert client.get("/indicators").status_code == 200
    assert len(few) == len(many)


def test_the_indicator_page_takes_the_same_queries_for_few_and_many_values(app, client, people, login,
                                                                           count_queries):
    login(client, "office")
    with count_queries() as few:
        assert client.get("/indicators/1").status_code == 200
    _fill(app, people)
    with count_queries() as many:
        assert client.get("/indicators/1").status_code == 200
    assert len(few) == len(many)
