"""Who may do what: predicates used alike by views, the API and templates.

Entry points turn False into 403. A unit user sees its own unit's work and the tasks
it answers for; the supervision office and administrators see everything.
"""
from __future__ import annotations

from typing import Iterable

from flask import abort


def is_supervisor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_supervisor)


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def can_unlock_accounts(user) -> bool:
    """Unlocking an account locked by failed logins: administrators."""
    return is_admin(user)


def can_see_task(user, task_unit_ids: Iterable[int]) -> bool:
    """Supervisors see every task; a unit user the tasks its unit answers for."""
    if is_supervisor(user):
        return True
    return bool(getattr(user, "unit_id", None)) and user.unit_id in set(task_unit_ids)


def can_act_for_unit(user, unit_id: int) -> bool:
    """Writing a unit's reports: only that unit's own users."""
    return bool(getattr(user, "is_authenticated", False)) and user.unit_id == unit_id and not user.is_supervisor


def can_see_unit(user, unit_id: int) -> bool:
    return is_supervisor(user) or getattr(user, "unit_id", None) == unit_id


def require(allowed: bool) -> None:
    """The one way an entry point refuses: 403."""
    if not allowed:
        abort(403)
