"""Due dates counted without an official calendar are provisional, say so, and are counted again later."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from tracker.core.workdays import WorkCalendar
from tracker.db import db
from tracker.reporting.models import Period
from tracker.reporting.periods import Quarter, due_is_provisional, due_on
from tracker.reporting.schedule import ensure_periods


@dataclass
class KnowsUntil(WorkCalendar):
    """The official calendar up to `last`; Monday–Friday after (what an old chinesecalendar does)."""

    last: int = 2026

    def covers(self, year: int) -> bool:
        return year <= self.last

    def is_workday(self, day: date) -> bool:
        return super().is_workday(day) if day.year <= self.last else day.weekday() < 5


@pytest.mark.parametrize("key, provisional", [("2026Q3", False), ("2026Q4", True), ("2027Q3", True)])
def test_a_due_date_in_a_year_without_an_official_calendar_is_provisional(key, provisional):
    calendar = KnowsUntil()
    quarter = Quarter.parse(key)
    assert due_is_provisional(quarter, due_on(quarter, 5, calendar), calendar) is provisional


def test_the_installed_calendar_knows_2026():
    assert WorkCalendar().covers(2026)
    assert due_on(Quarter.parse("2026Q3"), 5, WorkCalendar()) == date(2026, 10, 13)  # after the National Day week


def test_provisional_dates_are_stored_shown_and_corrected_by_a_newer_calendar(app, plan, make_user, login):
    from tracker.plans.models import Plan

    with app.app_context():
        plan_row = db.session.get(Plan, plan)
        plan_row.end_year = 2027
        ensure_periods(db.session, plan_row, workdays_after=5, calendar=KnowsUntil(last=2025))
        db.session.commit()
        q3 = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2026Q3"))
        assert q3.due_provisional and q3.due_on == date(2026, 10, 7)   # Monday–Friday: inside the holiday
    make_user("admin", role="admin")
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get(f"/admin/periods?plan={plan}").get_data(as_text=True)
    row = page.split('id="period-2026Q3"', 1)[1].split("</tr>", 1)[0]
    assert "暂按周一至周五计算，待国务院公布节假日安排后更新" in row
    with app.app_context():
        ensure_periods(db.session, db.session.get(Plan, plan), workdays_after=5, calendar=KnowsUntil(last=2026))
        db.session.commit()
        q3 = db.session.scalar(select(Period).where(Period.plan_id == plan, Period.key == "2026Q3"))
        assert not q3.due_provisional and q3.due_on == date(2026, 10, 13)
