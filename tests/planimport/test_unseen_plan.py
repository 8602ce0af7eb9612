"""A plan written after the importer, in a city and a mix of styles no other test uses (东川市).

It brings what the other plans did not: 〔〕 brackets, a 责任领导 before the labels, a
bracket running over three lines with a label opening a line, 主责单位, 由…牵头, and
“按职责分工负责” with no lead word. Every task must come out right, or the import must
say exactly which line it could not read.
"""
from __future__ import annotations

import pytest

from tracker.planimport import read_plan

from .conftest import DATA, parse, task

UNSEEN = DATA / "cities" / "dongchuan-unseen-2026-2030.txt"


@pytest.fixture(scope="module")
def unseen():
    return read_plan(UNSEEN)


@pytest.mark.parametrize("number, leads, co", [
    ("1", ("市住房城乡建设局",), ("市财政局", "市自然资源和规划局", "各县（市、区）人民政府")),
    ("2", ("市民政局",), ("市教育局",)),
    ("3", ("市住房城乡建设局",), ()),
    ("4", ("市文物局",), ("市住房城乡建设局",)),
    ("5", ("市工业和信息化局",), ("市文化广电和旅游局",)),
    ("6", ("市数据局",), ("市住房城乡建设局",)),
])
def test_every_task_of_the_unseen_plan_has_its_leads_and_co_units(unseen, number, leads, co):
    assert (task(unseen, number).leads, task(unseen, number).co) == (leads, co)


def test_the_unseen_plan_has_no_errors_and_its_years(unseen):
    assert unseen.errors == [] and (unseen.plan.start_year, unseen.plan.end_year) == (2026, 2030)
    assert [p.code for p in unseen.warnings if p.code != "unknown_unit"] == ["collective_unit"]


def test_what_the_unseen_plan_could_not_say_is_named_by_line():
    text = UNSEEN.read_text(encoding="utf-8").replace("（主责单位：市住房城乡建设局）", "（承办：市住房城乡建设局）")
    [problem] = parse(text).errors
    assert problem.describe().startswith("第17行：[错误] 未能识别责任分工标注“（承办：市住房城乡建设局）”（任务3）")
