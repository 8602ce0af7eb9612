"""The second factor: TOTP (RFC 6238, any authenticator app) and one-time recovery codes.

Secrets are generated here; the QR code is drawn locally (segno, an SVG data URI: no CDN).
Recovery codes are stored as SHA-256 hashes (they are random, so a fast hash suffices).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

import pyotp
import segno
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.accounts.models import RecoveryCode, User
from tracker.core import audit
from tracker.core.errors import Invalid
from tracker.core.i18n import N_

ISSUER = "Plan Tracker"
RECOVERY_CODES = 10


def begin_enrolment(user: User) -> str:
    """A fresh secret, kept until a first code confirms it."""
    if user.totp_secret is None or user.has_2fa:
        user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def provisioning_qr(user: User) -> str:
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def confirm_enrolment(session: Session, user: User, code: str, *, now: datetime, wall: datetime) -> list[str]:
    """Turns the second factor on; returns the recovery codes (shown once). Raises Invalid."""
    if not user.totp_secret or not _totp_matches(user, code, wall):
        raise Invalid(N_("验证码不正确，请重试。"), fields={"code": N_("验证码不正确，请重试。")})
    user.totp_enabled_at = now
    codes = _new_recovery_codes(session, user)
    audit.record(session, actor=user, action="2fa.enable", obj=user, at=now)
    return codes


def check_second_factor(session: Session, user: User, code: str, *, now: datetime, wall: datetime) -> str | None:
    """'totp' or 'recovery' if the code lets the user in (each code once), else None."""
    code = (code or "").strip().replace(" ", "")
    if user.has_2fa and code.isdigit() and _totp_matches(user, code, wall):
        return "totp"
    digest = _digest(code)
    spare = session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                      RecoveryCode.code_hash == digest,
                                                      RecoveryCode.used_at.is_(None)))
    if spare is None:
        return None
    spare.used_at = now
    audit.record(session, actor=user, action="2fa.recovery_use", obj=user, at=now)
    return "recovery"


def reset_second_factor(session: Session, user: User, *, actor: Any, now: datetime) -> None:
    """Removes the authenticator and the codes; the user enrols again (if required, at next login)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(session, actor=actor, action="2fa.reset", obj=user, at=now)


def remaining_codes(session: Session, user: User) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                             RecoveryCode.used_at.is_(None))).all())


def _totp_matches(user: User, code: str, wall: datetime) -> bool:
    """One step either side for clock drift; a step already used is refused (no replay)."""
    totp = pyotp.TOTP(user.totp_secret)
    step = int(wall.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if candidate <= (user.totp_last_step or -1):
            continue
        if secrets.compare_digest(totp.at(candidate * totp.interval), (code or "").strip()):
            user.totp_last_step = candidate
            return True
    return False


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return codes


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()
