"""Reporting fixtures: the seeded plan's tasks, units and periods by name, and report factories."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.accounts.models import Role, User
from tracker.plans.models import Task, Unit
from tracker.reporting.models import Period, Status
from tracker.reporting.services import ReportInput

ZONE = ZoneInfo("Asia/Shanghai")
XCB = "市委宣传部（新闻出版局）"      # leads task 9
LVJ = "市文化广电和旅游局"            # co-unit of task 9
FGW = "市发展和改革委员会"            # co-unit of task 9
ZSCQJ = "市市场监督管理局（知识产权局）"
ZHONGYUAN = "中原区人民政府"

FULL = ReportInput(status=Status.ON_TRACK, percent=40, progress="召开推进会 2 次。", problems="",
                   next_steps="继续推进。")
CO_FULL = ReportInput(status=Status.ON_TRACK, percent=None, progress="配合开展宣传。", next_steps="继续配合。")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


class World:
    """The seeded Zhengzhou plan seen from a service test."""

    def __init__(self, session, plan_id: int) -> None:
        self.session = session
        self.plan_id = plan_id

    def task(self, number: str) -> Task:
        return self.session.scalar(select(Task).where(Task.plan_id == self.plan_id, Task.number == number))

    def unit(self, name: str) -> Unit:
        return self.session.scalar(select(Unit).where(Unit.name == name))

    def period(self, key: str) -> Period:
        return self.session.scalar(select(Period).where(Period.plan_id == self.plan_id, Period.key == key))

    def user(self, username: str, unit: str | None = None, role: Role = Role.UNIT) -> User:
        user = User(username=username, role=role, unit=self.unit(unit) if unit else None, password_hash="-",
                    display_name=username, created_at=at(date(2024, 1, 1)))
        self.session.add(user)
        self.session.flush()
        return user


@pytest.fixture
def world(ctx, plan) -> World:
    return World(ctx, plan)


# --- the web side: logged-in clients and the quarterly report page as a browser posts it ---

@pytest.fixture
def as_user(app, plan, make_user, login):
    """A fresh client logged in as a new user: as_user("xcb", XCB) or as_user("office", role="supervisor")."""

    def make(username: str, unit: str | None = None, role: str = "unit"):
        make_user(username, role=role, unit=unit)
        client = app.test_client()
        login(client, username)
        return client

    return make


@pytest.fixture
def task_ids(app, plan) -> dict[str, int]:
    from tracker.db import db

    with app.app_context():
        return {t.number: t.id for t in db.session.scalars(select(Task).where(Task.plan_id == plan))}


@pytest.fixture
def services_ctx(app, plan):
    """Runs a function with (session, world) inside an app context and commits: setting the scene."""
    from tracker.db import db

    def run(fn):
        with app.app_context():
            result = fn(World(db.session, plan))
            db.session.commit()
            return result

    return run


def csrf_from(html: str) -> str:
    return hidden(html, "csrf_token")


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    assert match, f"page has no field {name}"
    return match.group(1)


def post_sheet(client, key: str, rows: dict[int, dict], action: str = "save", html: str | None = None,
               query: str = ""):
    """Posts the quarterly report page as the browser would: the page's hidden fields, then `rows`."""
    html = html if html is not None else client.get(f"/workspace/{key}").get_data(as_text=True)
    data: dict = {"csrf_token": csrf_from(html), "action": action}
    for task_id, values in rows.items():
        data[f"r{task_id}-version"] = hidden(html, f"r{task_id}-version")
        data[f"r{task_id}-digest"] = hidden(html, f"r{task_id}-digest")
        data.update({f"r{task_id}-{name}": value for name, value in values.items()})
    return client.post(f"/workspace/{key}{query}", data=data, content_type="multipart/form-data")


COMPLETE = {"status": "on_track", "percent": "40", "progress": "召开推进会 2 次。", "problems": "",
            "next_steps": "继续推进。"}
CO_COMPLETE = {"status": "on_track", "progress": "配合开展宣传。", "problems": "", "next_steps": "继续配合。"}
