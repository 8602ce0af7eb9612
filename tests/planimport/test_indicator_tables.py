"""Indicator tables as word processors write them: one tab-led cell per line."""
from __future__ import annotations

import pytest

from tracker.planimport.indicators import read_figure, read_indicators, read_peer, split_measure


@pytest.mark.parametrize("written, low, high", [
    ("4.62", 4.62, 4.62),
    ("13", 13, 13),
    ("3-4", 3, 4),
    ("5～8", 5, 8),
    ("-", None, None),
    ("约10", None, None),
])
def test_a_figure_is_kept_as_written_and_read_as_a_number_where_it_is_one(written, low, high):
    figure = read_figure(written)
    assert (figure.written, figure.low, figure.high) == (written, low, high)


@pytest.mark.parametrize("cell, baseline, target, note", [
    ("6.3/12", "6.3", "12", None),
    ("-/20", "-", "20", None),
    ("-", "-", "-", None),
    ("-/2-3", "-", "2-3", None),
    ("40/90（覆盖率）", "40", "90", "覆盖率"),
])
def test_a_peer_cell_splits_into_the_2020_figure_and_the_target(cell, baseline, target, note):
    peer = read_peer("宁波", cell)
    assert (peer.baseline.written, peer.target.written, peer.note) == (baseline, target, note)


@pytest.mark.parametrize("written, name, measure", [
    ("每万人口高价值发明专利拥有量（件）", "每万人口高价值发明专利拥有量", "件"),
    ("全国版权示范园区（基地）和示范单位（个）", "全国版权示范园区（基地）和示范单位", "个"),
    ("中国专利金奖", "中国专利金奖", ""),
])
def test_the_measuring_unit_is_the_last_bracket_of_the_name(written, name, measure):
    assert split_measure(written) == (name, measure)


def table(*rows: str) -> list[str]:
    return "\n".join(rows).split("\n")


MAIN_TABLE = table(
    "“十五五”时期主要指标", "",
    "\t分类", "\t编号", "\t指  标", "\t2025年", "\t2030年", "\t属性", "",
    "\t创造", "\t1", "\t*专利授权量（件）", "\t100", "\t200", "\t预期性", "",
    "\t", "\t2", "\t商标量（万件）", "\t-", "\t3-4", "\t约束性", "",
    # the later rows have lost their blank category cells
    "\t3", "\t版权登记量（件）", "\t10", "\t20", "\t预期性", "",
    "\t保护", "\t4", "\t满意度（分）", "\t80", "\t85", "\t预期性", "",
    "\t5", "\t调解率（%）", "\t20", "\t30", "\t预期性", "",
    " 注：带*指标为当年值。",
)


def test_rows_are_counted_by_cells_even_where_blank_category_cells_are_missing():
    indicators, problems, _ = read_indicators(MAIN_TABLE)
    assert problems == []
    assert [(i.number, i.category, i.name) for i in indicators] == [
        (1, "创造", "专利授权量"), (2, "创造", "商标量"), (3, "创造", "版权登记量"),
        (4, "保护", "满意度"), (5, "保护", "调解率"),
    ]


def test_the_star_marks_an_annual_figure_and_the_header_gives_the_years():
    first, second = read_indicators(MAIN_TABLE)[0][:2]
    assert (first.annual, second.annual) == (True, False)
    assert (first.baseline_year, first.target_year, second.attribute) == (2025, 2030, "约束性")


PEER_TABLE = table(
    "表1.指标参考依据",
    "\t分类", "\t编号", "\t指标", "\t制定", "", "依据", "\t2025年", "\t2030年", "\t基础值/目标值", "",
    "\t", "\t", "\t", "\t", "\t", "\t", "\t全国", "\t北京", "",
    "\t创造", "\t1", "\t*专利授权量（件）", "\t国家规划", "\t100", "\t200", "\t40000/", "", "90000", "\t-", "",
    "\t2", "\t商标量（万件）", "\t“两考两评指标”", "\t-", "\t3-4", "\t-/20", "\t5/6", "",
)


def test_peer_figures_broken_over_lines_are_joined_and_matched_by_indicator_number():
    indicators, problems, _ = read_indicators(MAIN_TABLE + PEER_TABLE)
    assert problems == []
    first, second = indicators[:2]
    assert (first.basis, second.basis) == ("国家规划", "“两考两评指标”")
    assert [(p.city, p.baseline.written, p.target.written) for p in first.peers] == [
        ("全国", "40000", "90000"), ("北京", "-", "-"),
    ]
    assert [p.target.written for p in second.peers] == ["20", "6"]
    assert indicators[2].peers == ()


def test_a_name_that_differs_between_the_two_tables_is_a_warning():
    renamed = [line.replace("商标量（万件）", "商标注册量（万件）") for line in PEER_TABLE]
    _, problems, _ = read_indicators(MAIN_TABLE + renamed)
    assert [(p.code, p.params["number"]) for p in problems] == [("peer_name_differs", 2)]


def test_a_row_missing_from_the_table_is_a_warning():
    without_row_3 = MAIN_TABLE[:23] + MAIN_TABLE[29:]
    indicators, problems, _ = read_indicators(without_row_3)
    assert [i.number for i in indicators] == [1, 2, 4, 5]
    assert [(p.code, p.params["number"]) for p in problems] == [("indicator_missing", 3)]
