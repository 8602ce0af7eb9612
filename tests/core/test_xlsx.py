"""The streamed .xlsx writer, read back by openpyxl as Excel would show the cells."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from tracker.core.xlsx import CELL_LIMIT, Book, Layout, Style, column_letter


def _book(rows, styles, layout=None, name="台账"):
    out = io.BytesIO()
    book = Book(out)
    ids = [book.style(style) for style in styles]
    with book.sheet(name, layout or Layout(widths=[12, 30, 8])) as sheet:
        for row, height in rows:
            sheet.row(row, ids, height=height)
    book.close()
    return load_workbook(io.BytesIO(out.getvalue()))


def test_columns_are_lettered_as_in_excel():
    assert [column_letter(n) for n in (1, 14, 26, 27, 52, 703)] == ["A", "N", "Z", "AA", "AZ", "AAA"]


def test_values_come_back_as_written_text_as_text_and_numbers_as_numbers():
    rows = [(["任务 <1> & 2", 30, 0.875], None), ([" 前后有空格 ", None, 7], None), (["第一行\n第二行", "", 0], None)]
    sheet = _book(rows, [Style()] * 3).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["任务 <1> & 2", 30, 0.875], [" 前后有空格 ", None, 7], ["第一行\n第二行", None, 0]]
    assert sheet["B1"].data_type == "n"


def test_formula_text_stays_text_with_the_quote_prefix_and_plain_text_has_none():
    rows = [([formula, "正常文字", 1], None) for formula in ("=1+1", "+1", "-2", "@SUM(A1:A2)", "\t=1", "\r=1")]
    sheet = _book(rows, [Style(wrap=True), Style(), Style()]).active
    cells = [row[0] for row in sheet.iter_rows()]
    # a carriage return is stored as OOXML's escape _x000D_, which Excel decodes and openpyxl leaves as it is
    assert [unescape(c.value) for c in cells] == ["=1+1", "+1", "-2", "@SUM(A1:A2)", "\t=1", "\r=1"]
    assert all(c.data_type == "s" and c.quotePrefix and c.alignment.wrap_text for c in cells)
    assert not any(row[1].quotePrefix for row in sheet.iter_rows())


def test_characters_xml_cannot_carry_are_dropped_and_overlong_text_is_cut_at_excels_limit():
    sheet = _book([(["进展\x07完成\x00", "长" * (CELL_LIMIT + 500), 1], None)], [Style()] * 3).active
    assert sheet["A1"].value == "进展完成"
    assert len(sheet["B1"].value) == CELL_LIMIT


def test_styles_widths_heights_and_number_formats_reach_the_cells():
    styles = [Style(bold=True, size=14, vertical="center"), Style(fill="FFC7CE", horizontal="center", wrap=True),
              Style(vertical="top", number_format="0.0%")]
    sheet = _book([(["标题", "红灯", 0.5], 28), (["", "绿灯", 1], None)], styles).active
    a1, b1, c1 = sheet[1]
    assert a1.font.bold and a1.font.size == 14 and a1.alignment.vertical == "center"
    assert b1.fill.fgColor.rgb[-6:] == "FFC7CE" and b1.alignment.horizontal == "center" and b1.alignment.wrap_text
    assert c1.number_format == "0.0%" and c1.alignment.vertical == "top"
    # Excel keeps heights in whole pixels (28 pt → 27.75) and widths with the cell padding (30 → 30.71)
    assert sheet.row_dimensions[1].height == pytest.approx(28, abs=0.5)
    assert sheet.column_dimensions["B"].width == pytest.approx(30, abs=1)


def test_the_layout_freezes_filters_merges_and_prints_a4_landscape_with_titles_on_every_page():
    layout = Layout(widths=[12, 30, 8], frozen_rows=2, merged=("A1:C1",), autofilter="A2:C4", title_rows=(1, 2),
                    footer="第 &P 页，共 &N 页")
    book = _book([(["标题", None, None], 28), (["甲", "乙", "丙"], None), (["1", "2", 3], None)], [Style()] * 3,
                 layout, name="O'Brien 的表")
    sheet = book.active
    assert sheet.title == "O'Brien 的表"
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:C4"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:C1"]
    assert sheet.print_title_rows == "$1:$2" and sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    setup = sheet.page_setup
    fit_to_width = 1 if setup.fitToWidth is None else setup.fitToWidth   # 1 is the attribute's default
    assert (setup.orientation, setup.paperSize, fit_to_width, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_several_sheets_keep_their_order_and_their_own_print_titles():
    out = io.BytesIO()
    book = Book(out)
    plain = book.style(Style())
    for name in ("报告汇编", "报送情况"):
        with book.sheet(name, Layout(widths=[10], title_rows=(1, 2))) as sheet:
            sheet.row([name], [plain])
    book.close()
    read = load_workbook(io.BytesIO(out.getvalue()))
    assert read.sheetnames == ["报告汇编", "报送情况"]
    assert [s["A1"].value for s in read.worksheets] == ["报告汇编", "报送情况"]
    assert all(s.print_title_rows == "$1:$2" for s in read.worksheets)
