"""Indicator fixtures: the plan with its indicators, users of the owner units and of the office."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker import clock
from tracker.db import db
from tracker.indicators.models import Indicator

IPO = "市市场监督管理局（知识产权局）"
PRESS = "市委宣传部（新闻出版局）"
COURT = "市中级人民法院"


@pytest.fixture
def people(plan, make_user):
    """Clerks of three owner units and of an unrelated unit, the supervision office, an administrator."""
    make_user("ipo", unit=IPO)
    make_user("press", unit=PRESS)
    make_user("court", unit=COURT)
    make_user("district", unit="中原区人民政府")
    make_user("office", role="supervisor")
    make_user("root", role="admin")
    return plan


@pytest.fixture
def indicator_id(app):
    def find(plan_id: int, number: int) -> int:
        with app.app_context():
            return db.session.scalar(select(Indicator.id).where(Indicator.plan_id == plan_id,
                                                                Indicator.number == number))

    return find


@pytest.fixture
def enter(app):
    """Enters a value through the service as the named user; returns the value's id."""
    from tracker.accounts.models import User
    from tracker.indicators import services

    def do(plan_id: int, number: int, year: int, value: str, *, username: str = "ipo", note: str = "统计年报") -> int:
        with app.app_context():
            indicator = db.session.scalar(select(Indicator).where(Indicator.plan_id == plan_id,
                                                                  Indicator.number == number))
            actor = db.session.scalar(select(User).where(User.username == username))
            row = services.enter_value(db.session, indicator, services.ValueInput(year=year, value=value, note=note),
                                       upload_dir=app.config["TRACKER_UPLOAD_DIR"], max_bytes=1024 * 1024,
                                       actor=actor, now=clock.now(), today=clock.today())
            db.session.commit()
            return row.id

    return do
