"""The audit log's reads: filtered pages, export rows, the chain for verification."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from tracker.core.audit import AuditEntry, anchor_of
from tracker.core.auditchain import Link, Verdict, verify

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    unit: str = ""
    action: str = ""
    object: str = ""
    since: date | None = None
    until: date | None = None

    def where(self, query: Select, zone: ZoneInfo) -> Select:
        if self.actor:
            query = query.where(AuditEntry.actor_label.contains(self.actor, autoescape=True))
        if self.unit:
            query = query.where(AuditEntry.unit_label.contains(self.unit, autoescape=True))
        if self.action:
            query = query.where(AuditEntry.action.startswith(self.action, autoescape=True))
        if self.object:
            kind, _, ident = self.object.partition(":")
            if ident:
                query = query.where(AuditEntry.object_type == kind, AuditEntry.object_id == ident)
            else:
                query = query.where(or_(AuditEntry.object_type == kind, AuditEntry.object_id == kind))
        if self.since:
            query = query.where(AuditEntry.at >= datetime.combine(self.since, time(), zone))
        if self.until:
            query = query.where(AuditEntry.at < datetime.combine(self.until + timedelta(days=1), time(), zone))
        return query


@dataclass(frozen=True)
class AuditPage:
    entries: Sequence[AuditEntry]
    total: int
    page: int
    pages: int


def list_entries(session: Session, filters: AuditFilter, *, zone: ZoneInfo, page: int = 1,
                 size: int = PAGE_SIZE) -> AuditPage:
    """Newest first; two queries whatever the page."""
    total = session.scalar(filters.where(select(func.count(AuditEntry.id)), zone)) or 0
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    rows = session.scalars(filters.where(select(AuditEntry), zone).order_by(AuditEntry.id.desc())
                           .offset((page - 1) * size).limit(size)).all()
    return AuditPage(rows, total, page, pages)


def iter_entries(session: Session, filters: AuditFilter, *, zone: ZoneInfo) -> Iterator[AuditEntry]:
    """Oldest first, streamed in batches: for exports of any size."""
    yield from session.scalars(filters.where(select(AuditEntry), zone).order_by(AuditEntry.id)
                               .execution_options(yield_per=1000))


def check_chain(session: Session, *, newest: int | None = None) -> Verdict:
    """Walks the chain in order (id order is append order: appends are serialised): all of it, or
    only the `newest` entries, anchored on the first of them (what a page can afford on each load)."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    anchor = None
    if newest is not None:
        first = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).offset(newest - 1).limit(1))
        if first is not None:
            query = query.where(AuditEntry.id >= first)
            anchor = session.scalar(select(AuditEntry.prev_hash).where(AuditEntry.id == first))
    rows = session.scalars(query.execution_options(yield_per=1000))
    return verify((Link(e.id, e.content(), e.prev_hash, e.hash) for e in rows),
                  anchor if anchor is not None else anchor_of(session))


def last_full_check(session: Session) -> AuditEntry | None:
    """The latest `tracker audit verify`, which records its verdict in the log itself."""
    return session.scalar(select(AuditEntry).where(AuditEntry.action == "audit.verify")
                          .order_by(AuditEntry.id.desc()).limit(1))
