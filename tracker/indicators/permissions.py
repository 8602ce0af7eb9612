"""Who may do what with indicators: everyone logged in reads the figures (the plan's public goals);
the owner unit's users enter values; the supervision office reviews them; administrators assign owners."""
from __future__ import annotations

from tracker.accounts.permissions import can_act_for_unit, is_admin, is_supervisor


def can_enter_value(user, indicator) -> bool:
    return indicator.owner_unit_id is not None and can_act_for_unit(user, indicator.owner_unit_id)


def can_review_value(user) -> bool:
    return is_supervisor(user)


def can_assign_owner(user) -> bool:
    return is_admin(user)


def can_export(user) -> bool:
    return is_supervisor(user)


def can_read_evidence(user, value) -> bool:
    """The supervision office, and the unit that entered the value or owns the indicator now."""
    if is_supervisor(user):
        return True
    unit_id = getattr(user, "unit_id", None)
    return unit_id is not None and unit_id in (value.unit_id, value.indicator.owner_unit_id)
