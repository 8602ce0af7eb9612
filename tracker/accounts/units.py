"""The city's units (市直部门, 区县, 开发区) and groups of units: whom users belong to and plans assign.

Below the plans, because every account belongs to a unit; a group's members over time
(`GroupMember`) are the plans' (tracker/plans/models.py).
"""
from __future__ import annotations

import enum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
