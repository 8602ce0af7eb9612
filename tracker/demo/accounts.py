"""The demo's accounts: one per role, and unit clerks for several units."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tracker.accounts.models import Role
from tracker.accounts.passwords import PasswordPolicy
from tracker.accounts.services import create_user

PASSWORD = "demo-password"
# The demo's one shared, published password is deliberately simple; real accounts meet the policy.
DEMO_POLICY = PasswordPolicy(min_classes=2)

ACCOUNTS: list[tuple[str, Role, str | None, str]] = [
    ("admin", Role.ADMIN, None, "系统管理员"),
    ("anquan", Role.SECURITY, None, "安全管理员"),
    ("shenji", Role.AUDITOR, None, "审计管理员"),
    ("duchashi", Role.SUPERVISOR, None, "督查室 王科长"),
    ("zscqj", Role.UNIT, "市市场监督管理局（知识产权局）", "市场监管局 李明"),
    ("fgw", Role.UNIT, "市发展和改革委员会", "发改委 张华"),
    ("gxj", Role.UNIT, "市工业和信息化局", "工信局 赵强"),
    ("xcb", Role.UNIT, "市委宣传部（新闻出版局）", "宣传部 陈静"),
    ("nyw", Role.UNIT, "市农业农村工作委员会", "农委 刘洋"),
    ("zhongyuan", Role.UNIT, "中原区人民政府", "中原区 孙丽"),
    ("zhengdong", Role.UNIT, "郑东新区管委会", "郑东新区 周斌"),
]


def create_demo_accounts(session: Session, *, now: datetime) -> list[tuple[str, str, str]]:
    """Creates the accounts; returns (username, role, unit) rows to print."""
    rows = []
    for username, role, unit, name in ACCOUNTS:
        create_user(session, username=username, role=role, password=PASSWORD, unit_name=unit,
                    display_name=name, email=f"{username}@demo.invalid", actor="demo", now=now,
                    policy=DEMO_POLICY)
        rows.append((username, role.value, unit or "-"))
    session.flush()
    return rows
