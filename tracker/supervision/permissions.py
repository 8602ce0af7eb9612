"""Who may do what in supervision: predicates shared by views, the task page and templates."""
from __future__ import annotations

from collections.abc import Iterable

from tracker.accounts.permissions import is_authenticated, is_supervisor


def can_supervise(user) -> bool:
    """Lights, review, escalation, flags, reminders and exports: the office and administrators."""
    return is_supervisor(user)


def can_respond_to_escalation(user, lead_unit_ids: Iterable[int]) -> bool:
    """The lead unit's own users answer an escalation (never the office on their behalf)."""
    if not is_authenticated(user) or is_supervisor(user):
        return False
    return getattr(user, "unit_id", None) in set(lead_unit_ids)


def can_answer_escalation(user, escalation) -> bool:
    """签收 and 反馈: the users of a unit the escalation concerns (never the office on their behalf)."""
    return can_respond_to_escalation(user, [part.unit_id for part in escalation.units])


def can_propose_milestone(user, lead_unit_ids: Iterable[int]) -> bool:
    """A lead unit's users propose milestones; the office accepts them (and enters its own)."""
    return can_respond_to_escalation(user, lead_unit_ids)
