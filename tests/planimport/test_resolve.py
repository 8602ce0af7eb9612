"""Names resolved from what is known, never guessed; Zhengzhou's roster only for Zhengzhou's plan."""
from __future__ import annotations

import pytest

from tracker.planimport import load_roster
from tracker.planimport.resolve import KnownUnit, UnitBook, city_of

from .conftest import parse, task

ZHENGZHOU_NAMES = {unit.name for unit in load_roster().units.values()}


def plan_of(city: str, units: str) -> str:
    return f"{city}“十五五”知识产权规划\n\n一、重点任务\n\n（一）甲\n\n1. 甲。（牵头单位：{units}）\n"


@pytest.mark.parametrize("title, city", [("郑州市“十四五”知识产权发展规划", "郑州市"), ("青川市交通规划", "青川市"),
                                         ("黔东南苗族侗族自治州分工方案", "黔东南苗族侗族自治州"), ("关于做好工作的通知", "")])
def test_the_city_is_read_from_the_title(title, city):
    assert city_of(title) == city


def test_another_city_gets_generic_expansions_never_zhengzhou_names():
    result = parse(plan_of("洛川市", "市市场监管局；责任单位：市发改委、各区县（市）人民政府、市知识产权局"))
    one = task(result, "1")
    assert one.leads == ("市市场监督管理局",)
    assert one.co == ("市发展和改革委员会", "各区县（市）人民政府", "市知识产权局")
    assert [u.members for u in result.units if u.name == "各区县（市）人民政府"] == [()]


@pytest.mark.parametrize("city", ["洛川市", "北岭市", "南海市", "西山市"])
def test_no_other_citys_name_is_ever_mapped_onto_zhengzhou_units(city):
    names = "市市场监管局；责任单位：各区县（市）人民政府、各开发区管委会、市人大常委会、市知识产权工作领导小组成员单位"
    result = parse(plan_of(city, names))
    expanded = {unit.name for unit in result.units} | set(task(result, "1").co)
    assert not expanded & (ZHENGZHOU_NAMES - {"各区县（市）人民政府", "各开发区管委会", "市知识产权工作领导小组成员单位"})
    assert all(not unit.members and unit.office is None for unit in result.units)


def test_zhengzhou_still_gets_its_roster():
    result = parse(plan_of("郑州市", "市市场监管局；责任单位：各区县（市）人民政府"))
    assert task(result, "1").leads == ("市市场监督管理局（知识产权局）",)
    group = next(u for u in result.units if u.name == "各区县（市）人民政府")
    assert len(group.members) == 12


def test_units_and_aliases_in_the_database_come_first():
    known = [KnownUnit("青川市科学技术局", aliases=("市科技局",), cities=frozenset({"青川市"})),
             KnownUnit("各镇办", "group", cities=frozenset({"青川市"}))]
    result = parse(plan_of("青川市", "市科技局；责任单位：各镇办"), known=known)
    assert task(result, "1").leads == ("青川市科学技术局",) and task(result, "1").co == ("各镇办",)
    assert [p.code for p in result.warnings] == [] and result.units == []


def test_a_database_unit_of_another_city_is_not_taken_but_qualified():
    known = [KnownUnit("市财政局", cities=frozenset({"郑州市"}))]
    result = parse(plan_of("青川市", "市财政局"), known=known)
    assert task(result, "1").leads == ("青川市财政局",)
    assert [p.code for p in result.warnings] == ["other_city_unit"]


def test_a_database_group_of_another_city_is_a_new_group_here():
    known = [KnownUnit("各镇办", "group", cities=frozenset({"北岭市"}))]
    book = UnitBook("青川市", known, None)
    assert (book.resolve("各镇办").name, book.resolve("各镇办").kind) == ("青川市各镇办", "group")


def test_near_names_are_suggested_never_merged():
    known = [KnownUnit("市经信局", cities=frozenset({"青川市"}))]
    result = parse(plan_of("青川市", "经信局"), known=known)
    assert task(result, "1").leads == ("经信局",)
    [suggestion] = [p for p in result.warnings if p.code == "unit_suggestion"]
    assert suggestion.params["suggestions"] == "市经信局"
