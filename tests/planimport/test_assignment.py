"""Which block covers which task: the rule that makes 32–35 share one block in the Zhengzhou plan."""
from __future__ import annotations

import pytest

from .conftest import parse

HEAD = "郑州市“十四五”知识产权规划\n\n一、重大工程\n\n（一）聚焦企业需求，实施专利导航工程\n\n"


def leads(text: str) -> dict[str, str | None]:
    return {t.number: t.lead for t in parse(HEAD + text).tasks}


@pytest.mark.parametrize("body, expected", [
    # a block on a line of its own after a project covers every task of it
    ("1. 甲。\n\n2. 乙。\n\n3. 丙。\n\n[责任单位：市公安局]\n", {"1": "市公安局", "2": "市公安局", "3": "市公安局"}),
    # … back to the previous block only
    ("1. 甲。[责任单位：市司法局]\n2. 乙。\n3. 丙。\n[责任单位：市公安局]\n", {"1": "市司法局", "2": "市公安局", "3": "市公安局"}),
    # two groups in one project
    ("1. 甲。\n2. 乙。\n[责任单位：市司法局]\n3. 丙。\n[责任单位：市公安局]\n", {"1": "市司法局", "2": "市司法局", "3": "市公安局"}),
    # a block written in a task's paragraph is that task's own
    ("1. 甲。（责任单位：市司法局）\n2. 乙。（责任单位：市公安局）\n", {"1": "市司法局", "2": "市公安局"}),
])
def test_block_after_a_project_covers_all_its_tasks(body, expected):
    assert leads(body) == expected


def test_a_block_inside_a_paragraph_does_not_reach_back_to_a_task_without_one():
    result = parse(HEAD + "1. 甲。\n2. 乙。[责任单位：市公安局]\n")
    assert [(p.code, p.line) for p in result.problems] == [("task_without_units", 7)]


def test_a_block_never_reaches_across_a_heading():
    body = "1. 甲。\n（二）深化区域合作，实施协同保护工程\n2. 乙。\n[责任单位：市公安局]\n"
    result = parse(HEAD + body)
    assert [(p.code, p.params.get("number")) for p in result.problems] == [("task_without_units", "1")]
    assert [t.section_key for t in result.tasks] == ["1.1", "1.2"]


def test_an_unknown_unit_in_a_shared_block_is_reported_once_naming_every_task():
    result = parse(HEAD + "1. 甲。\n2. 乙。\n[责任单位：市公安局、市月球开发局]\n")
    assert [(p.code, p.line, p.params["tasks"]) for p in result.problems] == [("unknown_unit", 9, "1、2")]
