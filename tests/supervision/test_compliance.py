"""报送 figures on the small plan, against figures worked out by hand.

2024Q3 (due 2024-10-12) on the small plan:
  甲局 owes 2: task 1 in on 10-10, task 4 in late on 10-20      → 2 owed, 2 in, 1 late, 0 missing, 100%, 50%
  乙局 owes 2: task 1 accepted, task 2 returned (not resubmitted) → 2 owed, 1 in, 0 late, 1 missing, 50%, 50%
  丙局 owes 3: task 2 draft, task 3 nothing, task 4 in late 11-01 → 3 owed, 1 in, 1 late, 2 missing, 33.3%, 0%
  total                                                        → 7 owed, 4 in, 2 late, 3 missing, 57.1%, 28.6%
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tracker.db import db


@pytest.fixture
def q3(app, world):
    with app.app_context():
        world.report("1", "甲局", "2024Q3", on=date(2024, 10, 10))
        world.report("4", "甲局", "2024Q3", on=date(2024, 10, 20))
        world.report("1", "乙局", "2024Q3", state="accepted", percent=None)
        world.report("2", "乙局", "2024Q3", state="returned")
        world.report("2", "丙局", "2024Q3", state="draft", percent=None)
        world.report("4", "丙局", "2024Q3", on=date(2024, 11, 1), percent=None)
        db.session.commit()
    return world


EXPECTED = {  # unit: owed, submitted, late, missing, rate, on-time rate
    "甲局": ["2", "2", "1", "0", "100.0%", "50.0%"],
    "乙局": ["2", "1", "0", "1", "50.0%", "50.0%"],
    "丙局": ["3", "1", "1", "2", "33.3%", "0.0%"],
}


def cells(html: str, marker: str) -> list[str]:
    row = re.search(r"<tr[^>]*" + re.escape(marker) + r".*?</tr>", html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_compliance_table_shows_the_hand_computed_figures(office, q3):
    page = office.get("/supervision/compliance?period=2024Q3").get_data(as_text=True)
    for unit, figures in EXPECTED.items():
        assert cells(page, f'data-unit="{unit}"')[2:8] == figures, unit
    total = re.search(r"<tfoot>.*?</tfoot>", page, re.S).group(0)
    assert [c for c in cells(total, "fw-bold") if c][1:7] == ["7", "4", "2", "3", "57.1%", "28.6%"]


def test_units_are_ranked_lowest_submission_rate_first(office, q3):
    page = office.get("/supervision/compliance?period=2024Q3").get_data(as_text=True)
    assert page.index('data-unit="丙局"') < page.index('data-unit="乙局"') < page.index('data-unit="甲局"')


def test_the_dashboard_shows_the_current_periods_totals_and_the_late_units(office, q3):
    page = office.get("/supervision").get_data(as_text=True)
    total = re.search(r'id="compliance-total".*?</table>', page, re.S).group(0)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)] == [
        "7", "4", "2", "3", "57.1%", "28.6%"]
    late = re.search(r'id="late-units".*?</ul>', page, re.S).group(0)
    assert "甲局" in late and "丙局" in late and "乙局" not in late


def test_a_unit_with_nothing_in_is_listed_as_silent(office, world, app):
    with app.app_context():
        world.report("1", "甲局", "2024Q3")
        world.report("1", "乙局", "2024Q3", percent=None)
        db.session.commit()
    page = office.get("/supervision").get_data(as_text=True)
    silent = re.search(r'id="silent-units".*?</ul>', page, re.S).group(0)
    assert "丙局" in silent and "甲局" not in silent and "乙局" not in silent


def test_the_compliance_csv_and_the_compilations_second_sheet_carry_the_same_figures(office, q3):
    response = office.get("/supervision/compliance/2024Q3.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["责任单位", "应报", "已报", "迟报", "未报", "报送率", "按时报送率"]
    assert rows[1:] == [["丙局", "3", "1", "1", "2", "0.3333", "0.0"], ["乙局", "2", "1", "0", "1", "0.5", "0.5"],
                        ["甲局", "2", "2", "1", "0", "1.0", "0.5"], ["合计", "7", "4", "2", "3", "0.5714", "0.2857"]]
    book = load_workbook(io.BytesIO(office.get("/supervision/compilation/2024Q3.xlsx").data))
    sheet = book["报送情况"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == ["责任单位", "应报", "已报", "迟报", "未报", "报送率", "按时报送率"]
    assert values[-1][:5] == ["合计", 7, 4, 2, 3]
    assert values[-1][5] == pytest.approx(4 / 7) and values[-1][6] == pytest.approx(2 / 7)
    assert sheet["F3"].number_format == "0.0%"


def test_the_unit_page_shows_its_record_quarter_by_quarter(office, q3, app):
    with app.app_context():
        unit_id = q3.unit("丙局").id
    page = office.get(f"/supervision/units/{unit_id}").get_data(as_text=True)
    assert cells(page, 'data-period="2024Q3"')[2:9] == ["3", "1", "1", "2", "33.3%", "0.0%", "0"]
    assert cells(page, 'data-period="2024Q2"')[2:8] == ["3", "0", "0", "3", "0.0%", "0.0%"]
    assert cells(page, 'data-period="2024Q4"')[1].endswith("未到期")
    gaps = re.search(r'id="unit-gaps".*?</table>', page, re.S).group(0)
    assert "任务3" in gaps and "逾期未报" in gaps and "迟报" in gaps


def test_an_unknown_period_is_a_clear_message(office, q3):
    response = office.get("/supervision/compliance?period=2031Q9")
    assert response.status_code == 400
    assert "本规划没有这个季度：2031Q9" in response.get_data(as_text=True)
