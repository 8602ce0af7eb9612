"""The security settings in force (from TRACKER_* variables), shown to the 安全管理员 and audited
when they change between runs of the application."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.throttle import ThrottleRule
from tracker.core import audit
from tracker.core.audit import AuditEntry

SHOWN = ("TRACKER_PASSWORD_MIN_LENGTH", "TRACKER_PASSWORD_MIN_CLASSES", "TRACKER_PASSWORD_HISTORY",
         "TRACKER_PASSWORD_MAX_AGE_DAYS", "TRACKER_PASSWORD_CHANGE_AT_FIRST_LOGIN", "TRACKER_SESSION_IDLE_MINUTES",
         "TRACKER_SESSION_MAX_HOURS", "TRACKER_REMEMBER_ME", "TRACKER_REQUIRE_2FA", "TRACKER_AUDIT_MIN_DAYS",
         "TRACKER_SSO_ISSUER", "TRACKER_SSO_AUTHORIZE_URL", "TRACKER_SSO_CLIENT_ID", "TRACKER_SSO_USER_CLAIM",
         "TRACKER_SSO_UNKNOWN", "TRACKER_SSO_LOCAL_PASSWORDS")


def in_force(config: Mapping[str, Any]) -> dict[str, Any]:
    """Each security setting's value as a plain string or number (never a secret)."""
    out: dict[str, Any] = {}
    for name in SHOWN:
        value = config.get(name)
        if isinstance(value, (set, frozenset)):
            value = ",".join(sorted(value)) or "none"
        out[name] = value
    rule = ThrottleRule.from_config(config)
    out["login_lock_failures"] = rule.per_username
    out["login_lock_minutes"] = int(rule.lock.total_seconds() // 60)
    return out


def note_changes(session: Session, config: Mapping[str, Any], *, now: datetime) -> bool:
    """Records a settings.change entry if the settings differ from the last recorded; True if so."""
    current = in_force(config)
    last = session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.change")
                          .order_by(AuditEntry.id.desc()).limit(1))
    before = (last.new or {}) if last is not None else None
    if before == current:
        return False
    changed = {k: v for k, v in current.items() if (before or {}).get(k) != v}
    audit.record(session, actor="system", action="settings.change", object_type="settings", object_id="security",
                 old={k: (before or {}).get(k) for k in changed} if before is not None else None, new=current,
                 at=now)
    return True
