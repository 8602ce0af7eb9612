"""The city's units (市直部门, 区县, 开发区) and groups of units: whom users belong to and plans assign.

Below the plans, because every account belongs to a unit; a group's members over time
(`GroupMember`) are the plans' (tracker/plans/models.py).
"""
from __future__ import annotations

import enum

from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tracker.core.i18n import N_
from tracker.db import Base, enum_type


class UnitKind(enum.Enum):
    DEPARTMENT = "department"
    DISTRICT = "district"
    ZONE = "zone"
    GROUP = "group"

    @property
    def label(self) -> str:
        return {
            UnitKind.DEPARTMENT: N_("市直部门"),
            UnitKind.DISTRICT: N_("区县（市）"),
            UnitKind.ZONE: N_("开发区"),
            UnitKind.GROUP: N_("集合单位"),
        }[self]


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_type(UnitKind))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Aliases an administrator removed: a re-seed does not bring them back.
    removed_aliases: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    # For a group: the unit whose office acts for it while it has no members.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    office: Mapped[Unit | None] = relationship(remote_side="Unit.id")
    members: Mapped[list[Unit]] = relationship(
        secondary="group_member",
        primaryjoin="Unit.id == GroupMember.group_id",
        secondaryjoin="and_(Unit.id == GroupMember.member_id, GroupMember.until_period.is_(None))",
        order_by="Unit.id",
        viewonly=True,
    )

    @property
    def is_group(self) -> bool:
        return self.kind is UnitKind.GROUP


def units_by_name(session: Session) -> dict[str, Unit]:
    """Every unit by its name and by each of its aliases (市发改委); a name wins over another unit's alias."""
    units = list(session.scalars(select(Unit)))
    found = {alias: unit for unit in units for alias in unit.aliases or []}
    found.update({unit.name: unit for unit in units})
    return found


def find_unit(session: Session, name: str) -> Unit | None:
    """The unit so named or so aliased; None for an empty or unknown name."""
    name = name.strip()
    if not name:
        return None
    return session.scalar(select(Unit).where(Unit.name == name)) or units_by_name(session).get(name)
