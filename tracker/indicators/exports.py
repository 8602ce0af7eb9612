"""The indicator table as an Excel workbook (bytes): the plan's table, each year's value, the light."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tracker.core.cells import xlsx_value
from tracker.indicators.queries import IndicatorRow

FILL = {"on_path": "C6EFCE", "behind": "FFC7CE", "achieved": "BDD7EE", "no_data": "EDEDED"}
STATE = {"entered": "待审核", "accepted": "已确认", "queried": "被质疑"}
LIGHT = {"on_path": "进度正常", "behind": "进度落后", "achieved": "已达目标", "no_data": "暂无判断"}


def indicators_xlsx(rows: Sequence[IndicatorRow], *, title: str, years: Iterable[int]) -> bytes:
    """Chinese headers, a frozen header row, set widths and wrapped text; values as numbers."""
    years = list(years)
    baseline_year = rows[0].indicator.baseline_year if rows else (years[0] - 1 if years else 2020)
    target_year = rows[0].indicator.target_year if rows else (years[-1] if years else 2025)
    headers = ["分类", "编号", "指标", "计量单位", "类型", "属性", f"{baseline_year}年",
               *[f"{y}年" for y in years], "最新值", "最新年份", "数值状态", f"{target_year}年目标",
               "亮灯", "说明", "责任单位"]
    widths = [10, 6, 36, 9, 8, 8, 10, *[10] * len(years), 10, 9, 9, 11, 11, 44, 26]
    book = Workbook()
    sheet = book.active
    sheet.title = "主要指标"
    sheet.append(headers)
    for row in rows:
        sheet.append(_cells(row, years))
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = wrap
            xlsx_value(cell)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    light_column = headers.index("亮灯") + 1
    for index, row in enumerate(rows, start=2):
        sheet.cell(index, light_column).fill = PatternFill("solid", fgColor=FILL[row.light.colour.value])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.oddFooter.center.text = title
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(row: IndicatorRow, years: list[int]) -> list:
    indicator, latest = row.indicator, row.latest
    return [
        indicator.category, indicator.number, indicator.name, indicator.measure,
        "当年值" if indicator.annual else "累计值", indicator.attribute,
        indicator.baseline_value if indicator.baseline_value is not None else indicator.baseline,
        *[row.by_year[y].value if y in row.by_year else None for y in years],
        latest.value if latest else None, latest.year if latest else None,
        STATE[latest.state.value] if latest else None,
        indicator.target,
        LIGHT[row.light.colour.value],
        "；".join(reason.text() for reason in row.light.reasons),
        (indicator.owner.name + ("（建议）" if indicator.owner_proposed else "")) if indicator.owner else "未指定",
    ]
