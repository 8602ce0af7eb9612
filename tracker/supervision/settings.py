"""The light rules in force: the office's stored rules, else app.config["SUPERVISION_LIGHT_RULES"], else defaults.

The office edits them on /supervision/light-rules or through PUT /api/v1/light-rules;
saving bumps every plan's revision (freshness.py), so every light is re-evaluated at once.
"""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Invalid
from tracker.supervision.ladder import Ladder
from tracker.supervision.light_rules import LightRules, parse_rules
from tracker.supervision.models import LightRuleSet

CONFIG_KEY = "SUPERVISION_LIGHT_RULES"
ROW = 1


def configured_rules() -> LightRules:
    """The application's configured rules (the defaults outside an application context)."""
    if not has_app_context():
        return LightRules()
    values = dict(current_app.config.get(CONFIG_KEY) or {})
    known = {f.name for f in fields(LightRules)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"{CONFIG_KEY}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return LightRules(**values)


def configured_ladder() -> Ladder:
    """The 督办单 colours of TRACKER_ESCALATION_LADDER (the defaults outside an application context)."""
    return Ladder.from_config(current_app.config) if has_app_context() else Ladder()


def current_rules(session: Session) -> LightRules:
    """The rules every light is evaluated with: one primary-key read."""
    row = session.get(LightRuleSet, ROW)
    if row is None:
        return configured_rules()
    try:
        return parse_rules(row.values)
    except Invalid:          # a stored set from a newer release: the configured rules rather than a 500
        return configured_rules()


def save_rules(session: Session, rules: LightRules, *, actor, now: datetime) -> LightRules:
    """Stores the office's rules (audited); in force for every light from the next read."""
    old = current_rules(session)
    row = session.get(LightRuleSet, ROW)
    if row is None:
        row = LightRuleSet(id=ROW, values={}, updated_at=now)
        session.add(row)
    row.values, row.updated_at = rules.as_dict(), now
    row.updated_by_id = getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor=actor, action="light_rules.save", object_type="LightRuleSet", object_id=ROW,
                 old=old.as_dict(), new=rules.as_dict(), at=now)
    return rules
