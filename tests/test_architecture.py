"""The rules a clerk would recognise live in plain modules: no Flask, no database session."""
from __future__ import annotations

import subprocess
import sys

import pytest

PURE = [
    "tracker.planimport",
    "tracker.planimport.cli",
    "tracker.reporting.periods",
    "tracker.core.quarters",
    "tracker.core.figures",
    "tracker.core.messages",
    "tracker.core.workdays",
    "tracker.core.errors",
    "tracker.accounts.throttle",
    "tracker.core.inputs",
    "tracker.supervision.lights",
    "tracker.supervision.ladder",
    "tracker.supervision.light_rules",
    "tracker.supervision.light_record",
    "tracker.supervision.score_rules",
    "tracker.core.cells",
    "tracker.reminders.rules",
    "tracker.indicators.rules",
]


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_neither_flask_nor_sqlalchemy(module):
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in ('flask', 'sqlalchemy', 'flask_sqlalchemy') if m in sys.modules); "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"
