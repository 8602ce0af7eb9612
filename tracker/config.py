"""The only reader of os.environ: every TRACKER_* variable, typed, defaulted, validated."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(Exception):
    """A TRACKER_* variable holds a value the application cannot start with."""


@dataclass(frozen=True)
class Variable:
    name: str
    default: str | None
    help: str
    parse: Callable[[str], object] = str


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {value!r}") from None
    return value


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise ConfigError(f"expected a number >= 0, got {value!r}")
    return number


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"expected true or false, got {value!r}")


def _rate(value: str) -> str:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"expected a rate such as '120 per minute', got {value!r}") from None
    return value


def _at_least_one(value: str) -> int:
    number = _positive_int(value)
    if number < 1:
        raise ConfigError(f"expected a number >= 1, got {value!r}")
    return number


def _clock_time(value: str) -> time:
    try:
        hour, minute = (int(part) for part in value.strip().split(":"))
        return time(hour, minute)
    except ValueError:
        raise ConfigError(f"expected a time of day as HH:MM, got {value!r}") from None


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekly(value: str) -> tuple[str, time]:
    """'mon 09:00' → ('mon', 09:00): a day of the week and a time."""
    day, _, at = value.strip().lower().partition(" ")
    if day not in WEEKDAYS:
        raise ConfigError(f"expected a weekday (mon…sun) and HH:MM, e.g. 'mon 09:00', got {value!r}")
    return day, _clock_time(at.strip())


def _security(value: str) -> str:
    if value not in {"none", "starttls", "ssl"}:
        raise ConfigError(f"expected none, starttls or ssl, got {value!r}")
    return value


VARIABLES: tuple[Variable, ...] = (
    Variable("TRACKER_DATABASE_URL", None, "SQLAlchemy URL; default a SQLite file tracker.db in the instance folder"),
    Variable("TRACKER_SECRET_KEY", None, "session signing key; default generated once into instance/secret_key"),
    Variable("TRACKER_TIMEZONE", "Asia/Shanghai", "time zone of every date and schedule", _zone),
    Variable("TRACKER_BASE_URL", "http://127.0.0.1:5000", "public address, used in e-mailed links"),
    Variable("TRACKER_TODAY", None, "fixes today's date (YYYY-MM-DD) for demos and tests", _date),
    Variable("TRACKER_DUE_WORKDAYS", "5", "working days after a quarter ends until its reports are due", _positive_int),
    Variable("TRACKER_UPLOAD_MAX_MB", "20", "largest evidence file accepted, in MB", _positive_int),
    Variable("TRACKER_UPLOAD_DIR", None, "where evidence files are stored; default instance/uploads", str),
    Variable("TRACKER_SCHEDULER", "false", "run the scheduled jobs inside the web process (the demo does)", _bool),
    Variable("TRACKER_SMTP_HOST", None, "SMTP relay; unset keeps mail in the outbox", str),
    Variable("TRACKER_SMTP_PORT", "25", "SMTP port", _positive_int),
    Variable("TRACKER_SMTP_USERNAME", None, "SMTP login", str),
    Variable("TRACKER_SMTP_PASSWORD", None, "SMTP password", str),
    Variable("TRACKER_SMTP_SECURITY", "none", "none | starttls | ssl", _security),
    Variable("TRACKER_MAIL_FROM", "tracker@localhost", "sender address of every mail", str),
    Variable("TRACKER_REMIND_BEFORE_WORKDAYS", "3", "notice to units this many working days before a due date (0: none)",
             _positive_int),
    Variable("TRACKER_REMIND_EVERY_DAYS", "3", "overdue reminders repeat every this many days", _at_least_one),
    Variable("TRACKER_REMIND_MAX", "5", "overdue reminders before the next one copies the supervision office",
             _positive_int),
    Variable("TRACKER_REMIND_AT", "08:30", "time of day (HH:MM) of the daily reminder sweep", _clock_time),
    Variable("TRACKER_DIGEST_CRON", "mon 09:00", "weekday and time of the weekly digest to the supervision office",
             _weekly),
    Variable("TRACKER_DELIVER_EVERY_SECONDS", "60", "how often the outbox is sent", _at_least_one),
    Variable("TRACKER_LOG_LEVEL", "INFO", "logging level of the stderr log", str),
    Variable("TRACKER_TRUSTED_PROXIES", "0", "reverse proxies in front of the app whose X-Forwarded-For/-Proto "
             "are believed (nginx alone: 1); 0 reads the client address from the connection", _positive_int),
    Variable("TRACKER_LOGIN_MAX_FAILURES", "5", "failed logins within the lock time that lock an account",
             _at_least_one),
    Variable("TRACKER_LOGIN_LOCK_MINUTES", "30", "how long an account stays locked after too many failed logins",
             _at_least_one),
    Variable("TRACKER_API_RATE_LIMIT", "120 per minute", "requests allowed per API token", _rate),
    Variable("TRACKER_RATELIMIT_STORAGE_URI", "memory://", "where API request counts are kept, e.g. redis://host:6379", str),
)


def read(environ: Mapping[str, str], instance_path: str | Path) -> dict[str, object]:
    """Flask config keys from the environment; raises ConfigError naming the variable."""
    instance = Path(instance_path)
    values: dict[str, object] = {}
    for variable in VARIABLES:
        raw = environ.get(variable.name, variable.default)
        if raw is None or raw == "":
            values[variable.name] = None
            continue
        try:
            values[variable.name] = variable.parse(raw)
        except ConfigError as error:
            raise ConfigError(f"{variable.name}: {error}") from None
    url = values.pop("TRACKER_DATABASE_URL") or f"sqlite:///{instance / 'tracker.db'}"
    values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(str(url))
    values["SECRET_KEY"] = values.pop("TRACKER_SECRET_KEY") or _instance_secret(instance)
    values["TRACKER_UPLOAD_DIR"] = values["TRACKER_UPLOAD_DIR"] or str(instance / "uploads")
    values["MAX_CONTENT_LENGTH"] = (int(values["TRACKER_UPLOAD_MAX_MB"]) + 1) * 1024 * 1024
    return values


def normalise_database_url(url: str) -> str:
    """postgresql:// means psycopg 3 here: the only PostgreSQL driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(instance: Path) -> str:
    """A key generated once per installation, so sessions survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def environment() -> Mapping[str, str]:
    return os.environ
