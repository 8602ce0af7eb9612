"""The unit roster: canonical names, aliases, kinds and collective units, read from data."""
from __future__ import annotations

import json

import pytest

from tracker.planimport import RosterError, load_roster
from tracker.planimport.roster import DEFAULT_ROSTER

COUNTIES = ["中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区", "巩义市", "荥阳市", "新密市", "新郑市", "登封市", "中牟县"]
MEMBER_GROUPS = [
    "市知识产权工作领导小组成员单位",
    "市知识产权战略实施工作联席会议成员单位",
    "市打击侵犯知识产权和制售假冒伪劣商品工作领导小组成员单位",
]


@pytest.fixture(scope="module")
def roster():
    return load_roster()


@pytest.mark.parametrize("written, canonical", [
    ("市发改委", "市发展和改革委员会"),
    ("市发展和改革委员会", "市发展和改革委员会"),
    ("市 商务局", "市商务局"),
    ("市市场监督管理局(知识产权局)", "市市场监督管理局（知识产权局）"),
    ("市财政局等", "市财政局"),
    ("各区县（市）政府", "各区县（市）人民政府"),
    ("市人大常委会", "市人民代表大会常务委员会"),
])
def test_a_name_as_written_resolves_to_its_canonical_name(roster, written, canonical):
    assert roster.resolve(written) == canonical


def test_a_name_the_roster_does_not_know_resolves_to_nothing(roster):
    assert roster.resolve("市月球开发局") is None


@pytest.mark.parametrize("name, kind", [
    ("市商务局", "department"),
    ("郑州仲裁委员会办公室", "department"),
    ("中原区人民政府", "district"),
    ("郑东新区管委会", "zone"),
    ("中国（河南）自由贸易试验区郑州片区管委会", "zone"),
    ("各开发区管委会", "group"),
])
def test_each_unit_has_its_kind(roster, name, kind):
    assert roster.units[name].kind == kind


def test_the_county_governments_are_the_twelve_of_zhengzhou(roster):
    assert list(roster.units["各区县（市）人民政府"].members) == [f"{c}人民政府" for c in COUNTIES]


@pytest.mark.parametrize("group", MEMBER_GROUPS)
def test_a_member_unit_group_is_acted_for_by_its_office_until_members_are_set(roster, group):
    unit = roster.units[group]
    assert (unit.kind, unit.members, unit.office) == ("group", (), "市市场监督管理局（知识产权局）")


def test_a_group_stands_for_its_members_and_its_office(roster):
    names = [u.name for u in roster.with_units_of(roster.units[MEMBER_GROUPS[0]])]
    assert names == [MEMBER_GROUPS[0], "市市场监督管理局（知识产权局）"]


def test_the_roster_is_a_data_file_beside_the_code():
    data = json.loads(DEFAULT_ROSTER.read_text(encoding="utf-8"))
    assert len(data["units"]) == len(load_roster().units)


@pytest.mark.parametrize("units, complaint", [
    ([{"name": "甲局", "aliases": ["局"]}, {"name": "乙局", "aliases": ["局"]}], "同时指向"),
    ([{"name": "各区", "kind": "group", "members": ["丙区"]}], "丙区"),
    ([{"name": "甲局", "kind": "bureau"}], "类别"),
])
def test_a_roster_that_contradicts_itself_is_refused_with_a_reason(tmp_path, units, complaint):
    path = tmp_path / "roster.json"
    path.write_text(json.dumps({"units": units}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RosterError, match=complaint):
        load_roster(path)


def test_a_roster_that_is_not_json_is_refused_with_its_path(tmp_path):
    path = tmp_path / "roster.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RosterError, match="roster.json"):
        load_roster(path)
