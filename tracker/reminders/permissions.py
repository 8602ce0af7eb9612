"""Who may see the outbox and the reminder log, and retry a message: the office and administrators."""
from __future__ import annotations

from tracker.accounts.permissions import is_supervisor


def can_read_outbox(user) -> bool:
    """Mail holds every unit's owed tasks and addresses: the supervision office and administrators only."""
    return is_supervisor(user)


def can_retry_message(user) -> bool:
    return is_supervisor(user)


def can_configure_notices(user) -> bool:
    """Which notices go out and the robot channels: the supervision office and administrators."""
    return is_supervisor(user)
