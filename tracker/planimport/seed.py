"""ImportResult → the seed dictionary other parts of the tracker load (seed_tasks.json)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .indicators import Figure, Indicator, Peer

if TYPE_CHECKING:
    from .result import ImportResult, Task


def seed_of(result: ImportResult) -> dict:
    plan = result.plan
    return {
        "plan": {"title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year},
        "sections": [
            {"key": s.key, "part": s.part, "title": s.title, "position": s.position, "line": s.line}
            for s in result.sections
        ],
        "tasks": [_task(t) for t in result.tasks],
        "units": [
            {"name": u.name, "kind": u.kind, "aliases": list(u.aliases), "members": list(u.members), "office": u.office}
            for u in result.units
        ],
        "indicators": [_indicator(i) for i in result.indicators],
    }


def _task(task: Task) -> dict:
    record = {
        "number": task.number, "title": task.title, "text": task.text, "section": task.section,
        "section_key": task.section_key, "lead": task.lead, "leads": list(task.leads), "co": list(task.co),
        "units_text": task.units_text, "line": task.line,
    }
    if task.deadline:  # only where the plan gives one
        record["deadline"] = {"text": task.deadline,
                              "date": task.deadline_on.isoformat() if task.deadline_on else None}
    return record


def _indicator(indicator: Indicator) -> dict:
    return {
        "number": indicator.number,
        "category": indicator.category,
        "name": indicator.name,
        "measure": indicator.measure,
        **_baseline(indicator.baseline),
        **_target(indicator.target),
        "annual": indicator.annual,
        "attribute": indicator.attribute,
        "basis": indicator.basis,
        "baseline_year": indicator.baseline_year,
        "target_year": indicator.target_year,
        "line": indicator.line,
        "peers": [_peer(peer) for peer in indicator.peers],
    }


def _peer(peer: Peer) -> dict:
    return {"city": peer.city, **_baseline(peer.baseline), **_target(peer.target), "note": peer.note}


def _baseline(figure: Figure) -> dict:
    return {"baseline": figure.written, "baseline_value": figure.low}


def _target(figure: Figure) -> dict:
    return {"target": figure.written, "target_low": figure.low, "target_high": figure.high}
