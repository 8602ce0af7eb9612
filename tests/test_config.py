"""Configuration: one mapping from the environment, clear failures, a kept secret."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.config import ConfigError, normalise_database_url, read


def test_defaults_give_a_sqlite_file_in_the_instance_folder_and_shanghai_time(tmp_path):
    values = read({}, tmp_path)
    assert values["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert values["TRACKER_TIMEZONE"] == "Asia/Shanghai"
    assert values["TRACKER_DUE_WORKDAYS"] == 5


def test_the_generated_secret_key_is_kept_across_restarts(tmp_path):
    first = read({}, tmp_path)["SECRET_KEY"]
    assert len(first) == 64
    assert read({}, tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("name, value, words", [
    ("TRACKER_TODAY", "20.11.2024", "YYYY-MM-DD"),
    ("TRACKER_TIMEZONE", "Mars/Olympus", "time zone"),
    ("TRACKER_SMTP_SECURITY", "tls", "starttls"),
    ("TRACKER_DUE_WORKDAYS", "five", "whole number"),
])
def test_a_bad_variable_fails_at_start_naming_it(tmp_path, name, value, words):
    with pytest.raises(ConfigError) as error:
        read({name: value}, tmp_path)
    assert name in str(error.value) and words in str(error.value)


def test_tracker_today_fixes_the_date(tmp_path):
    assert read({"TRACKER_TODAY": "2024-10-12"}, tmp_path)["TRACKER_TODAY"] == date(2024, 10, 12)


def test_postgresql_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
