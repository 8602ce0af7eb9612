"""The data an indicator page hands its charts (static/js/indicators.js) as JSON."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.indicators.queries import IndicatorPage

HOME_CITY = "郑州"


def chart_data(page: IndicatorPage, *, gettext: Callable[..., str]) -> dict[str, Any]:
    indicator = page.row.indicator
    years = [year for year, _ in page.path]
    values = [page.row.by_year[y].value if y in page.row.by_year else None for y in years]
    values[0] = indicator.baseline_value
    path = [value for _, value in page.path]
    if indicator.annual:
        path[0] = None  # a year's own figure: the target line itself, not a climb from 2020
    peers = [p for p in indicator.peers if p.given]
    return {
        "name": indicator.name,
        "measure": indicator.measure,
        "years": [str(y) for y in years],
        "values": values,
        "path": path,
        "target_low": indicator.target_low,
        "target_high": indicator.target_high,
        "target_year": str(indicator.target_year),
        "labels": {
            "values": gettext("实际值"),
            "path": gettext("目标值（当年值）") if indicator.annual else gettext("路径值"),
            "target": gettext("%(year)s年目标", year=indicator.target_year),
            "range": gettext("目标区间"),
            "baseline": gettext("%(year)s年基期值", year=indicator.baseline_year),
        },
        "peers": {
            "cities": [gettext(HOME_CITY), *[p.city for p in peers]],
            "baseline": [indicator.baseline_value, *[p.baseline_value for p in peers]],
            "target": [indicator.target_low, *[p.target_low for p in peers]],
            "target_text": [indicator.target, *[p.target for p in peers]],
        } if peers else None,
    }
