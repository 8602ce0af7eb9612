"""Bad plan texts: every problem is reported with its line, and everything else still imports."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.planimport import parse_plan, read_plan

from .conftest import parse, task

PLAN = """郑州市“十四五”知识产权规划

一、重点任务

（一）加强保护

1. 加强执法。开展执法。[责任单位：市公安局、市司法局]
2. 加强司法。开展审判。[责任单位：市中级人民法院]
3. 加强宣传。开展宣传。[责任单位：市委宣传部（新闻出版局）]
"""


def problems_of(result) -> list[tuple[str, str, int | None]]:
    return [(p.severity, p.code, p.line) for p in result.problems]


def test_the_small_plan_imports_cleanly():
    result = parse(PLAN)
    assert problems_of(result) == []
    assert [t.number for t in result.tasks] == ["1", "2", "3"]


def test_a_task_without_a_block_is_an_error_and_the_rest_still_imports():
    result = parse(PLAN.replace("[责任单位：市中级人民法院]", ""))
    assert problems_of(result) == [("error", "task_without_units", 8)]
    assert result.errors[0].message == "任务2没有责任单位"
    assert [t.number for t in result.tasks] == ["1", "2", "3"]
    assert task(result, "2").lead is None and task(result, "3").lead == "市委宣传部（新闻出版局）"


def test_an_unknown_unit_is_kept_as_a_new_department_with_a_warning():
    result = parse(PLAN.replace("市司法局", "市月球开发局"))
    assert problems_of(result) == [("warning", "unknown_unit", 7)]
    assert "市月球开发局" in result.warnings[0].message
    assert task(result, "1").co == ("市月球开发局",)
    assert [(u.name, u.kind) for u in result.units if u.name == "市月球开发局"] == [("市月球开发局", "department")]


def test_a_duplicate_task_number_is_an_error_naming_both_lines():
    result = parse(PLAN.replace("3. 加强宣传", "2. 加强宣传"))
    assert problems_of(result) == [("error", "duplicate_task", 9)]
    assert result.errors[0].message == "任务编号2重复，第8行已有同一编号"
    assert len(result.tasks) == 3


def test_a_gap_in_task_numbers_is_a_warning():
    result = parse(PLAN.replace("3. 加强宣传", "5. 加强宣传"))
    assert problems_of(result) == [("warning", "number_gap", 9)]


def test_bytes_that_are_not_utf8_name_their_line_and_the_rest_still_imports(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode("utf-8").replace("开展审判".encode(), "开展审判".encode("gbk")))
    result = read_plan(path)
    assert problems_of(result) == [("error", "not_utf8", 8)]
    assert [t.lead for t in result.tasks] == ["市公安局", "市中级人民法院", "市委宣传部（新闻出版局）"]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode("utf-8-sig"))
    result = read_plan(path)
    assert problems_of(result) == [] and result.plan.title == "郑州市“十四五”知识产权规划"


def test_windows_line_endings_are_accepted():
    assert problems_of(parse(PLAN.replace("\n", "\r\n"))) == []


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\ufeff"])
def test_an_empty_text_is_an_error(text):
    result = parse(text)
    assert problems_of(result) == [("error", "empty_text", None)]
    assert result.errors[0].describe() == "[错误] 规划文本为空，没有可导入的内容"


def test_a_text_without_tasks_is_an_error():
    result = parse("郑州市“十四五”知识产权规划\n\n一、规划背景\n\n知识产权工作取得成效。\n")
    assert problems_of(result) == [("error", "no_tasks", None)]


def test_an_unclosed_block_is_an_error_and_its_units_are_still_read():
    result = parse(PLAN.replace("[责任单位：市中级人民法院]", "[责任单位：市中级人民法院"))
    assert problems_of(result) == [("error", "unclosed_block", 8)]
    assert task(result, "2").lead == "市中级人民法院"


def test_a_block_under_a_heading_before_any_task_is_ignored_with_a_warning():
    result = parse(PLAN.replace("（一）加强保护\n", "（一）加强保护\n[责任单位：市公安局]\n"))
    assert problems_of(result) == [("warning", "orphan_block", 6)]


def test_a_text_without_a_title_or_years_says_so():
    result = parse(PLAN.replace("郑州市“十四五”知识产权规划\n", ""))
    assert [p.code for p in result.warnings if p.code.startswith("no_")] == ["no_title", "no_years"]


def test_a_text_naming_no_city_is_not_given_the_zhengzhou_roster():
    result = parse(PLAN.replace("郑州市“十四五”知识产权规划\n", ""))
    assert "unknown_unit" in [p.code for p in result.warnings]


def test_every_problem_is_reported_not_only_the_first():
    text = (PLAN.replace("[责任单位：市中级人民法院]", "")
                .replace("市司法局", "市月球开发局")
                .replace("3. 加强宣传", "1. 加强宣传"))
    result = parse(text)
    assert problems_of(result) == [
        ("warning", "unknown_unit", 7), ("error", "task_without_units", 8), ("error", "duplicate_task", 9),
    ]
    assert [p.describe() for p in result.problems][1] == "第8行：[错误] 任务2没有责任单位"


PLAN_ALPHABET = st.sampled_from(list("一二三四五、（）()[]【】1234.．：:责任单位市局，\n\t -/*（知识产权局）十四五") + ["\n\n", "责任单位："])


@settings(max_examples=300, deadline=None)
@given(st.lists(PLAN_ALPHABET, max_size=80).map("".join))
def test_no_text_makes_the_importer_raise(text):
    result = parse_plan(text)
    assert result.errors or result.tasks


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 11), st.integers(1, 4))
def test_a_plan_missing_some_lines_still_imports_every_task_left(start, count):
    lines = PLAN.split("\n")
    left = lines[:start] + lines[start + count :]
    numbered = [line.split(".")[0] for line in left if line[:1].isdigit()]
    result = parse_plan("\n".join(left))
    assert [t.number for t in result.tasks] == numbered


def test_a_plan_whose_first_task_is_not_1_is_warned_about():
    result = parse(PLAN.replace("1. 加强执法。开展执法。[责任单位：市公安局、市司法局]\n", ""))
    assert problems_of(result) == [("warning", "first_number", 7)]
