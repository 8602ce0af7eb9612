"""Login throttling: too many failures lock an account, or a client address, for a while. Pure.

Counted per account (5 failures lock it for 30 minutes, 等保三级) and per real client
address (behind TRACKER_TRUSTED_PROXIES proxies), never globally: failures on made-up
names lock only the address they come from, never another user's account.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottleRule:
    per_username: int = 5
    per_address: int = 20
    lock: timedelta = timedelta(minutes=30)

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> ThrottleRule:
        return cls(per_username=int(config.get("TRACKER_LOGIN_MAX_FAILURES") or 5),
                   lock=timedelta(minutes=int(config.get("TRACKER_LOGIN_LOCK_MINUTES") or 30)))


DEFAULT = ThrottleRule()


def locked_until(failures: list[datetime], limit: int, lock: timedelta, now: datetime) -> datetime | None:
    """When the lock ends, if `limit` failures fell within `lock` before now: `lock` after the last; else None."""
    recent = sorted(at for at in failures if now - at < lock)
    if len(recent) < limit:
        return None
    return recent[-1] + lock
