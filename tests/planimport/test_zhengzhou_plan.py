"""Facts of the Zhengzhou 14th five-year IP plan that the import must reproduce."""
from __future__ import annotations

import pytest

from .conftest import task


def test_the_plan_imports_without_any_problem(zhengzhou):
    assert [p.describe() for p in zhengzhou.problems] == []


def test_the_plan_title_and_years_come_from_its_first_line(zhengzhou):
    assert zhengzhou.plan.title == "郑州市“十四五”知识产权发展规划（征求意见稿）"
    assert (zhengzhou.plan.start_year, zhengzhou.plan.end_year) == (2021, 2025)


def test_tasks_are_1_to_50_then_safeguards_s1_to_s3(zhengzhou):
    assert [t.number for t in zhengzhou.tasks] == [str(n) for n in range(1, 51)] + ["S1", "S2", "S3"]


def test_the_basic_principles_are_not_tasks(zhengzhou):
    principles_lines = range(34, 44)  # 二、（二）基本原则 1.–5.
    assert not [t for t in zhengzhou.tasks if t.line in principles_lines]
    assert not [t for t in zhengzhou.tasks if t.title.startswith("坚持")]


def test_sections_are_six_task_areas_ten_projects_and_the_safeguards(zhengzhou):
    keys = [s.key for s in zhengzhou.sections]
    assert keys == [f"3.{n}" for n in range(1, 7)] + [f"4.{n}" for n in range(1, 11)] + ["5"]
    assert [s.position for s in zhengzhou.sections] == list(range(1, 18))


@pytest.mark.parametrize("number, key, section", [
    ("1", "3.1", "推进知识产权治理体系和治理能力现代化"),
    ("31", "3.6", "加强知识产权基础建设"),
    ("32", "4.1", "落实创新驱动战略，实施高价值专利培育工程"),
    ("42", "4.5", "推动区域合作共赢，实施沿黄科创走廊知识产权行政保护协作工程"),
    ("50", "4.10", "提升管理服务能力，实施知识产权人才培育工程"),
    ("S2", "5", "保障措施"),
])
def test_each_task_names_its_section_heading(zhengzhou, number, key, section):
    found = task(zhengzhou, number)
    assert (found.section_key, found.section) == (key, section)


@pytest.mark.parametrize("number, line", [("1", 201), ("19", 224), ("32", 246), ("50", 300), ("S1", 302)])
def test_each_task_remembers_the_line_it_starts_on(zhengzhou, number, line):
    assert task(zhengzhou, number).line == line


@pytest.mark.parametrize("number, lead", [
    ("1", "市人民代表大会常务委员会"),
    ("2", "市知识产权工作领导小组成员单位"),
    ("5", "市统计局"),
    ("32", "市人力资源和社会保障局"),
    ("38", "市委宣传部（新闻出版局）"),
    ("49", "市委组织部"),
    ("S2", "市市场监督管理局（知识产权局）"),
])
def test_the_first_unit_named_leads_the_task(zhengzhou, number, lead):
    assert task(zhengzhou, number).lead == lead


@pytest.mark.parametrize("numbers, lead", [
    (("32", "33", "34", "35"), "市人力资源和社会保障局"),
    (("36", "37"), "市市场监督管理局（知识产权局）"),
    (("39", "40", "41"), "市中级人民法院"),
    (("43", "44", "45"), "市市场监督管理局（知识产权局）"),
    (("47", "48"), "市市场监督管理局（知识产权局）"),
])
def test_block_after_a_project_covers_all_its_tasks(zhengzhou, numbers, lead):
    units = {(task(zhengzhou, n).lead, task(zhengzhou, n).co) for n in numbers}
    assert len(units) == 1
    assert units.pop()[0] == lead


@pytest.mark.parametrize("number, neighbour", [("38", "37"), ("38", "39"), ("42", "41"), ("46", "45"), ("49", "48"), ("50", "49")])
def test_a_task_with_its_own_block_does_not_share_its_neighbours_units(zhengzhou, number, neighbour):
    assert task(zhengzhou, number).units_text != task(zhengzhou, neighbour).units_text


@pytest.mark.parametrize("number, unit, why", [
    ("37", "市商务局", "broken across a line: 市⏎商务局"),
    ("48", "市工业和信息化局", "broken across blank lines: 市工业和⏎⏎信息化局"),
    ("46", "中国（河南）自由贸易试验区郑州片区管委会", "nested brackets"),
    ("42", "市发展和改革委员会", "written as the alias 市发改委"),
    ("10", "市林业局", "a （责任单位：…） block"),
    ("19", "市工业和信息化局", "a line starting with spaces"),
    ("2", "各区县（市）人民政府", "after a ， separator"),
])
def test_units_come_through_whole_however_the_text_writes_them(zhengzhou, number, unit, why):
    found = task(zhengzhou, number)
    assert unit in (found.lead, *found.co), why


def test_co_units_keep_the_order_of_the_text(zhengzhou):
    assert task(zhengzhou, "1").co == (
        "市市场监督管理局（知识产权局）", "市委宣传部（新闻出版局）", "市人民检察院", "市中级人民法院", "市公安局",
        "市司法局", "市发展和改革委员会", "市大数据管理局", "市文化广电和旅游局", "市商务局",
    )


def test_an_alias_is_resolved_but_units_text_keeps_what_the_plan_wrote(zhengzhou):
    found = task(zhengzhou, "42")
    assert "市发改委" in found.units_text and "市发改委" not in found.co


def test_units_text_has_no_line_breaks(zhengzhou):
    assert task(zhengzhou, "48").units_text == "市市场监督管理局（知识产权局）、市工业和信息化局，各开发区管委会、各区县（市）人民政府"


def test_no_task_names_a_unit_twice(zhengzhou):
    for found in zhengzhou.tasks:
        names = [found.lead, *found.co]
        assert len(names) == len(set(names)), found.number


@pytest.mark.parametrize("number, title", [
    ("1", "加强知识产权现代化治理的制度供给"),
    ("24", "构建便民利民的知识产权公共服务体系"),
    ("36", "深入实施商标品牌战略"),
    ("38", "完善版权管理服务体系"),
    ("42", "实施沿黄科创走廊知识产权行政保护协作工程"),
    ("44", "探索开展关键核心技术攻关专利导航推进工程"),
    ("46", "实施知识产权金融支持工程"),
    ("49", "实施龙子湖知识产权智慧服务高地建设工程"),
    ("50", "实施知识产权人才培育工程"),
    ("S1", "加强组织领导"),
    ("S2", "强化要素保障"),
    ("S3", "强化考核评估"),
])
def test_each_task_gets_a_short_title_a_person_would_accept(zhengzhou, number, title):
    assert task(zhengzhou, number).title == title


def test_task_text_is_its_paragraph_without_the_block(zhengzhou):
    assert task(zhengzhou, "1").text.startswith("加强知识产权现代化治理的制度供给。聚焦促进创新发展")
    assert task(zhengzhou, "35").text.endswith("每两年开展一次郑州市专利奖评审活动。")
    assert not [t.number for t in zhengzhou.tasks if "责任单位" in t.text]


def test_the_collective_units_expand_into_their_members(zhengzhou_seed):
    units = {u["name"]: u for u in zhengzhou_seed["units"]}
    counties = units["各区县（市）人民政府"]
    assert counties["kind"] == "group" and len(counties["members"]) == 12
    assert {units[m]["kind"] for m in counties["members"]} == {"district"}
    assert units["各开发区管委会"]["members"] == [
        "郑东新区管委会", "郑州经济技术开发区管委会", "郑州高新技术产业开发区管委会", "郑州航空港经济综合实验区管委会",
    ]


def test_every_unit_a_task_names_is_in_the_seed_units(zhengzhou_seed):
    named = {n for t in zhengzhou_seed["tasks"] for n in (t["lead"], *t["co"])}
    assert named <= {u["name"] for u in zhengzhou_seed["units"]}
