"""API fixtures: users with bearer tokens, and a client that speaks JSON with them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1
FOREST = "市林业局"                    # co-unit of task 3, nothing to do with task 1
STATS = "市统计局"                     # lead of task 5


@pytest.fixture
def bearer(app, make_user):
    """bearer(username, role, unit) → headers carrying a fresh token of a new user."""
    from tracker import clock
    from tracker.accounts.models import User
    from tracker.api.tokens import create_token
    from tracker.db import db

    def make(username: str, role: str = "unit", unit: str | None = None) -> dict[str, str]:
        make_user(username, role=role, unit=unit)
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            _, secret = create_token(db.session, user=user, name="test", actor="test", now=clock.now())
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def office(bearer, plan):
    return bearer("office", role="supervisor")


@pytest.fixture
def ipo(bearer, plan):
    return bearer("ipo", unit=IPO)


@pytest.fixture
def forest(bearer, plan):
    return bearer("forest", unit=FOREST)
