"""The indicator table through the API: figures as the plan writes them, latest value, light."""
from __future__ import annotations

from sqlalchemy import select


def test_every_indicator_is_listed_with_its_figures_and_light(client, ipo):
    indicators = client.get("/api/v1/indicators", headers=ipo).get_json()["indicators"]
    assert len(indicators) == 18
    first = indicators[0]
    assert first["number"] == 1 and first["name"] == "每万人口高价值发明专利拥有量"
    assert (first["baseline"], first["target"], first["kind"]) == ("4.62", "13", "cumulative")
    assert first["latest"] is None and first["light"] == "no_data" and first["reasons"]


def test_the_latest_value_of_an_indicator_is_shown_with_its_state(app, client, office):
    from tracker import clock
    from tracker.db import db
    from tracker.indicators.models import Indicator, IndicatorValue

    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.number == 1))
        db.session.add_all([
            IndicatorValue(indicator_id=indicator.id, year=2022, value=6.0, note="", entered_at=clock.now()),
            IndicatorValue(indicator_id=indicator.id, year=2023, value=8.5, note="统计公报", entered_at=clock.now()),
        ])
        db.session.commit()
    first = client.get("/api/v1/indicators", headers=office).get_json()["indicators"][0]
    assert first["latest"] == {"year": 2023, "value": 8.5, "note": "统计公报", "state": "entered"}
    assert first["light"] != "no_data"
