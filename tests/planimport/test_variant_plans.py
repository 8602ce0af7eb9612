"""Plans written in the same style but not the Zhengzhou text: the next five-year plan, another city."""
from __future__ import annotations

import pytest

from tracker.planimport import read_plan

from .conftest import DATA, task

NEXT_PLAN = DATA / "variant-next-plan-2026-2030.txt"
OTHER_CITY = DATA / "variant-example-city-2024-2026.txt"


@pytest.fixture(scope="module")
def next_plan():
    return read_plan(NEXT_PLAN)


@pytest.fixture
def other_city(example_city_roster):
    return read_plan(OTHER_CITY, example_city_roster)


def test_the_next_five_year_plan_runs_2026_to_2030(next_plan):
    assert (next_plan.plan.title, next_plan.plan.start_year, next_plan.plan.end_year) == (
        "郑州市“十五五”知识产权发展规划", 2026, 2030,
    )


def test_the_next_plan_imports_without_problems(next_plan):
    assert [p.describe() for p in next_plan.problems] == []


def test_full_width_and_comma_numbering_make_tasks_but_principles_do_not(next_plan):
    assert [t.number for t in next_plan.tasks] == ["1", "2", "3", "4", "5", "6", "7", "S1", "S2"]
    assert [s.key for s in next_plan.sections] == ["2.1", "2.2", "3.1", "3.2", "4"]


@pytest.mark.parametrize("number, lead, co", [
    ("1", "市市场监督管理局（知识产权局）", ("市发展和改革委员会", "市司法局")),  # ［…］, alias, ，
    ("2", "市公安局", ("市商务局", "各区县（市）人民政府")),  # （…） broken after a trailing space; alias
    ("3", "市大数据管理局", ()),  # the numbered line starts with spaces
    ("4", "市科学技术局", ("市教育局",)),  # 【…】
    ("5", "市市场监督管理局（知识产权局）", ("市工业和信息化局", "各开发区管委会")),  # shared block
    ("6", "市市场监督管理局（知识产权局）", ("市工业和信息化局", "各开发区管委会")),
    ("S2", "市财政局", ()),
])
def test_every_block_style_of_the_next_plan_gives_lead_and_co(next_plan, number, lead, co):
    found = task(next_plan, number)
    assert (found.lead, found.co) == (lead, co)


def test_a_project_whose_only_task_opens_with_a_long_sentence_is_titled_by_the_project(next_plan):
    assert task(next_plan, "7").title == "实施协同保护工程"


def test_another_citys_plan_reads_with_that_citys_roster(other_city):
    assert (other_city.plan.start_year, other_city.plan.end_year) == (2024, 2026)
    assert [(t.number, t.title, t.lead) for t in other_city.tasks] == [
        ("1", "建立快速维权机制", "示例市市场监督管理局"),
        ("2", "开展专项执法行动", "示例市市场监督管理局"),
        ("3", "培育知识产权密集型产业", "示例市市场监督管理局"),
        ("S1", "加强组织领导", "示例市人民政府办公室"),
        ("S2", "强化督促检查", "示例市人民政府办公室"),
    ]


def test_parenthesised_numbers_are_tasks_where_a_part_has_no_dotted_numbers(other_city):
    assert task(other_city, "1").text == "建立快速维权机制。设立快速维权中心。"


def test_an_unknown_unit_in_another_plan_is_kept_and_warned_about(other_city):
    assert task(other_city, "2").co == ("各区县人民政府", "示例市数据局")
    assert [(p.severity, p.line, p.params["name"]) for p in other_city.problems] == [("warning", 8, "示例市数据局")]
    new_unit = next(u for u in other_city.units if u.name == "示例市数据局")
    assert new_unit.kind == "department"


def test_another_citys_groups_expand_into_that_citys_members(other_city):
    seed = other_city.to_seed()
    group = next(u for u in seed["units"] if u["name"] == "各区县人民政府")
    assert group["members"] == ["甲区人民政府", "乙县人民政府"]
    assert {"甲区人民政府", "乙县人民政府"} <= {u["name"] for u in seed["units"]}


def test_parenthesised_sub_points_under_a_numbered_task_stay_in_its_text():
    from .conftest import parse

    text = (
        "示例市“十四五”知识产权规划\n\n一、重点任务\n\n（一）加强保护\n\n"
        "1. 加强执法。主要包括：\n（1）开展专项行动；\n（2）建立协作机制。\n[责任单位：市公安局]\n"
        "2. 加强司法。[责任单位：市司法局]\n"
    )
    result = parse(text)
    assert [t.number for t in result.tasks] == ["1", "2"]
    assert task(result, "1").text == "加强执法。主要包括：\n（1）开展专项行动；\n（2）建立协作机制。"


def test_an_indicator_table_inside_a_task_part_does_not_leak_into_a_task():
    from tracker.planimport import parse_plan

    from .conftest import ZHENGZHOU_PLAN

    lines = ZHENGZHOU_PLAN.read_text(encoding="utf-8").split("\n")
    table = lines[59:196]  # the title “…主要指标”, its cells and the 注 line
    moved = lines[:59] + lines[196:201] + table + lines[201:]  # now right after task 1
    result = parse_plan("\n".join(moved))
    assert result.problems == [] and len(result.indicators) == 18
    assert task(result, "1").text.endswith("促进相关产业快速健康发展。")
