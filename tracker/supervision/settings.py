"""The light thresholds in force: LightRules defaults, overridden by app.config["SUPERVISION_LIGHT_RULES"].

e.g. create_app({"SUPERVISION_LIGHT_RULES": {"behind_by_points": 15, "overdue_grace_days": 3}}).
"""
from __future__ import annotations

from dataclasses import fields

from flask import current_app, has_app_context

from tracker.supervision.ladder import Ladder
from tracker.supervision.lights import LightRules

CONFIG_KEY = "SUPERVISION_LIGHT_RULES"


def configured_rules() -> LightRules:
    """The application's rules (the defaults outside an application context)."""
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
