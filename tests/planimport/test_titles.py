"""Short task titles and the plan's years."""
from __future__ import annotations

import pytest

from tracker.planimport.numerals import chinese_number
from tracker.planimport.titles import plan_years, task_title

PROJECT = "推动区域合作共赢，实施沿黄科创走廊知识产权行政保护协作工程"


@pytest.mark.parametrize("text, only_task, title", [
    ("加强品牌建设。支持品牌强市提升工程。", False, "加强品牌建设"),
    ("深入实施商标品牌战略，推动产业集群实施品牌商标化战略。", False, "深入实施商标品牌战略"),
    ("完善版权管理服务体系，在重点产业布局建设版权工作站。", True, "完善版权管理服务体系"),
    ("按照省委、省政府的要求，加强郑州在区域内的作用。", True, "实施沿黄科创走廊知识产权行政保护协作工程"),
    ("支持和推动驻郑高校加强知识产权学科建设，培养专业人才。", True, "实施沿黄科创走廊知识产权行政保护协作工程"),
    ("支持和推动驻郑高校加强知识产权学科建设，培养专业人才。", False, "支持和推动驻郑高校加强知识产权学科建设"),
])
def test_a_task_is_titled_by_its_heading_sentence_or_first_clause_or_its_project(text, only_task, title):
    assert task_title(text, PROJECT, only_task) == title


def test_a_long_clause_is_cut_only_at_an_enumeration_comma():
    clause = "紧密配合和服务河南省科学院重建与中原科技城、国家技术转移郑州中心建设、国家级知识产权平台建设"
    title = task_title(clause + "，提升能级。", "", False)
    assert clause.startswith(title) and clause[len(title)] == "、"


@pytest.mark.parametrize("title, text, years", [
    ("郑州市“十四五”知识产权发展规划（征求意见稿）", "", (2021, 2025)),
    ("郑州市“十五五”知识产权发展规划", "", (2026, 2030)),
    ("某市“十三五”知识产权规划", "", (2016, 2020)),
    ("甲市国民经济和社会发展第十五个五年规划纲要", "", (2026, 2030)),
    ("乙市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "", (2021, 2025)),
    ("丙市知识产权保护工作方案", "为落实《丙市“十五五”规划纲要》，制定本方案。", (2026, 2030)),
    ("丁市营商环境提升行动分工方案", "（2026—2030年）\n", (2026, 2030)),
    ("戊市二〇三五年远景目标分工方案", "", (None, None)),
    ("示例市知识产权保护和运用规划（2024—2026年）", "", (2024, 2026)),
    ("示例市知识产权规划（2021-2025年）", "", (2021, 2025)),
    ("示例市知识产权规划", "到2030年，建成知识产权强市。", (None, None)),  # a target year is not a plan's span
    ("示例市知识产权规划", "没有年份。", (None, None)),
])
def test_plan_years_come_from_the_title_or_the_target_year(title, text, years):
    assert plan_years(title, text) == years


@pytest.mark.parametrize("numeral, number", [("一", 1), ("十", 10), ("十四", 14), ("二十三", 23), ("两", 2), ("十十", None), ("甲", None)])
def test_chinese_numerals_read_as_numbers(numeral, number):
    assert chinese_number(numeral) == number
