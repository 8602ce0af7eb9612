"""What the plans ask the domains above them; those answer in their listeners.py (tracker/domains.py)."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with (session, plan=…) before an import is undone: a receiver answers True when the plan
# holds work that undoing it would lose (reports saved on its tasks).
plan_has_work = _signals.signal("plan-has-work")
