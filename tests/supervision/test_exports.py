"""The ledger (台账) and the quarterly compilation, read back as Excel and CSV would show them."""
from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tracker.db import db

LEDGER_HEADERS = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限", "亮灯", "亮灯原因", "进展状态", "完成进度（%）",
                  "序时进度（%）", "本期工作进展", "存在问题", "下一步计划", "报送情况"]


@pytest.fixture
def reported(app, world):
    """Task 2: lead 乙局 reports lagging at 30% in 2024Q3; 丙局 reported 2024Q2 only."""
    with app.app_context():
        world.report("2", "乙局", "2024Q2", percent=20, progress="完成方案起草")
        world.report("2", "乙局", "2024Q3", status="lagging", percent=30, progress="资金未到位，进度滞后",
                     on=date(2024, 10, 15))
        world.report("2", "丙局", "2024Q2", percent=None, progress="配合开展调研")
        db.session.commit()
    return world


def test_the_ledger_has_a_title_frozen_chinese_headers_and_one_row_per_task(office, reported):
    response = office.get("/supervision/ledger.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet.title == "台账"
    assert sheet["A1"].value == "测试规划 2024Q3 重点任务推进台账（截至 2024-11-20）"
    assert [c.value for c in sheet[2]] == LEDGER_HEADERS
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:N6"
    assert sheet.column_dimensions["K"].width >= 30 and sheet["K3"].alignment.wrap_text
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert sorted(rows) == ["1", "2", "3", "4"]
    two = rows["2"]
    assert two[:6] == ("2", "任务2", "乙局", "丙局", "2025-12-31", "红灯")
    assert two[6].splitlines() == ["牵头单位乙局 2024Q3 报告进展为“滞后”", "2024Q3 丙局 报告未报送，已逾期 39 天"]
    assert two[7:10] == ("滞后", 30, 37)              # 序时进度 at 2024Q3 end: 274 of 731 days
    assert two[10] == "乙局：资金未到位，进度滞后"          # this period's reports only
    assert two[12] == "乙局：继续推进" and two[13] == "应报 2 / 已报 1"


def test_the_ledger_prints_on_a4_landscape_one_page_wide_with_its_header_on_every_page(office, reported):
    for url in ("/supervision/ledger.xlsx", "/supervision/compilation/2024Q3.xlsx"):
        book = load_workbook(io.BytesIO(office.get(url).data))
        for sheet in book.worksheets:
            setup = sheet.page_setup
            assert (setup.orientation, setup.paperSize) == ("landscape", 9), url       # 9 = A4
            fit_to_width = 1 if setup.fitToWidth is None else setup.fitToWidth   # 1 is the attribute's default
            assert sheet.sheet_properties.pageSetUpPr.fitToPage and (fit_to_width, setup.fitToHeight) == (1, 0)
            assert sheet.print_title_rows == "$1:$2" and sheet.freeze_panes == "A3" and sheet.auto_filter.ref
            assert "&P" in sheet.oddFooter.center.text


def test_the_ledgers_light_cells_are_filled_in_their_colour(office, reported):
    sheet = load_workbook(io.BytesIO(office.get("/supervision/ledger.xlsx").data)).active
    fills = {row[0].value: row[5].fill.fgColor.rgb[-6:] for row in sheet.iter_rows(min_row=3)}
    assert fills["2"] == "FFC7CE"                       # red
    assert {row[5].value for row in sheet.iter_rows(min_row=3)} <= {"红灯", "黄灯", "绿灯", "已完成", "暂无数据"}


def test_the_ledger_downloads_under_the_plan_and_period_encoded_per_rfc_5987(office, reported):
    disposition = office.get("/supervision/ledger.xlsx").headers["Content-Disposition"]
    assert "attachment" in disposition
    assert f"filename*=UTF-8''{quote('测试规划-台账-2024Q3.xlsx')}" in disposition
    earlier = office.get("/supervision/ledger.xlsx?period=2024Q2")
    assert quote("测试规划-台账-2024Q2.xlsx") in earlier.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(earlier.data)).active
    two = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "2")
    assert two[10] == "乙局：完成方案起草\n丙局：配合开展调研" and two[13] == "应报 2 / 已报 2"
    assert office.get("/supervision/ledger.xlsx?period=2031Q1").status_code == 404


def test_the_ledger_csv_is_utf8_with_a_bom_and_the_same_rows(office, reported):
    response = office.get("/supervision/ledger.csv")
    assert response.data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == LEDGER_HEADERS
    two = next(r for r in rows[1:] if r[0] == "2")
    assert two[:6] == ["2", "任务2", "乙局", "丙局", "2025-12-31", "红灯"] and two[7:10] == ["滞后", "30", "37"]
    assert f"filename*=UTF-8''{quote('测试规划-台账-2024Q3.csv')}" in response.headers["Content-Disposition"]


def test_the_compilation_lists_every_report_owed_for_the_quarter_by_task_and_unit(office, reported):
    response = office.get("/supervision/compilation/2024Q3.xlsx")
    assert f"filename*=UTF-8''{quote('季度汇编-2024Q3.xlsx')}" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["报告汇编", "报送情况"]
    sheet = book["报告汇编"]
    assert sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[2]][:6] == ["规划部分", "序号", "任务", "责任单位", "职责", "报送情况"]
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [(r[1], r[3], r[4]) for r in rows] == [("1", "甲局", "牵头"), ("1", "乙局", "配合"), ("2", "乙局", "牵头"),
                                                  ("2", "丙局", "配合"), ("3", "丙局", "牵头"), ("4", "甲局", "牵头"),
                                                  ("4", "丙局", "配合")]
    two = rows[2]
    assert two[5:9] == ("已报送", "滞后", 30, "资金未到位，进度滞后") and two[11:13] == ("2024-10-15", "是")
    assert rows[3][5] == "未报" and rows[3][8] is None


def test_the_compilation_csv_carries_the_reports(office, reported):
    rows = list(csv.reader(io.StringIO(office.get("/supervision/compilation/2024Q3.csv").data.decode("utf-8-sig"))))
    assert rows[3][:9] == ["第二部分", "2", "任务2", "乙局", "牵头", "已报送", "滞后", "30", "资金未到位，进度滞后"]


def test_an_unknown_quarter_has_no_compilation(office, reported):
    assert office.get("/supervision/compilation/2031Q1.xlsx").status_code == 404
    assert office.get("/supervision/compilation/nonsense.csv").status_code == 404


FORMULAS = ["=1+1", '=HYPERLINK("http://example.invalid","点击查看")', "+1", "-2", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.fixture
def hostile(app, world):
    """Reports whose texts, and a unit whose name, a spreadsheet would run as formulas."""
    with app.app_context():
        world.unit("丙局").name = "=丙局"
        report = world.report("2", "乙局", "2024Q3", percent=30, progress="=1+1")
        report.problems = FORMULAS[1]
        report.next_steps = "@SUM(A1:A2)"
        world.report("3", "=丙局", "2024Q3", percent=40, progress="-2 个项目延期")
        db.session.commit()
    return world


def _strings(sheet):
    return [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def _assert_no_formula(data: bytes, *expected: str):
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for cell in _strings(sheet)]
    assert cells and all(cell.data_type == "s" for cell in cells)   # "f" would be a live formula
    values = "\n".join(cell.value for cell in cells)
    for text in expected:
        assert text in values
    return book


def test_no_xlsx_export_writes_a_formula_from_user_or_plan_text(office, hostile):
    ledger = _assert_no_formula(office.get("/supervision/ledger.xlsx").data, "=丙局", "乙局：=1+1")
    assert any(cell.value == "=丙局" and cell.quotePrefix for cell in _strings(ledger.active))
    book = _assert_no_formula(office.get("/supervision/compilation/2024Q3.xlsx").data,
                              "=1+1", FORMULAS[1], "@SUM(A1:A2)", "-2 个项目延期", "=丙局")
    compliance = [row[0] for row in book["报送情况"].iter_rows(min_row=3, values_only=True)]
    assert "=丙局" in compliance


@pytest.mark.parametrize("url", ["/supervision/ledger.csv", "/supervision/compilation/2024Q3.csv",
                                 "/supervision/compliance/2024Q3.csv"])
def test_no_csv_export_starts_a_field_with_a_formula_character(office, hostile, url):
    rows = list(csv.reader(io.StringIO(office.get(url).data.decode("utf-8-sig"))))
    fields = [field for row in rows for field in row]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=丙局" in fields
    if "compilation" in url:
        assert {"'=1+1", "'" + FORMULAS[1], "'@SUM(A1:A2)", "'-2 个项目延期"} <= set(fields)


def test_a_control_character_in_a_report_is_left_out_of_the_xlsx_never_a_500(office, app, world):
    with app.app_context():
        world.report("2", "乙局", "2024Q3", percent=30, progress="资金\x07到位\x1b，进度正常")
        db.session.commit()
    ledger = load_workbook(io.BytesIO(office.get("/supervision/ledger.xlsx").data)).active
    assert "乙局：资金到位，进度正常" in [row[10] for row in ledger.iter_rows(min_row=3, values_only=True)]
    compilation = office.get("/supervision/compilation/2024Q3.xlsx")
    assert compilation.status_code == 200
    rows = load_workbook(io.BytesIO(compilation.data))["报告汇编"].iter_rows(min_row=3, values_only=True)
    assert "资金到位，进度正常" in [row[8] for row in rows]
