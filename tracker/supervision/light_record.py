"""A task's light kept as a record: its facts and light as plain JSON, and the first day time alone may change them.

Pure: no Flask, no database. light_store.py writes a record whenever a write changes the
task and reads it back on the dashboard and the lagging list; a record is used only for the
days it is valid (`changes_on`) and with the rules it was lit by (`rules_key`).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from tracker.supervision.light_rules import Colour, LightRules
from tracker.supervision.lights import (
    EscalationFact,
    FlagFact,
    LeadReport,
    Light,
    MilestoneFact,
    Missing,
    Reason,
    ReturnedFact,
    TaskFacts,
)

DAY = timedelta(days=1)


def rules_key(rules: LightRules) -> str:
    """A short fingerprint of the rules a light was lit by."""
    text = json.dumps(rules.as_dict(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def changes_on(facts: TaskFacts, rules: LightRules, day: date, *, due_dates: Iterable[date]) -> date | None:
    """The first day after `day` on which the task's facts or light may differ without any write (None: never).

    `due_dates`: every due date that can make one of the task's reports overdue (the plan's
    quarters and the task's extensions); a report is overdue from the day after its due date
    plus the grace days. Early is always safe: the record is only recomputed sooner.
    """
    grace = timedelta(days=rules.overdue_grace_days)
    later = [due + grace + DAY for due in due_dates]
    if facts.missing:
        later.append(day + DAY)                          # "已逾期 N 天" counts up every day
    later += [max(day, e.respond_by) + DAY for e in facts.escalations if not e.answered]
    if facts.closed_on is not None:
        later.append(facts.closed_on)
    if rules.deadline_warning_days is not None:          # a milestone's warning window, then its day counting down
        warning = timedelta(days=rules.deadline_warning_days)
        later += [max(day + DAY, m.on - warning) for m in facts.milestones if m.on >= day]
    return min((on for on in later if on > day), default=None)


def dump_facts(facts: TaskFacts) -> dict[str, Any]:
    return {
        "starts": facts.plan_starts_on.isoformat(), "ends": facts.plan_ends_on.isoformat(),
        "closed": _day(facts.closed_on), "lead_units": facts.lead_units,
        "leads": [[x.unit, x.period, x.period_ends_on.isoformat(), x.status, x.percent] for x in facts.leads],
        "missing": [[x.unit, list(x.periods), x.days_overdue, x.returned] for x in facts.missing],
        "flags": [x.reason for x in facts.flags],
        "escalations": [[x.reason, x.respond_by.isoformat(), x.answered] for x in facts.escalations],
        "milestones": [[x.on.isoformat(), x.percent, x.what] for x in facts.milestones],
        "returned": [[x.unit, x.period] for x in facts.returned],
    }


def load_facts(data: dict[str, Any]) -> TaskFacts:
    return TaskFacts(
        plan_starts_on=date.fromisoformat(data["starts"]), plan_ends_on=date.fromisoformat(data["ends"]),
        closed_on=_from_day(data["closed"]), lead_units=data["lead_units"],
        leads=tuple(LeadReport(u, p, date.fromisoformat(e), s, c) for u, p, e, s, c in data["leads"]),
        missing=tuple(Missing(u, tuple(p), d, r) for u, p, d, r in data["missing"]),
        flags=tuple(FlagFact(r) for r in data["flags"]),
        escalations=tuple(EscalationFact(r, date.fromisoformat(b), a) for r, b, a in data["escalations"]),
        milestones=tuple(MilestoneFact(date.fromisoformat(o), p, w) for o, p, w in data["milestones"]),
        returned=tuple(ReturnedFact(u, p) for u, p in data["returned"]),
    )


def dump_light(lit: Light) -> dict[str, Any]:
    return {"colour": lit.colour.value, "days_overdue": lit.days_overdue,
            "reasons": [[r.code, r.template, dict(r.params), list(r.periods), list(r.words)] for r in lit.reasons]}


def load_light(data: dict[str, Any]) -> Light:
    return Light(Colour(data["colour"]),
                 tuple(Reason(c, t, p, tuple(w), periods=tuple(ps)) for c, t, p, ps, w in data["reasons"]),
                 data["days_overdue"])


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _from_day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
