"""The audit log's only deletion: pruning old entries, never younger than the legal minimum."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.audit import AuditEntry, anchor_of
from tracker.core.errors import NotAllowed
from tracker.core.i18n import N_


def prune(session: Session, *, before: date, min_days: int, actor: Any, now: datetime) -> int:
    """Deletes entries dated before `before` and records itself with the anchor (the hash the oldest
    kept entry follows), so the chain still verifies. The newest entry is always kept.
    Raises NotAllowed if `before` is within `min_days` of today."""
    earliest_allowed = now.date() - timedelta(days=min_days)
    if before > earliest_allowed:
        raise NotAllowed(N_("审计记录须至少保留 %(days)s 天：只能清理 %(date)s 之前的记录。"),
                         days=min_days, date=earliest_allowed.isoformat())
    newest = session.scalar(select(func.max(AuditEntry.id)))
    last = session.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.at < datetime.combine(before, time(),
                                                                                                  now.tzinfo),
                                                                AuditEntry.id < (newest or 0)))
    anchor, removed = anchor_of(session), 0
    if last is not None:
        anchor = session.scalar(select(AuditEntry.hash).where(AuditEntry.id == last)) or anchor
        removed = session.execute(delete(AuditEntry).where(AuditEntry.id <= last)).rowcount or 0
    audit.record(session, actor=actor, action="audit.prune", object_type="audit", object_id="-",
                 new={"before": before.isoformat(), "removed": removed, "anchor_id": last, "anchor_hash": anchor},
                 at=now)
    return removed
