"""What the reporting's writes announce to the domains above them (answered in their listeners.py)."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# An extension (延期申请) decided, given a base_url: sent with (session, extension=…, now=…, base_url=…).
extension_decided = _signals.signal("extension-decided")
