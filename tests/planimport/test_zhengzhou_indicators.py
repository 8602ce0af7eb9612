"""The 18 indicators of the Zhengzhou plan and the peer-city figures of its appendix."""
from __future__ import annotations

import pytest

CITIES = ["全国", "北京", "上海", "天津", "广州", "重庆", "成都", "武汉", "西安", "苏州", "宁波"]


@pytest.fixture
def indicator(zhengzhou_seed):
    by_number = {i["number"]: i for i in zhengzhou_seed["indicators"]}
    return by_number.__getitem__


def test_there_are_18_indicators_numbered_1_to_18(zhengzhou_seed):
    assert [i["number"] for i in zhengzhou_seed["indicators"]] == list(range(1, 19))


@pytest.mark.parametrize("number, name, measure, baseline, baseline_value, target, low, high, annual", [
    (1, "每万人口高价值发明专利拥有量", "件", "4.62", 4.62, "13", 13, 13, False),
    (2, "海外发明专利授权量", "件", "94", 94, "200", 200, 200, True),
    (10, "知识产权质押融资登记金额", "亿元", "1.91", 1.91, "12", 12, 12, True),
    (11, "专利密集型产业增加值占GDP比重", "%", "-", None, "12", 12, 12, True),
    (13, "国家知识产权强市建设示范城市、强县建设试点示范县、强国建设试点示范园区", "个", "-", None, "3-4", 3, 4, False),
    (14, "全国版权示范园区（基地）和示范单位", "个", "3", 3, "5-8", 5, 8, False),
    (18, "中小企业知识产权托管数量", "家", "1700", 1700, "5000", 5000, 5000, False),
])
def test_indicator_figures_read_back_as_the_table_writes_them(
    indicator, number, name, measure, baseline, baseline_value, target, low, high, annual
):
    found = indicator(number)
    assert (found["name"], found["measure"], found["annual"]) == (name, measure, annual)
    assert (found["baseline"], found["baseline_value"]) == (baseline, baseline_value)
    assert (found["target"], found["target_low"], found["target_high"]) == (target, low, high)


@pytest.mark.parametrize("number, category", [
    (1, "创造质量"), (6, "创造质量"), (7, "保护标准"), (9, "保护标准"), (10, "运用效益"),
    (12, "运用效益"), (13, "管理能效"), (16, "管理能效"), (17, "服务体系"), (18, "服务体系"),
])
def test_a_blank_category_cell_carries_the_category_down(indicator, number, category):
    assert indicator(number)["category"] == category


def test_every_indicator_is_expected_over_2020_to_2025(zhengzhou_seed):
    indicators = zhengzhou_seed["indicators"]
    assert {(i["attribute"], i["baseline_year"], i["target_year"]) for i in indicators} == {("预期性", 2020, 2025)}


@pytest.mark.parametrize("number, basis", [
    (1, "《“十四五”国家知识产权保护和运用规划》"),
    (3, "“两考两评指标”"),
    (13, "《关于面向城市、县域、园区开展知识产权强国建设试点示范工作的通知》"),
    (15, "《郑州市“十四五”质量强市建设规划》"),
])
def test_the_basis_comes_from_the_appendix_table(indicator, number, basis):
    assert indicator(number)["basis"] == basis


def test_peer_cities_are_the_eleven_columns_in_order(zhengzhou_seed):
    for found in zhengzhou_seed["indicators"]:
        assert [p["city"] for p in found["peers"]] == CITIES


@pytest.mark.parametrize("number, city, baseline, target, note", [
    (1, "全国", "6.3", "12", None),
    (1, "北京", "78", "82", None),
    (1, "西安", "-", "20", None),
    (1, "宁波", "12", "20", None),
    (2, "全国", "40000", "90000", None),  # written 40000/⏎⏎90000
    (2, "北京", "-", "-", None),
    (2, "苏州", "4041", "5000", None),  # written 4041/⏎5000
    (2, "宁波", "662", "1000", None),
    (10, "全国", "2180", "3200", None),
    (10, "西安", "128", "150", None),
    (10, "宁波", "64", "150", None),
    (12, "重庆", "6.43", "7.18", None),
    (12, "苏州", "6.8", "9.5", None),
    (12, "宁波", "-", "-", None),
    (13, "宁波", "40", "90", "覆盖率"),
    (14, "苏州", "-", "2-3", None),
    (16, "宁波", "122", "180", "国家级"),
    (18, "成都", "4000", "8000", None),
])
def test_peer_figures_read_back_against_the_text(indicator, number, city, baseline, target, note):
    peer = next(p for p in indicator(number)["peers"] if p["city"] == city)
    assert (peer["baseline"], peer["target"], peer["note"]) == (baseline, target, note)


def test_peer_figures_are_read_as_numbers_where_they_are_numbers(indicator):
    peer = next(p for p in indicator(2)["peers"] if p["city"] == "全国")
    assert (peer["baseline_value"], peer["target_low"], peer["target_high"]) == (40000, 90000, 90000)
