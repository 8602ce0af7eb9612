"""Who may do what: predicates used alike by views, the API and templates.

Entry points turn False into 403. A unit user sees its own unit's work and the tasks
it answers for; the supervision office and the system administrator see everything.
三员分立: the 系统管理员 (Role.ADMIN) manages users, units, plans and periods; the 安全管理员
(Role.SECURITY) the security settings, locked accounts and second factors; the 审计管理员
(Role.AUDITOR) reads and exports the audit log and nothing else.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import abort


def is_authenticated(user) -> bool:
    """Logged in (a page's user) or a token's user (the API); anonymous and None are not."""
    return bool(getattr(user, "is_authenticated", False))


def is_supervisor(user) -> bool:
    return is_authenticated(user) and bool(user.is_supervisor)


def is_admin(user) -> bool:
    return is_authenticated(user) and bool(user.is_admin)


def is_security_admin(user) -> bool:
    return is_authenticated(user) and bool(user.is_security_admin)


def is_auditor(user) -> bool:
    return is_authenticated(user) and bool(user.is_auditor)


def is_unit_user(user) -> bool:
    """A unit's own user (never the office): the one who writes reports and asks for extensions."""
    return is_authenticated(user) and not user.is_supervisor and getattr(user, "unit_id", None) is not None


def can_unlock_accounts(user) -> bool:
    """Lifting a login lockout belongs to the 安全管理员."""
    return is_security_admin(user)


def can_reset_2fa(user) -> bool:
    return is_security_admin(user)


def can_revoke_sessions(user, target) -> bool:
    """Anyone may end their own sessions; the 系统管理员 and 安全管理员 anyone's."""
    if not is_authenticated(user):
        return False
    return user.id == target.id or user.is_admin or user.is_security_admin


def can_read_audit(user) -> bool:
    return is_auditor(user)


def can_change_role(user, target) -> bool:
    """The 系统管理员 assigns roles, never their own."""
    return is_admin(user) and user.id != target.id


def can_see_task(user, task_unit_ids: Iterable[int]) -> bool:
    """Supervisors see every task; a unit user the tasks its unit answers for."""
    if is_supervisor(user):
        return True
    return bool(getattr(user, "unit_id", None)) and user.unit_id in set(task_unit_ids)


def can_act_for_unit(user, unit_id: int) -> bool:
    """Writing a unit's reports: only that unit's own users."""
    return is_authenticated(user) and user.unit_id == unit_id and not user.is_supervisor


def can_see_unit(user, unit_id: int) -> bool:
    return is_supervisor(user) or getattr(user, "unit_id", None) == unit_id


def require(allowed: bool) -> None:
    """The one way an entry point refuses: 403."""
    if not allowed:
        abort(403)
