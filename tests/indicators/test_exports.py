"""The indicator table as Excel (the supervision office's), read back cell by cell."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook


@pytest.mark.parametrize("username", ["ipo", "district"])
def test_unit_clerks_cannot_export(client, people, login, username):
    login(client, username)
    assert client.get("/indicators/export.xlsx").status_code == 403


def test_the_export_reads_back_as_the_plans_table(client, people, login, enter):
    enter(people, 1, 2021, "6.5")
    enter(people, 1, 2023, "8.1")
    enter(people, 14, 2023, "4.5", username="press")
    login(client, "office")
    response = client.get("/indicators/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.data)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers == ["分类", "编号", "指标", "计量单位", "类型", "属性", "2020年", "2021年", "2022年", "2023年",
                       "2024年", "2025年", "最新值", "最新年份", "数值状态", "2025年目标", "亮灯", "说明", "责任单位"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 36 and sheet["C2"].alignment.wrap_text
    assert sheet.max_row == 19
    rows = {row[1]: dict(zip(headers, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    first = rows[1]
    assert (first["分类"], first["指标"], first["计量单位"], first["类型"]) == ("创造质量", "每万人口高价值发明专利拥有量", "件", "累计值")
    assert (first["2020年"], first["2021年"], first["2022年"], first["2023年"]) == (4.62, 6.5, None, 8.1)
    assert (first["最新值"], first["最新年份"], first["数值状态"], first["2025年目标"]) == (8.1, 2023, "待审核", "13")
    assert first["亮灯"] == "进度落后" and first["说明"] == "2023年 8.1件，低于路径值 9.65件"
    assert first["责任单位"] == "市市场监督管理局（知识产权局）（建议）"
    parks = rows[14]
    assert parks["2025年目标"] == "5-8" and parks["亮灯"] == "进度正常"
    assert parks["说明"] == "2023年 4.5个，不低于路径值 4.2个；目标为区间 5-8，路径和判断按下限 5个"
    assert rows[13]["2020年"] == "-" and rows[2]["类型"] == "当年值" and rows[2]["亮灯"] == "暂无判断"


def test_an_indicator_name_that_looks_like_a_formula_is_exported_as_text(app, client, people, login):
    from sqlalchemy import select

    from tracker.db import db
    from tracker.indicators.models import Indicator

    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.plan_id == people, Indicator.number == 1))
        indicator.name = '=HYPERLINK("http://example.invalid","x")'
        db.session.commit()
    login(client, "office")
    sheet = load_workbook(BytesIO(client.get("/indicators/export.xlsx").data)).active
    cell = next(c for c in sheet["C"] if c.value and c.value.startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
