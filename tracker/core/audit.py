"""The audit log: who did what to which object, when, from where, with the old and new values.

Every entry is chained to the one before (tracker.core.auditchain): appends are serialised (a
PostgreSQL advisory lock held to the end of the transaction), so two writers never fork the chain.
The request's client address and user agent come from `origin`, set by the web layer per request.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, inspect, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from tracker.core.auditchain import GENESIS, entry_hash
from tracker.db import AwareDateTime, Base

CHAIN_LOCK = 190_219  # pg_advisory_xact_lock key of the audit chain


@dataclass(frozen=True)
class Origin:
    address: str = ""
    agent: str = ""


origin: ContextVar[Origin] = ContextVar("audit_origin", default=Origin())  # noqa: B039  (frozen: never mutated)


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
    role: Mapped[str] = mapped_column(String(24), default="")
    unit_label: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    agent: Mapped[str] = mapped_column(String(255), default="")
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    def content(self) -> dict[str, Any]:
        """What the hash covers (the actor by name: a removed user must not break the chain)."""
        return chain_content(self)


def chain_content(entry: Any) -> dict[str, Any]:
    return {"at": entry.at.astimezone(UTC).isoformat(), "actor": entry.actor_label, "role": entry.role,
            "unit": entry.unit_label, "address": entry.address, "agent": entry.agent, "action": entry.action,
            "object_type": entry.object_type, "object_id": entry.object_id, "old": entry.old, "new": entry.new}


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
    where = origin.get()
    role = getattr(actor, "role", None)
    unit = getattr(actor, "unit", None)
    entry = AuditEntry(
        at=at,
        actor_id=getattr(actor, "id", None),
        actor_label=(getattr(actor, "username", None) or (actor if isinstance(actor, str) else "system"))[:120],
        action=action,
        object_type=object_type or "-",
        object_id=str(object_id if object_id is not None else "-")[:60],
        old=_plain(old),
        new=_plain(new),
        role=getattr(role, "value", "") or "",
        unit_label=getattr(unit, "name", "") or "",
        address=(where.address or "")[:64],
        agent=(where.agent or "")[:255],
    )
    entry.prev_hash = last_hash(session)
    entry.hash = entry_hash(entry.content(), entry.prev_hash)
    session.add(entry)
    session.flush()  # the next append in this transaction chains to this one
    session.info[HEAD] = (_transaction(session), entry)
    return entry


HEAD = "tracker.audit.head"


def _transaction(session: Any) -> Any:
    """The session's outermost transaction (Flask-SQLAlchemy hands a scoped session)."""
    return (session() if isinstance(session, scoped_session) else session).get_transaction()


def last_hash(session: Session) -> str:
    """The chain's head, taking the append lock first on PostgreSQL (released at commit).

    Within one transaction the head is the entry this session appended last, while that entry is
    still in the database (a rolled-back savepoint makes it transient): the lock, or SQLite's write
    lock, keeps every other writer out until commit, so the head is not read again for each entry."""
    transaction, entry = session.info.get(HEAD, (None, None))
    if transaction is not None and transaction is _transaction(session) and inspect(entry).persistent:
        return entry.hash
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    with session.no_autoflush:   # every entry is flushed as it is appended; other pending rows do not matter here
        head = session.scalar(select(AuditEntry.hash).where(AuditEntry.hash.is_not(None))
                              .order_by(AuditEntry.id.desc()).limit(1))
    return head or anchor_of(session)


def anchor_of(session: Session) -> str:
    """The hash the oldest kept entry follows: the last pruned entry's, or the genesis."""
    prune = session.scalar(select(AuditEntry).where(AuditEntry.action == "audit.prune")
                           .order_by(AuditEntry.id.desc()).limit(1))
    return (prune.new or {}).get("anchor_hash") or GENESIS if prune is not None else GENESIS


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
        out[str(key)] = value
    return out
