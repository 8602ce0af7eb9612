"""The password policy (等保: length, character classes, history, expiry). Pure.

Defaults are the level-3 figures assessors test; each is a TRACKER_PASSWORD_* variable.
"""
from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.core.i18n import N_


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    min_classes: int = 3      # of: lower case, upper case, digits, other characters
    history: int = 5          # a new password may not be one of the last N
    max_age_days: int = 90    # 0: passwords never expire
    change_at_first_login: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> PasswordPolicy:
        return cls(min_length=int(config.get("TRACKER_PASSWORD_MIN_LENGTH") or 8),
                   min_classes=int(config.get("TRACKER_PASSWORD_MIN_CLASSES") or 0),
                   history=int(config.get("TRACKER_PASSWORD_HISTORY") or 0),
                   max_age_days=int(config.get("TRACKER_PASSWORD_MAX_AGE_DAYS") or 0),
                   change_at_first_login=bool(config.get("TRACKER_PASSWORD_CHANGE_AT_FIRST_LOGIN", True)))


def classes(password: str) -> int:
    """How many of the four character classes the password uses."""
    groups = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    found = sum(any(c in group for c in password) for group in groups)
    return found + any(not (c.isascii() and c.isalnum()) for c in password)


def problems(policy: PasswordPolicy, password: str, *, username: str,
             used_before: Callable[[str], bool] = lambda _p: False) -> list[str]:
    """What is wrong with this password under the policy (message templates); empty if none."""
    found = []
    if len(password) < policy.min_length:
        found.append(N_("密码至少 %(count)s 个字符。"))
    if classes(password) < policy.min_classes:
        found.append(N_("密码须包含大写字母、小写字母、数字和其他字符中的至少 %(classes)s 类。"))
    name = username.strip().lower()
    lowered = password.lower()
    if name and (lowered in (name, name[::-1]) or (len(name) >= 4 and name in lowered)):
        found.append(N_("密码不能包含用户名。"))
    if policy.history and used_before(password):
        found.append(N_("不能使用最近 %(history)s 次用过的密码。"))
    return found


def rules(policy: PasswordPolicy) -> list[str]:
    """The policy in words, for the forms (message templates with the policy's figures)."""
    out = [N_("至少 %(count)s 个字符"), N_("不能包含用户名")]
    if policy.min_classes > 1:
        out.insert(1, N_("包含大写字母、小写字母、数字和其他字符中的至少 %(classes)s 类"))
    if policy.history:
        out.append(N_("不能与最近 %(history)s 次的密码相同"))
    if policy.max_age_days:
        out.append(N_("每 %(days)s 天须更换一次"))
    return out


def params(policy: PasswordPolicy) -> dict[str, int]:
    return {"count": policy.min_length, "classes": policy.min_classes, "history": policy.history,
            "days": policy.max_age_days}


def is_expired(policy: PasswordPolicy, changed_at: datetime | None, now: datetime) -> bool:
    if not policy.max_age_days or changed_at is None:
        return False
    return now - changed_at >= timedelta(days=policy.max_age_days)
