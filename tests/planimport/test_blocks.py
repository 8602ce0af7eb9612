"""Responsibility blocks: every way the plans write them yields the same unit names."""
from __future__ import annotations

import pytest

from tracker.planimport.blocks import find_blocks


def names_in(paragraph: str) -> list[list[str]]:
    return [[name.text for name in block.names] for block in find_blocks(paragraph)]


@pytest.mark.parametrize("paragraph, names", [
    ("做好工作。[责任单位：市公安局、市司法局]", ["市公安局", "市司法局"]),
    ("做好工作。（责任单位：市公安局、市司法局）", ["市公安局", "市司法局"]),
    ("做好工作。［责任单位：市公安局］", ["市公安局"]),
    ("做好工作。【责任单位：市公安局】", ["市公安局"]),
    ("做好工作。(责任单位:市公安局)", ["市公安局"]),
    ("做好工作。\n责任单位：市公安局、市司法局", ["市公安局", "市司法局"]),
    ("做好工作。[责任单位：市公安局，各开发区管委会、各区县（市）人民政府]",
     ["市公安局", "各开发区管委会", "各区县（市）人民政府"]),
])
def test_both_bracket_styles_and_both_separators_give_the_same_names(paragraph, names):
    assert names_in(paragraph) == [names]


@pytest.mark.parametrize("paragraph, names", [
    ("（责任单位：市市场监督管理局（知识产权局）、各区县（市）人民政府）",
     ["市市场监督管理局（知识产权局）", "各区县（市）人民政府"]),
    ("（责任单位：中国（河南）自由贸易试验区郑州片区管委会）", ["中国（河南）自由贸易试验区郑州片区管委会"]),
    ("[责任单位：各县（市、区）人民政府、市林业局]", ["各县（市、区）人民政府", "市林业局"]),
])
def test_brackets_inside_a_name_stay_in_the_name(paragraph, names):
    assert names_in(paragraph) == [names]


@pytest.mark.parametrize("paragraph, names", [
    ("[责任单位：市农业农村工作委员会、市\n商务局]", ["市农业农村工作委员会", "市商务局"]),
    ("[责任单位：市市场监督管理局（知识产权局）、市工业和\n\n信息化局，各开发区管委会]",
     ["市市场监督管理局（知识产权局）", "市工业和信息化局", "各开发区管委会"]),
    ("[责任单位：市公安局、\n    市司法局]", ["市公安局", "市司法局"]),
])
def test_a_line_break_inside_a_name_does_not_split_it(paragraph, names):
    assert names_in(paragraph) == [names]


def test_units_text_is_the_list_as_written_without_line_breaks():
    (block,) = find_blocks("[责任单位：市工业和\n\n信息化局，市发改委]")
    assert block.units_text == "市工业和信息化局，市发改委"


def test_words_around_a_block_are_not_units():
    assert names_in("开展工作。[责任单位：市公安局]此后继续。（注：另行通知）") == [["市公安局"]]


def test_an_unclosed_block_stops_at_the_end_of_its_line():
    (block,) = find_blocks("开展工作。[责任单位：市公安局、市司法局\n2. 下一项任务。")
    assert not block.closed
    assert [n.text for n in block.names] == ["市公安局", "市司法局"]


def test_a_paragraph_may_hold_several_blocks():
    assert names_in("甲。[责任单位：市公安局] 乙。（责任单位：市司法局）") == [["市公安局"], ["市司法局"]]


def test_prose_that_mentions_responsible_units_is_not_a_block():
    assert find_blocks("明确分工，各责任单位：要按期完成。") == []
