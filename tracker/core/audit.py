"""The audit log: who did what to which object, when, with the old and new values."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.db import AwareDateTime, Base


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(60))
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)


def record(
    session: Session,
    *,
    actor: Any,
    action: str,
    obj: Any | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    at: datetime,
) -> AuditEntry:
    """Adds an audit entry; `actor` is a User, or None / a string for the system and the CLI."""
    if obj is not None:
        session.flush()
        object_type = object_type or type(obj).__name__
        object_id = obj.id
    entry = AuditEntry(
        at=at,
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "username", None) or (actor if isinstance(actor, str) else "system"),
        action=action,
        object_type=object_type or "-",
        object_id=str(object_id if object_id is not None else "-"),
        old=_plain(old),
        new=_plain(new),
    )
    session.add(entry)
    return entry


def _plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """JSON-safe copies: dates and enums become strings."""
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "value") and not isinstance(value, (int, float, str)):
            value = value.value
        out[key] = value
    return out
