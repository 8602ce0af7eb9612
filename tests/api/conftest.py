"""API fixtures: users with bearer tokens, and a client that speaks JSON with them."""
from __future__ import annotations

import pytest

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1
FOREST = "市林业局"                    # co-unit of task 3, nothing to do with task 1
STATS = "市统计局"                     # lead of task 5



@pytest.fixture
def office(bearer, plan):
    return bearer("office", role="supervisor")


@pytest.fixture
def ipo(bearer, plan):
    return bearer("ipo", unit=IPO)


@pytest.fixture
def forest(bearer, plan):
    return bearer("forest", unit=FOREST)
