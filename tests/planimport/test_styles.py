"""Every annotation style cities publish, read from plans of made-up cities (tests/data/cities)."""
from __future__ import annotations

import pytest

from tracker.planimport import read_plan
from tracker.planimport.blocks import find_blocks

from .conftest import DATA, parse, task

CITIES = DATA / "cities"


def leads_and_co(result, number):
    found = task(result, number)
    return found.leads, found.co


@pytest.mark.parametrize("text, leads, co", [
    ("[责任单位：市甲局、市乙局]", ["市甲局"], ["市乙局"]),
    ("（责任单位：市甲局，市乙局）", ["市甲局"], ["市乙局"]),
    ("【责任部门：市甲局、\n市乙局等】", ["市甲局"], ["市乙局等"]),
    ("（牵头单位：市科技局；责任单位：市财政局、市教育局）", ["市科技局"], ["市财政局", "市教育局"]),
    ("（预期性指标，牵头单位：市统计局；责任单位：市发改委）", ["市统计局"], ["市发改委"]),
    ("（牵头部门：市交通局、市住建局，配合部门：市财政局）", ["市交通局", "市住建局"], ["市财政局"]),
    ("（牵头：市甲局；配合：市乙局）", ["市甲局"], ["市乙局"]),
    ("（牵头部门：市甲局，协同单位：市乙局；参与单位：市丙局）", ["市甲局"], ["市乙局", "市丙局"]),
    ("（市工信局、市科技局牵头，市财政局按职责分工负责）", ["市工信局", "市科技局"], ["市财政局"]),
    ("（市文旅局牵头，市商务局、市体育局配合）", ["市文旅局"], ["市商务局", "市体育局"]),
    ("（市教育局、市人社局、市财政局负责）", ["市教育局"], ["市人社局", "市财政局"]),
    ("[责任单位：市生态环境局（牵头）、市发改委]", ["市生态环境局"], ["市发改委"]),
    ("（责任单位：市城管局牵头，市住建局配合）", ["市城管局"], ["市住建局"]),
    ("(牵头单位:市甲局;责任单位:市乙局,市丙局)", ["市甲局"], ["市乙局", "市丙局"]),
])
def test_each_style_names_its_leads_and_co_units(text, leads, co):
    [block] = find_blocks("任务。" + text)
    assert [n.text for n in block.lead_names] == leads
    assert [n.text for n in block.names[block.leads:]] == co


@pytest.mark.parametrize("text", ["（2021—2025年）", "（以下简称“十四五”）", "（知识产权局）", "（含）", "（试行）"])
def test_brackets_that_hold_prose_are_not_annotations(text):
    assert find_blocks("加强管理" + text + "。") == []


def test_an_annotation_in_words_not_understood_is_named_with_its_line():
    result = read_plan(CITIES / "yunling-c-2026-2030.txt")
    [unread] = [p for p in result.problems if p.code == "unread_annotation"]
    assert unread.describe().startswith("第14行：[错误] 未能识别责任分工标注“（主办：市商务局；协办：市交通局）”")
    assert "task_without_units" not in [p.code for p in result.problems]


def test_a_task_whose_annotation_was_not_read_never_takes_the_next_tasks_block():
    head = "某某市“十五五”规划\n\n一、重点任务\n\n（一）甲\n\n"
    result = parse(head + "1. 甲。（主办：市甲局）\n2. 乙。\n[责任单位：市乙局]\n")
    assert task(result, "1").leads == () and task(result, "2").leads == ("市乙局",)


def test_style_b_with_an_attribute_multi_line_tasks_and_half_width_punctuation():
    result = read_plan(CITIES / "qingchuan-b-2026-2030.txt")
    assert [t.number for t in result.tasks] == ["1", "2", "3", "4", "5"]
    assert leads_and_co(result, "2") == (("市科学技术局",), ("市发展和改革委员会", "市教育局"))
    assert leads_and_co(result, "3") == (("市委组织部",), ("市人力资源和社会保障局", "市财政局"))
    assert "到2030年建成省级以上平台50个" in task(result, "2").text


def test_two_leads_come_in_order_and_the_first_is_the_lead():
    result = read_plan(CITIES / "qingchuan-b-2026-2030.txt")
    four = task(result, "4")
    assert four.leads == ("市金融工作局", "市财政局") and four.lead == "市金融工作局"
    assert result.to_seed()["tasks"][3]["leads"] == ["市金融工作局", "市财政局"]


def test_a_deadline_in_the_annotation_is_kept_as_written_with_its_date():
    five = read_plan(CITIES / "qingchuan-b-2026-2030.txt").to_seed()["tasks"][4]
    assert five["deadline"] == {"text": "2028年底前", "date": "2028-12-31"}


def test_style_c_labels_and_numbering_in_brackets():
    result = read_plan(CITIES / "yunling-c-2026-2030.txt")
    assert leads_and_co(result, "1") == (("市交通运输局", "市住房和城乡建设局"), ("市自然资源和规划局", "市财政局"))
    assert leads_and_co(result, "3") == (("市大数据局",), ("市公安局交通管理支队", "市交通运输局"))
    assert (result.plan.start_year, result.plan.end_year) == (2026, 2028)


def test_style_d_verbs_and_lead_markers_inside_blocks():
    result = read_plan(CITIES / "hewan-d-2026-2030.txt")
    assert leads_and_co(result, "1") == (("市生态环境局", "市工业和信息化局"), ("市公安局", "市住房和城乡建设局"))
    assert leads_and_co(result, "2") == (("市水利局",), ("市生态环境局", "市农业农村局"))
    assert leads_and_co(result, "3") == (("市生态环境局",), ("市自然资源局", "市农业农村局"))
    assert leads_and_co(result, "4") == (("市城市管理局",), ("市生态环境局",))


def test_style_e_first_named_leads():
    result = read_plan(CITIES / "shimen-e-2027.txt")
    assert leads_and_co(result, "1") == (("市发展和改革委员会",), ("市住房和城乡建设局", "市财政局"))
    assert leads_and_co(result, "2") == (("市工商联",), ("各县市区",))
    assert (result.plan.start_year, result.plan.end_year) == (2027, 2027)
    assert result.errors == []


def test_a_task_table_gives_columns_sections_and_deadlines():
    result = read_plan(CITIES / "liujiang-table-2026-2030.tsv")
    assert [(t.number, t.section) for t in result.tasks] == [("1", "文旅融合"), ("2", "文旅融合"), ("3", "公共服务")]
    assert leads_and_co(result, "2") == (("市商务局", "市文化广电和旅游局"), ("各县（市、区）人民政府",))
    assert leads_and_co(result, "3") == (("市文化广电和旅游局",), ("市财政局",))
    deadlines = [t.get("deadline") for t in result.to_seed()["tasks"]]
    assert deadlines == [{"text": "2027年底前", "date": "2027-12-31"}, {"text": "2026年6月底", "date": "2026-06-30"},
                         {"text": "长期坚持", "date": None}]


@pytest.mark.parametrize("name", ["各县（市、区）人民政府", "各镇办", "各县市区", "市级相关部门", "市直各有关部门",
                                  "市知识产权工作领导小组成员单位", "各区县（市）人民政府"])
def test_collective_words_become_groups_without_members_and_a_warning(name):
    result = parse(f"北岭市“十五五”规划\n\n一、重点任务\n\n（一）甲\n\n1. 甲。（牵头单位：市甲局；责任单位：{name}）\n")
    [group] = [u for u in result.units if u.name == name]
    assert (group.kind, group.members) == ("group", ())
    assert [p.params["name"] for p in result.warnings if p.code == "collective_unit"] == [name]


def test_the_summary_names_tasks_units_warnings_and_styles():
    result = read_plan(CITIES / "hewan-d-2026-2030.txt")
    assert result.summary() == "共识别4项任务、8个单位，0个错误、9个警告；标注样式：责任单位块、“某某牵头、某某配合”"


def test_tasks_numbered_with_chinese_ordinals_are_numbered_in_order():
    text = ("西江市“十五五”乡村振兴规划任务分工\n\n一、推进产业振兴\n\n"
            "（一）发展特色农业。建设基地。（牵头单位：市农业农村局；责任单位：市财政局）\n"
            "（二）培育新型经营主体。（牵头单位：市农业农村局）\n\n二、推进人才振兴\n\n"
            "（三）引育乡村人才。（牵头单位：市人社局；责任单位：市农业农村局）\n")
    result = parse(text)
    assert [(t.number, t.title, t.section) for t in result.tasks] == [
        ("1", "发展特色农业", "推进产业振兴"), ("2", "培育新型经营主体", "推进产业振兴"), ("3", "引育乡村人才", "推进人才振兴")]
    assert task(result, "3").leads == ("市人力资源和社会保障局",)
