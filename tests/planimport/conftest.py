"""Plans to import: the Zhengzhou plan as committed, and small plans written for the tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from tracker.planimport import ImportResult, Roster, Unit, parse_plan, read_plan

DATA = Path(__file__).resolve().parent.parent / "data"
ZHENGZHOU_PLAN = DATA / "zhengzhou-ip-plan-2021-2025.txt"
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def zhengzhou() -> ImportResult:
    return read_plan(ZHENGZHOU_PLAN)


@pytest.fixture(scope="session")
def zhengzhou_seed(zhengzhou) -> dict:
    return zhengzhou.to_seed()


@pytest.fixture
def example_city_roster() -> Roster:
    """Another city's roster: the importer must not need Zhengzhou's units."""
    return Roster.of([
        Unit("示例市市场监督管理局", aliases=("示例市市场监管局",)),
        Unit("示例市司法局"),
        Unit("示例市人民政府办公室"),
        Unit("甲区人民政府", "district"),
        Unit("乙县人民政府", "district"),
        Unit("各区县人民政府", "group", members=("甲区人民政府", "乙县人民政府")),
    ])


def task(result: ImportResult, number: str):
    return next(t for t in result.tasks if t.number == number)


def parse(text: str, roster: Roster | None = None, known=()) -> ImportResult:
    return parse_plan(text, roster, known)
