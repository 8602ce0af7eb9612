"""The only reader of os.environ: every TRACKER_* variable, typed, defaulted, validated."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
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


def _shared_store(value: str) -> str:
    """memory:// (each process counts alone) or a store every process reaches, e.g. redis://host:6379/0."""
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string

    try:
        storage_from_string(value)    # builds the client only: nothing is connected at start-up
    except (ConfigurationError, ValueError) as error:    # unknown scheme, missing package, malformed URL
        hint = " (pip install 'plan-tracker[prod]' brings redis)" if value.startswith("redis") else ""
        raise ConfigError(f"expected memory:// or redis://host:6379/0: {error}{hint}") from None
    return value


def _mailbox(value: str) -> str:
    from email.utils import parseaddr

    if "@" not in parseaddr(value)[1]:
        raise ConfigError(f"expected an address or 'Name <address>', got {value!r}")
    return value


def _ladder(value: str) -> tuple[str, ...]:
    colours = tuple(part.strip() for part in value.replace("，", ",").split(",") if part.strip())
    if not colours or any(len(c) > 4 for c in colours):
        raise ConfigError(f"expected colours such as '蓝,黄,红', got {value!r}")
    return colours


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


TWO_FACTOR_GROUPS = ("admins", "office", "all")


def _two_factor(value: str) -> frozenset[str]:
    """'none', or a comma list of admins (the three administrators), office (督查室), all."""
    names = {part.strip().lower() for part in value.split(",") if part.strip()} - {"none"}
    unknown = names - set(TWO_FACTOR_GROUPS)
    if unknown:
        raise ConfigError(f"expected none or a comma list of {', '.join(TWO_FACTOR_GROUPS)}, got {value!r}")
    return frozenset(names)


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ConfigError(f"expected {' or '.join(allowed)}, got {value!r}")
        return value
    return parse


def _docx_file(value: str) -> str:
    path = Path(value)
    if not path.is_file() or path.suffix.lower() != ".docx":
        raise ConfigError(f"expected an existing .docx file, got {value!r}")
    return str(path)


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
    Variable("TRACKER_MAIL_FROM", "tracker@localhost", "sender of every mail: addr or 'Name <addr>'", _mailbox),
    Variable("TRACKER_REMIND_BEFORE_WORKDAYS", "3", "notice to units this many working days before a due date (0: none)",
             _positive_int),
    Variable("TRACKER_REMIND_EVERY_DAYS", "3", "overdue reminders repeat every this many working days", _at_least_one),
    Variable("TRACKER_REMIND_MAX", "5", "overdue reminders before the next one copies the supervision office",
             _positive_int),
    Variable("TRACKER_REMIND_AT", "08:30", "time of day (HH:MM) of the daily reminder sweep", _clock_time),
    Variable("TRACKER_DIGEST_CRON", "mon 09:00", "weekday and time of the weekly digest to the supervision office",
             _weekly),
    Variable("TRACKER_ESCALATION_LADDER", "蓝,黄,红", "督办单 colours an ignored escalation climbs, comma-separated",
             _ladder),
    Variable("TRACKER_ESCALATION_RAISE_WORKDAYS", "3", "working days to answer after an escalation steps up",
             _at_least_one),
    Variable("TRACKER_DELIVER_EVERY_SECONDS", "60", "how often the outbox is sent", _at_least_one),
    Variable("TRACKER_LOG_LEVEL", "INFO", "logging level of the stderr log", str),
    Variable("TRACKER_TRUSTED_PROXIES", "0", "reverse proxies in front of the app whose X-Forwarded-For/-Proto "
             "are believed (nginx alone: 1); 0 reads the client address from the connection", _positive_int),
    Variable("TRACKER_LOGIN_MAX_FAILURES", "5", "failed logins within the lock time that lock an account",
             _at_least_one),
    Variable("TRACKER_LOGIN_LOCK_MINUTES", "30", "how long an account stays locked after too many failed logins",
             _at_least_one),
    Variable("TRACKER_API_RATE_LIMIT", "120 per minute", "requests allowed per API token", _rate),
    Variable("TRACKER_RATELIMIT_STORAGE_URI", "memory://", "where API request counts are kept; several processes or "
             "hosts share one limit through redis://host:6379/0", _shared_store),
    # 等保 2.0 (see README, "Security (等保 2.0)")
    Variable("TRACKER_PASSWORD_MIN_LENGTH", "8", "shortest password accepted", _at_least_one),
    Variable("TRACKER_PASSWORD_MIN_CLASSES", "3", "character classes a password needs (of lower, upper, digit, other)",
             _positive_int),
    Variable("TRACKER_PASSWORD_HISTORY", "5", "a new password may not repeat the last N (0: no check)", _positive_int),
    Variable("TRACKER_PASSWORD_MAX_AGE_DAYS", "90", "days until a password must be changed (0: never)", _positive_int),
    Variable("TRACKER_PASSWORD_CHANGE_AT_FIRST_LOGIN", "true",
             "accounts an administrator creates must choose their own password at first login", _bool),
    Variable("TRACKER_SESSION_IDLE_MINUTES", "15", "log out after this many minutes without a request", _at_least_one),
    Variable("TRACKER_SESSION_MAX_HOURS", "12", "log out this many hours after login, however active", _at_least_one),
    Variable("TRACKER_REMEMBER_ME", "false", "offer 'remember me' on the login page (it outlives the idle timeout)",
             _bool),
    Variable("TRACKER_REQUIRE_2FA", "none", "who must use a second factor: none, or admins, office, all", _two_factor),
    Variable("TRACKER_AUDIT_MIN_DAYS", "180", "audit entries younger than this many days cannot be pruned",
             _positive_int),
    Variable("TRACKER_SSO_ISSUER", None, "OpenID provider (discovery at /.well-known/openid-configuration)", str),
    Variable("TRACKER_SSO_AUTHORIZE_URL", None, "plain OAuth2: the authorization endpoint (instead of an issuer)", str),
    Variable("TRACKER_SSO_TOKEN_URL", None, "plain OAuth2: the token endpoint", str),
    Variable("TRACKER_SSO_USERINFO_URL", None, "plain OAuth2: the user-info endpoint", str),
    Variable("TRACKER_SSO_CLIENT_ID", None, "this application's client id at the identity platform", str),
    Variable("TRACKER_SSO_CLIENT_SECRET", None, "its client secret", str),
    Variable("TRACKER_SSO_SCOPE", "openid profile email", "scopes asked for", str),
    Variable("TRACKER_SSO_USER_CLAIM", "preferred_username", "the claim naming the local account", str),
    Variable("TRACKER_SSO_UNKNOWN", "refuse", "a person without a local account: refuse, or queue for an admin",
             _choice("refuse", "queue")),
    Variable("TRACKER_SSO_LOCAL_PASSWORDS", "true", "false: accounts linked to SSO cannot log in with a password",
             _bool),
    Variable("TRACKER_SSO_LABEL", "统一身份认证", "the login button's text, e.g. 浙政钉", str),
    Variable("TRACKER_BULLETIN_TEMPLATE", None, "the office's own Word template (.docx) for the 督查通报; default the "
             "red-headed one shipped with the package", _docx_file),
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
