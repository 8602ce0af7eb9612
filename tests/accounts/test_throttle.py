"""The throttle rule, as a table."""
from datetime import UTC, datetime, timedelta

import pytest

from tracker.accounts.throttle import ThrottleRule, locked_until

NOW = datetime(2024, 11, 20, 10, 0, tzinfo=UTC)
LOCK = timedelta(minutes=30)


@pytest.mark.parametrize("minutes_ago, expected_lock_minutes", [
    ([1, 2, 3, 4], None),                  # four failures: not yet
    ([1, 2, 3, 4, 5], 29),                 # the fifth locks for thirty minutes after the last failure
    ([1, 2, 3, 4, 31], None),              # one is outside the thirty minutes
    ([25, 26, 27, 28, 29], 5),
    ([1, 1, 1, 1, 1, 1], 29),
])
def test_five_failures_within_thirty_minutes_lock_for_thirty_minutes(minutes_ago, expected_lock_minutes):
    failures = [NOW - timedelta(minutes=m) for m in minutes_ago]
    until = locked_until(failures, 5, LOCK, NOW)
    if expected_lock_minutes is None:
        assert until is None
    else:
        assert until == NOW + timedelta(minutes=expected_lock_minutes)


def test_the_limits_are_configurable_with_the_level_3_defaults():
    assert ThrottleRule.from_config({}) == ThrottleRule(5, 20, timedelta(minutes=30))
    assert ThrottleRule.from_config({"TRACKER_LOGIN_MAX_FAILURES": 3, "TRACKER_LOGIN_LOCK_MINUTES": 60}) == \
        ThrottleRule(3, 20, timedelta(minutes=60))
