"""Users and their roles; failed-login records for the throttle."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.core.i18n import N_
from tracker.db import AwareDateTime, Base, enum_type
from tracker.plans.models import Unit


class Role(enum.Enum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return {Role.ADMIN: N_("系统管理员"), Role.SUPERVISOR: N_("督查室"), Role.UNIT: N_("责任单位")}[self]


class User(UserMixin, Base):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role != 'unit' OR unit_id IS NOT NULL", name="unit_user_has_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())

    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        # scrypt: memory-hard, werkzeug's default; no extra dependency
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        """Sees every task: the supervision office and administrators."""
        return self.role in (Role.ADMIN, Role.SUPERVISOR)

    @property
    def label(self) -> str:
        return self.display_name or self.username


class LoginFailure(Base):
    """One failed login; the throttle counts recent ones per user name and per address."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
