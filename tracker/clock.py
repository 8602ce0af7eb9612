"""The only clock: today() and now() in the configured time zone (Asia/Shanghai).

TRACKER_TODAY fixes the date (the time of day still runs), so the demo and the
tests can stand on any day of the plan.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def zone() -> ZoneInfo:
    name = current_app.config.get("TRACKER_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def fixed_today() -> date | None:
    return current_app.config.get("TRACKER_TODAY") if has_app_context() else None


def now() -> datetime:
    real = datetime.now(zone())
    fixed = fixed_today()
    if fixed is None:
        return real
    return datetime.combine(fixed, real.timetz())


def today() -> date:
    return now().date()


def wall_now() -> datetime:
    """The real instant, whatever TRACKER_TODAY says: for protocols bound to real time (TOTP codes) and for
    comparing with file-system times."""
    return datetime.now(zone())
