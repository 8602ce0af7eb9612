"""The demo's indicator values: 2021–2023 for most indicators, a mix of lights, one queried value."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from tracker.db import db
from tracker.indicators import demo, queries
from tracker.indicators.models import IndicatorValue, ValueState
from tracker.indicators.rules import IndicatorColour
from tracker.plans.models import Plan

TODAY = date(2024, 11, 20)


def test_the_demo_fills_three_years_for_most_indicators_with_a_mix_of_lights(app, people):
    with app.app_context():
        assert demo.fill(db.session, db.session.get(Plan, people), today=TODAY) > 40
        db.session.commit()
        rows = queries.list_indicator_rows(db.session, people, today=TODAY)
        full = [r for r in rows if {2021, 2022, 2023} <= set(r.by_year)]
        assert len(full) >= 12
        colours = Counter(row.light.colour for row in rows)
        assert colours[IndicatorColour.BEHIND] and colours[IndicatorColour.ON_PATH] and colours[IndicatorColour.ACHIEVED] and colours[IndicatorColour.NO_DATA]
        pledge = db.session.scalars(select(IndicatorValue).join(IndicatorValue.indicator)
                                    .where(IndicatorValue.year == 2023, IndicatorValue.value.in_([9.8, 10.2]))
                                    .order_by(IndicatorValue.id)).all()
        assert [(v.value, v.state) for v in pledge] == [(9.8, ValueState.QUERIED), (10.2, ValueState.ENTERED)]
        assert all(v.entered_at.date() <= TODAY for v in db.session.scalars(select(IndicatorValue)))


def test_the_demo_stops_at_the_demo_date(app, people):
    with app.app_context():
        demo.fill(db.session, db.session.get(Plan, people), today=date(2023, 1, 1))
        years = set(db.session.scalars(select(IndicatorValue.year)))
        assert years == {2021}
