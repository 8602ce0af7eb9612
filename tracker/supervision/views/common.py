"""What every supervision view shares: the office-only guard, the plan shown, refusals as text."""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.accounts.permissions import require
from tracker.core.errors import DomainError
from tracker.plans.choice import shown_plan  # noqa: F401  (the one place that chooses the plan)
from tracker.supervision.permissions import can_supervise


def office_page(view):
    """Logged in, and the supervision office or an administrator: everyone else gets 403."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        require(can_supervise(current_user))
        return view(*args, **kwargs)

    return guarded


def refusal(error: DomainError) -> str:
    """A DomainError in the user's language, with its field messages."""
    text = _(error.template, **error.params)
    details = [_(message) for message in getattr(error, "fields", {}).values() if _(message) != text]
    return " ".join([text, *details])


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None

