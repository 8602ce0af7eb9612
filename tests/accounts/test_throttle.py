"""The throttle rule, as a table."""
from datetime import datetime, timedelta, timezone

import pytest

from tracker.accounts.throttle import locked_until

NOW = datetime(2024, 11, 20, 10, 0, tzinfo=timezone.utc)
WINDOW = timedelta(minutes=15)


@pytest.mark.parametrize("minutes_ago, expected_lock_minutes", [
    ([1, 2, 3, 4], None),                  # four failures: not yet
    ([1, 2, 3, 4, 5], 10),                 # the fifth locks until the oldest of five leaves the window
    ([1, 2, 3, 4, 16], None),              # one is outside the window
    ([1, 1, 1, 1, 1, 1], 14),
])
def test_five_failures_within_fifteen_minutes_lock(minutes_ago, expected_lock_minutes):
    failures = [NOW - timedelta(minutes=m) for m in minutes_ago]
    until = locked_until(failures, 5, WINDOW, NOW)
    if expected_lock_minutes is None:
        assert until is None
    else:
        assert until == NOW + timedelta(minutes=expected_lock_minutes)
