"""What the office's actions announce; the reminders answer with a notice (tracker/reminders/listeners.py).

Each is sent with the session as sender, inside the write's transaction, and only when the write was
given a base_url (the links of the notice).
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

escalation_opened = _signals.signal("escalation-opened")      # escalation=, colour=, now=, base_url=
escalation_overdue = _signals.signal("escalation-overdue")    # escalation=, unit_ids=, colour=, now=, base_url=
report_returned = _signals.signal("report-returned")          # review=, now=, base_url=
report_accepted = _signals.signal("report-accepted")          # review=, now=, base_url=
# The pages of the office ask the domains above for panels: sent with (session, plan=…, today=…),
# a receiver returns the panel's HTML (Markup).
dashboard_panels = _signals.signal("dashboard-panels")
