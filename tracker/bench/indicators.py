"""18 indicators with five years of values, when the indicators domain has its models."""
from __future__ import annotations

import random
from datetime import UTC, datetime, time

from sqlalchemy.orm import Session

from tracker.bench.shape import Scale
from tracker.domains import optional_module
from tracker.plans.models import Plan

COUNT = 18
YEARS = range(2021, 2026)


def fill(session: Session, plan: Plan, scale: Scale, rng: random.Random) -> list[str]:
    """Returns notes for the build's output (e.g. why nothing was written)."""
    models = optional_module("indicators", "models")
    if models is None or not hasattr(models, "IndicatorValue"):
        return ["indicators: skipped (tracker/indicators/models.py has no Indicator/IndicatorValue yet)"]
    connection = session.connection()
    indicators, values = [], []
    value_id = 0
    for number in range(1, COUNT + 1):
        annual = number % 3 == 0
        baseline = float(rng.randint(10, 500))
        target = baseline * (1.3 + rng.random())
        owner = (number * 7) % scale.units + 1
        indicators.append({
            "id": number, "plan_id": plan.id, "number": number, "category": f"类别{(number - 1) // 6 + 1}",
            "name": f"基准指标{number}", "measure": "%" if number % 5 == 0 else "件",
            "baseline": f"{baseline:g}", "baseline_value": baseline, "target": f"{target:.0f}",
            "target_low": round(target), "target_high": round(target), "annual": annual, "attribute": "预期性",
            "basis": "", "baseline_year": 2020, "target_year": 2025, "owner_unit_id": owner, "owner_proposed": False,
        })
        for year in YEARS:
            share = (year - 2020) / 5
            value = baseline + (target - baseline) * share * (0.7 + 0.5 * rng.random())
            # A few years were entered twice (a correction): the newest entry counts.
            for entry in range(2 if rng.random() < 0.1 else 1):
                value_id += 1
                at = datetime.combine(datetime(year + 1 if year < 2025 else 2025, 1 if year < 2025 else 11, 15),
                                      time(9, entry), tzinfo=UTC)
                values.append({
                    "id": value_id, "indicator_id": number, "year": year, "value": round(value * (1 + 0.02 * entry), 2),
                    "note": "", "unit_id": owner, "entered_at": at, "entered_by_id": owner + 2,
                    "evidence_name": None, "evidence_path": None, "evidence_type": None,
                    "state": models.ValueState.ACCEPTED if year < 2025 else models.ValueState.ENTERED,
                    "review_comment": "", "reviewed_at": at if year < 2025 else None,
                    "reviewed_by_id": 2 if year < 2025 else None,
                })
    table_names = {column.name for column in models.IndicatorValue.__table__.columns}
    indicator_names = {column.name for column in models.Indicator.__table__.columns}
    connection.execute(models.Indicator.__table__.insert(),
                       [{k: v for k, v in row.items() if k in indicator_names} for row in indicators])
    connection.execute(models.IndicatorValue.__table__.insert(),
                       [{k: v for k, v in row.items() if k in table_names} for row in values])
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        for table, highest in (("indicator", COUNT), ("indicator_value", value_id)):
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :n)"), {"n": highest})
    return [f"indicators: {COUNT} indicators, {value_id} values ({YEARS.start}–{YEARS.stop - 1})"]
