"""Account writes: logging in (throttled), creating users, changing passwords."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.accounts.models import LoginFailure, Role, User
from tracker.accounts.throttle import DEFAULT, ThrottleRule, locked_until
from tracker.core import audit
from tracker.core.errors import Invalid, NotAllowed
from tracker.core.i18n import N_
from tracker.plans.models import Unit

MIN_PASSWORD = 8


def authenticate(session: Session, username: str, password: str, *, address: str, now: datetime,
                 rule: ThrottleRule = DEFAULT) -> User:
    """The user whose credentials these are; raises NotAllowed (wrong, or locked: `until` says till when)."""
    username = username.strip()[:64]
    address = address[:64]
    until = locked(session, username, address=address, now=now, rule=rule)
    if until is not None:
        raise NotAllowed(N_("登录失败次数过多，已锁定至 %(time)s，请届时再试或联系系统管理员解锁。"),
                         time=until.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M"), until=until)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(password):
        session.add(LoginFailure(username=username, address=address, at=now))
        raise NotAllowed(N_("用户名或密码错误。"))
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    return user


def locked(session: Session, username: str, *, address: str, now: datetime,
           rule: ThrottleRule = DEFAULT) -> datetime | None:
    """Until when this account, or this client address, is locked by its recent failures; None if open."""
    since = now - rule.lock
    by_name = session.scalars(select(LoginFailure.at).where(LoginFailure.username == username,
                                                            LoginFailure.at >= since)).all()
    by_address = session.scalars(select(LoginFailure.at).where(LoginFailure.address == address,
                                                               LoginFailure.at >= since)).all()
    ends = [until for until in (locked_until(list(by_name), rule.per_username, rule.lock, now),
                                locked_until(list(by_address), rule.per_address, rule.lock, now)) if until]
    return max(ends) if ends else None


def list_locked_accounts(session: Session, *, now: datetime, rule: ThrottleRule = DEFAULT) -> dict[str, datetime]:
    """User name → end of its lock, for the accounts locked right now."""
    rows = session.execute(select(LoginFailure.username, LoginFailure.at)
                           .where(LoginFailure.at >= now - rule.lock)).all()
    failures: dict[str, list[datetime]] = {}
    for username, at in rows:
        failures.setdefault(username, []).append(at)
    return {name: until for name, times in failures.items()
            if (until := locked_until(times, rule.per_username, rule.lock, now)) is not None}


def unlock_account(session: Session, user: User, *, actor: Any, now: datetime) -> None:
    """Forgets the account's failed logins: it opens at once (its addresses keep their own count)."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    audit.record(session, actor=actor, action="user.unlock", obj=user, at=now)


def create_user(session: Session, *, username: str, role: Role, password: str, email: str = "",
                unit_name: str | None = None, display_name: str = "", actor: Any, now: datetime) -> User:
    """Raises Invalid with per-field messages (duplicate name, unknown unit, weak password)."""
    fields: dict[str, str] = {}
    username = username.strip()
    if not username:
        fields["username"] = N_("请填写用户名。")
    elif session.scalar(select(User.id).where(User.username == username)):
        fields["username"] = N_("该用户名已存在。")
    if (problem := password_problem(password)) is not None:
        fields["password"] = problem
    unit = None
    if role is Role.UNIT:
        unit = find_unit(session, unit_name or "")
        if unit is None:
            fields["unit"] = N_("未找到该责任单位。")
    if fields:
        raise Invalid(N_("用户信息有误。"), fields=fields)
    user = User(username=username, role=role, email=email.strip(), display_name=display_name or username,
                unit=unit, active=True, created_at=now)
    user.set_password(password)
    session.add(user)
    audit.record(session, actor=actor, action="user.create", obj=user,
                 new={"username": username, "role": role, "unit": unit.name if unit else None}, at=now)
    return user


def change_password(session: Session, user: User, current: str, new: str, *, now: datetime) -> None:
    if not user.check_password(current):
        raise Invalid(N_("当前密码不正确。"), fields={"current": N_("当前密码不正确。")})
    if (problem := password_problem(new)) is not None:
        raise Invalid(problem, fields={"new": problem})
    user.set_password(new)
    audit.record(session, actor=user, action="user.password", obj=user, at=now)


def password_problem(password: str) -> str | None:
    """Why this password cannot be set (blank, only spaces, too short); None when it can."""
    if not (password or "").strip():
        return N_("密码不能为空，也不能只有空格。")
    if len(password) < MIN_PASSWORD:
        return N_("密码至少 8 个字符。")
    return None


def find_unit(session: Session, name: str) -> Unit | None:
    """By canonical name or an alias (市发改委)."""
    name = name.strip()
    if not name:
        return None
    unit = session.scalar(select(Unit).where(Unit.name == name))
    if unit is not None:
        return unit
    return next((u for u in session.scalars(select(Unit)) if name in (u.aliases or [])), None)


def set_active(session: Session, user: User, active: bool, *, actor: Any, now: datetime) -> None:
    """Deactivated users cannot log in (and their API tokens stop working)."""
    audit.record(session, actor=actor, action="user.active", obj=user, old={"active": user.active},
                 new={"active": active}, at=now)
    user.active = active


def reset_password(session: Session, user: User, password: str, *, actor: Any, now: datetime) -> None:
    if (problem := password_problem(password)) is not None:
        raise Invalid(problem, fields={"password": problem})
    user.set_password(password)
    audit.record(session, actor=actor, action="user.reset_password", obj=user, at=now)
