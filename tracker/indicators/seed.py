"""Loading the plan's indicators and peer figures from seed data, in place; twice changes nothing.

Owner units are proposals (owners.json, by indicator name) until an administrator confirms
one; a confirmed owner is never touched by a later seed.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.accounts.units import units_by_name
from tracker.core import audit
from tracker.indicators import rules
from tracker.indicators.models import Indicator, PeerFigure
from tracker.plans.models import Plan
from tracker.plans.services import apply_seed_values

OWNERS = Path(__file__).resolve().parent / "owners.json"


def proposed_owners() -> dict[str, str]:
    """Indicator name → the unit name proposed as its owner."""
    data = json.loads(OWNERS.read_text(encoding="utf-8"))
    return {name: entry["unit"] for name, entry in data["proposals"].items()}


def load(session: Session, plan: Plan, seed: dict[str, Any], changes, *, actor: Any, now: datetime) -> None:
    records = seed.get("indicators") or []
    if not records:
        return
    existing = {i.number: i for i in session.scalars(
        select(Indicator).where(Indicator.plan_id == plan.id).options(selectinload(Indicator.peers)))}
    units = units_by_name(session)
    owners = proposed_owners()
    for record in records:
        values = _indicator_values(record, plan)
        indicator = existing.get(values["number"])
        proposal = units.get(owners.get(values["name"], ""))
        if indicator is None:
            indicator = Indicator(plan_id=plan.id, owner=proposal, owner_proposed=True, **values)
            session.add(indicator)
            changes.created.append(f"indicator {indicator.number}")
            audit.record(session, actor=actor, action="indicator.create", obj=indicator,
                         new={**values, "owner": proposal.name if proposal else None}, at=now)
        else:
            if indicator.owner_proposed and proposal is not None and indicator.owner_unit_id != proposal.id:
                values["owner_unit_id"] = proposal.id
            apply_seed_values(session, indicator, values, changes, label=f"indicator {indicator.number}", actor=actor,
                              now=now)
        _load_peers(session, indicator, record.get("peers") or [], changes, actor=actor, now=now)
    session.flush()


def _indicator_values(record: dict[str, Any], plan: Plan) -> dict[str, Any]:
    baseline = str(record.get("baseline", "-"))
    target = str(record.get("target", "-"))
    low, high = _figure(record, target, "target_low", "target_high")
    return {
        "number": int(record["number"]),
        "category": record.get("category", ""),
        "name": record["name"],
        "measure": record.get("measure", ""),
        "baseline": baseline,
        "baseline_value": _figure(record, baseline, "baseline_value", "baseline_value")[0],
        "target": target,
        "target_low": low,
        "target_high": high,
        "annual": bool(record.get("annual", False)),
        "attribute": record.get("attribute", ""),
        "basis": record.get("basis") or "",
        "baseline_year": int(record.get("baseline_year") or plan.start_year - 1),
        "target_year": int(record.get("target_year") or plan.end_year),
    }


def _figure(record: dict[str, Any], text: str, low_key: str, high_key: str) -> tuple[float | None, float | None]:
    """The numbers the importer read, or read here from the text where it gave none."""
    if low_key in record:
        low, high = record.get(low_key), record.get(high_key)
        return (None if low is None else float(low)), (None if high is None else float(high))
    return rules.parse_figure(text)


def _load_peers(session: Session, indicator: Indicator, records: list[dict[str, Any]], changes, *,
                actor: Any, now: datetime) -> None:
    existing = {p.city: p for p in indicator.peers} if indicator.id else {}
    for position, record in enumerate(records, start=1):
        target = str(record.get("target", "-"))
        low, high = _figure(record, target, "target_low", "target_high")
        baseline = str(record.get("baseline", "-"))
        values = {"position": position, "baseline": baseline,
                  "baseline_value": _figure(record, baseline, "baseline_value", "baseline_value")[0],
                  "target": target, "target_low": low, "target_high": high, "note": record.get("note") or ""}
        peer = existing.pop(record["city"], None)
        if peer is None:
            indicator.peers.append(PeerFigure(city=record["city"], **values))
            if indicator.id:
                changes.created.append(f"indicator {indicator.number}: peer {record['city']}")
        else:
            apply_seed_values(session, peer, values, changes, label=f"indicator {indicator.number}: peer {peer.city}",
                              actor=actor, now=now)
    for stale in existing.values():
        indicator.peers.remove(stale)
        changes.updated.append(f"indicator {indicator.number}: peer {stale.city} removed")
