"""Account writes: logging in (throttled), creating users, passwords under the policy, roles, sessions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from tracker.accounts.models import LoginFailure, PasswordHistory, Role, User
from tracker.accounts.passwords import PasswordPolicy, params, problems
from tracker.accounts.throttle import DEFAULT, ThrottleRule, locked_until
from tracker.accounts.units import find_unit
from tracker.core import audit
from tracker.core.errors import Invalid, NotAllowed
from tracker.core.i18n import N_

DEFAULT_POLICY = PasswordPolicy()


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


def create_user(session: Session, *, username: str, role: Role, password: str, email: str = "",
                unit_name: str | None = None, display_name: str = "", actor: Any, now: datetime,
                policy: PasswordPolicy = DEFAULT_POLICY, must_change: bool = False) -> User:
    """Raises Invalid with per-field messages (duplicate name, unknown unit, weak password).

    `must_change`: the person must choose their own password at first login (the policy's default
    for accounts an administrator creates)."""
    fields: dict[str, str] = {}
    username = username.strip()
    if not username:
        fields["username"] = N_("请填写用户名。")
    elif session.scalar(select(User.id).where(User.username == username)):
        fields["username"] = N_("该用户名已存在。")
    if (problem := password_problem(password)) is not None:
        fields["password"] = problem
    elif weak := problems(policy, password, username=username):
        fields["password"] = weak[0]
    unit = None
    if role is Role.UNIT:
        unit = find_unit(session, unit_name or "")
        if unit is None:
            fields["unit"] = N_("未找到该责任单位。")
    if fields:
        raise Invalid(N_("用户信息有误。"), fields=fields, **params(policy))
    user = User(username=username, role=role, email=email.strip(), display_name=display_name or username,
                unit=unit, active=True, created_at=now, password_changed_at=now, must_change_password=must_change)
    user.set_password(password)
    session.add(user)
    audit.record(session, actor=actor, action="user.create", obj=user,
                 new={"username": username, "role": role, "unit": unit.name if unit else None}, at=now)
    return user


def change_password(session: Session, user: User, current: str, new: str, *, now: datetime,
                    policy: PasswordPolicy = DEFAULT_POLICY) -> None:
    """Raises Invalid naming the field: a wrong current password or a new one the policy refuses."""
    if not user.check_password(current):
        raise Invalid(N_("当前密码不正确。"), fields={"current": N_("当前密码不正确。")})
    if (problem := password_problem(new)) is not None:
        raise Invalid(problem, fields={"new": problem})
    weak = problems(policy, new, username=user.username,
                    used_before=lambda candidate: used_before(session, user, candidate, policy.history))
    if weak:
        raise Invalid(weak[0], fields={"new": weak[0]}, **params(policy))
    _set_password(session, user, new, now=now)
    user.must_change_password = False
    audit.record(session, actor=user, action="user.password", obj=user, at=now)


def used_before(session: Session, user: User, candidate: str, history: int) -> bool:
    """Is `candidate` the current password or one of the `history` before it?"""
    if history <= 0:
        return False
    if user.check_password(candidate):
        return True
    earlier = session.scalars(select(PasswordHistory.password_hash).where(PasswordHistory.user_id == user.id)
                              .order_by(PasswordHistory.id.desc()).limit(max(0, history - 1))).all()
    return any(check_password_hash(h, candidate) for h in earlier)


def _set_password(session: Session, user: User, password: str, *, now: datetime) -> None:
    if user.password_hash:
        session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash, changed_at=now))
    user.set_password(password)
    user.password_changed_at = now


def password_problem(password: str) -> str | None:
    """Why no password policy can accept this one (blank, only spaces); None when it may be checked further."""
    if not (password or "").strip():
        return N_("密码不能为空，也不能只有空格。")
    return None  # the rest is the password policy's (tracker/accounts/passwords.py)


def set_active(session: Session, user: User, active: bool, *, actor: Any, now: datetime) -> None:
    """Deactivated users cannot log in (and their API tokens stop working)."""
    audit.record(session, actor=actor, action="user.active", obj=user, old={"active": user.active},
                 new={"active": active}, at=now)
    user.active = active


def reset_password(session: Session, user: User, password: str, *, actor: Any, now: datetime,
                   policy: PasswordPolicy = DEFAULT_POLICY) -> None:
    """An administrator sets a password; the user must change it at the next login."""
    if (problem := password_problem(password)) is not None:
        raise Invalid(problem, fields={"password": problem})
    weak = problems(policy, password, username=user.username)
    if weak:
        raise Invalid(weak[0], fields={"password": weak[0]}, **params(policy))
    _set_password(session, user, password, now=now)
    user.must_change_password = True
    audit.record(session, actor=actor, action="user.reset_password", obj=user, at=now)


def change_role(session: Session, user: User, role: Role, *, actor: Any, now: datetime) -> None:
    """One role per account; nobody changes their own. Raises NotAllowed or Invalid."""
    if getattr(actor, "id", None) == user.id:
        raise NotAllowed(N_("不能修改自己的角色。"))
    if role is Role.UNIT and user.unit_id is None:
        raise Invalid(N_("责任单位用户须指定单位。"), fields={"role": N_("责任单位用户须指定单位。")})
    audit.record(session, actor=actor, action="user.role", obj=user, old={"role": user.role},
                 new={"role": role}, at=now)
    user.role = role
    user.session_epoch = (user.session_epoch or 0) + 1  # the old role's sessions end


def revoke_sessions(session: Session, user: User, *, actor: Any, now: datetime) -> None:
    """Log out everywhere: every session and remember cookie of this user stops working."""
    user.session_epoch = (user.session_epoch or 0) + 1
    audit.record(session, actor=actor, action="user.sessions_revoke", obj=user, at=now)


def unlock_account(session: Session, username: str, *, actor: Any, now: datetime) -> int:
    """Lifts a login lockout: forgets the user name's failed logins; returns how many."""
    removed = session.execute(delete(LoginFailure).where(LoginFailure.username == username)).rowcount or 0
    audit.record(session, actor=actor, action="login.unlock", object_type="User", object_id=username,
                 old={"failures": removed}, at=now)
    return removed
