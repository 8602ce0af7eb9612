"""Login throttling: too many failures lock a user name (and an address) for a while. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottleRule:
    per_username: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


DEFAULT = ThrottleRule()


def locked_until(failures: list[datetime], limit: int, window: timedelta, now: datetime) -> datetime | None:
    """When the lock ends, if `limit` failures fell within `window` before now; else None."""
    recent = sorted(at for at in failures if now - at < window)
    if len(recent) < limit:
        return None
    return recent[-limit] + window
