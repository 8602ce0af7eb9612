"""The plan's indicators (主要指标) with their latest values and lights."""
from __future__ import annotations

from flask_babel import gettext

from tracker import clock
from tracker.api import schemas
from tracker.api.paging import take
from tracker.api.views import chosen_plan, operations, paged
from tracker.db import db
from tracker.indicators.queries import IndicatorRow, list_indicator_rows


@operations.route("/indicators", summary="Indicators with latest values and lights", query=schemas.Paged,
                  responses={200: schemas.IndicatorList})
def indicators(query):
    """Every indicator of the plan by number, its latest yearly value and whether it keeps to its path."""
    rows = list_indicator_rows(db.session, chosen_plan(query).id, today=clock.today())
    page = take("indicators", rows, lambda row: (row.indicator.id,), query["page"])
    return {"indicators": [indicator_json(row) for row in page.items], **paged(page)}


def indicator_json(row: IndicatorRow) -> dict:
    indicator, latest = row.indicator, row.latest
    return {
        "number": indicator.number, "category": indicator.category, "name": indicator.name,
        "measure": indicator.measure, "baseline": indicator.baseline, "target": indicator.target,
        "kind": "annual" if indicator.annual else "cumulative", "attribute": indicator.attribute,
        "owner": indicator.owner.name if indicator.owner else None,
        "latest": None if latest is None else {"year": latest.year, "value": latest.value, "note": latest.note,
                                               "state": latest.state.value},
        "light": row.light.colour.value, "reasons": [reason.text(gettext) for reason in row.light.reasons],
    }
