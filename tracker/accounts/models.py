"""Users and their roles (三员分立); password history, recovery codes, SSO requests, failed logins."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.accounts.units import Unit
from tracker.core.i18n import N_
from tracker.db import AwareDateTime, Base, enum_type


class Role(enum.Enum):
    """One role per account. The three administrators are separate (三员分立): ADMIN is 系统管理员."""

    ADMIN = "admin"
    SECURITY = "security"
    AUDITOR = "auditor"
    SUPERVISOR = "supervisor"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return {Role.ADMIN: N_("系统管理员"), Role.SECURITY: N_("安全管理员"), Role.AUDITOR: N_("审计管理员"),
                Role.SUPERVISOR: N_("督查室"), Role.UNIT: N_("责任单位")}[self]

    @property
    def is_administrator(self) -> bool:
        return self in ADMINISTRATORS


ADMINISTRATORS = (Role.ADMIN, Role.SECURITY, Role.AUDITOR)


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
    password_changed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Raised by "log out everywhere": every session and remember cookie of an older epoch ends.
    session_epoch: Mapped[int] = mapped_column(default=0)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    totp_last_step: Mapped[int | None] = mapped_column()  # a code is accepted once
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True)

    unit: Mapped[Unit | None] = relationship(lazy="joined")

    def get_id(self) -> str:  # Flask-Login: the epoch makes old sessions unloadable
        return f"{self.id}:{self.session_epoch or 0}"

    @property
    def has_2fa(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        # scrypt: memory-hard, werkzeug's default; no extra dependency
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_security_admin(self) -> bool:
        return self.role is Role.SECURITY

    @property
    def is_auditor(self) -> bool:
        return self.role is Role.AUDITOR

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


class PasswordHistory(Base):
    """A user's earlier password hashes: a new password may not repeat the last few."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(AwareDateTime())


class RecoveryCode(Base):
    """A one-time code that replaces the authenticator once; stored as a hash only."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class SsoRequest(Base):
    """A person the identity platform vouched for who has no local account yet: for an admin to decide."""

    __tablename__ = "sso_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    requested_at: Mapped[datetime] = mapped_column(AwareDateTime())
