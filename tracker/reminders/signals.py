"""What the reminders ask the domains above them (answered in their listeners.py)."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# The weekly digest asks for more facts: sent with (session, plan=…, today=…), a receiver returns a dict
# of template context (e.g. indicators_behind for templates/reminders/mail/digest.*).
digest_facts = _signals.signal("digest-facts")
