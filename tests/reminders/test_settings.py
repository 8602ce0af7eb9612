"""The reminder cadences are configuration: defaults, and a bad value stops the start naming it."""
from __future__ import annotations

from datetime import time

import pytest

from tracker.config import ConfigError, read


def test_the_default_cadence_is_three_working_days_every_three_days_five_times_monday_nine(tmp_path):
    values = read({}, tmp_path)
    assert (values["TRACKER_REMIND_BEFORE_WORKDAYS"], values["TRACKER_REMIND_EVERY_DAYS"],
            values["TRACKER_REMIND_MAX"]) == (3, 3, 5)
    assert values["TRACKER_REMIND_AT"] == time(8, 30)
    assert values["TRACKER_DIGEST_CRON"] == ("mon", time(9, 0))
    assert values["TRACKER_DELIVER_EVERY_SECONDS"] == 60


def test_the_digest_time_is_read_as_weekday_and_time(tmp_path):
    assert read({"TRACKER_DIGEST_CRON": "Fri 16:30"}, tmp_path)["TRACKER_DIGEST_CRON"] == ("fri", time(16, 30))


@pytest.mark.parametrize("name, value, words", [
    ("TRACKER_REMIND_EVERY_DAYS", "0", ">= 1"),
    ("TRACKER_REMIND_MAX", "many", "whole number"),
    ("TRACKER_REMIND_BEFORE_WORKDAYS", "-1", ">= 0"),
    ("TRACKER_REMIND_AT", "25:00", "HH:MM"),
    ("TRACKER_DIGEST_CRON", "monday 9am", "weekday"),
    ("TRACKER_DIGEST_CRON", "mon 9", "HH:MM"),
    ("TRACKER_DELIVER_EVERY_SECONDS", "0", ">= 1"),
])
def test_a_bad_cadence_fails_at_start_naming_the_variable(tmp_path, name, value, words):
    with pytest.raises(ConfigError) as error:
        read({name: value}, tmp_path)
    assert name in str(error.value) and words in str(error.value)
