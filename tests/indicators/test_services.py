"""Entering values (history kept, the newest counts), the office's verdicts, the owner unit."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker import clock
from tracker.accounts.models import User
from tracker.core.errors import Conflict, Invalid, NotAllowed
from tracker.db import db
from tracker.indicators import queries, services
from tracker.indicators.models import Indicator, IndicatorValue, ValueState
from tracker.indicators.rules import IndicatorColour
from tracker.plans.models import Unit

TODAY = date(2024, 11, 20)


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def _indicator(number: int) -> Indicator:
    return db.session.scalar(select(Indicator).where(Indicator.number == number))


def _row(plan_id: int, number: int) -> queries.IndicatorRow:
    return next(r for r in queries.list_indicator_rows(db.session, plan_id, today=TODAY) if r.indicator.number == number)


def test_two_entries_for_one_year_are_both_kept_and_the_latest_counts(app, people, enter):
    first = enter(people, 1, 2023, "8.1")
    second = enter(people, 1, 2023, "9.8", note="更正：按国家知识产权局口径")
    with app.app_context():
        kept = db.session.scalars(select(IndicatorValue).order_by(IndicatorValue.id)).all()
        assert [(v.id, v.year, v.value) for v in kept] == [(first, 2023, 8.1), (second, 2023, 9.8)]
        row = _row(people, 1)
        assert row.latest.id == second and row.latest.value == 9.8
        assert row.light.colour is IndicatorColour.ON_PATH
        assert row.light.reasons[0].text() == "2023年 9.8件，不低于路径值 9.65件"
        page = queries.get_indicator_page(db.session, people, 1, today=TODAY)
        assert [v.value for v in page.history] == [9.8, 8.1]


def test_the_latest_year_is_the_one_judged(app, people, enter):
    enter(people, 1, 2023, "8.1")
    enter(people, 1, 2021, "6.5")
    with app.app_context():
        row = _row(people, 1)
        assert (row.latest.year, row.light.colour) == (2023, IndicatorColour.BEHIND)
        assert sorted(row.by_year) == [2021, 2023]


def test_list_behind_names_the_indicators_that_trail_their_path(app, people, enter):
    enter(people, 1, 2023, "8.1")   # behind its path (9.65)
    enter(people, 3, 2023, "225")   # ahead of its path (218)
    with app.app_context():
        behind = queries.list_behind(db.session, people, today=TODAY)
        assert [row.indicator.number for row in behind] == [1]
        assert behind[0].light.reasons[0].text() == "2023年 8.1件，低于路径值 9.65件"


def test_a_queried_value_waits_for_the_owner_to_enter_it_again(app, people, enter):
    value_id = enter(people, 10, 2023, "9.8")
    with app.app_context():
        value = db.session.get(IndicatorValue, value_id)
        services.query_value(db.session, value, comment="请核实口径", actor=_user("office"), now=clock.now())
        db.session.commit()
        row = _row(people, 10)
        assert row.latest.state is ValueState.QUERIED and row.latest.review_comment == "请核实口径"
        assert row.light.reasons[-1].text() == "2023年数值被督查室质疑，待责任单位重新填报"
    again = enter(people, 10, 2023, "10.2")
    with app.app_context():
        row = _row(people, 10)
        assert row.latest.id == again and row.latest.state is ValueState.ENTERED
        assert db.session.get(IndicatorValue, value_id).state is ValueState.QUERIED  # the old entry keeps its verdict


def test_only_the_newest_entry_of_a_year_can_be_reviewed(app, people, enter):
    old = enter(people, 1, 2023, "8.1")
    enter(people, 1, 2023, "9.8")
    with app.app_context(), pytest.raises(Conflict):
        services.accept_value(db.session, db.session.get(IndicatorValue, old), actor=_user("office"), now=clock.now())


def test_a_query_needs_a_comment(app, people, enter):
    value_id = enter(people, 1, 2023, "8.1")
    with app.app_context(), pytest.raises(Invalid) as refused:
        services.query_value(db.session, db.session.get(IndicatorValue, value_id), comment="  ",
                             actor=_user("office"), now=clock.now())
    assert refused.value.fields == {"comment": "质疑时请写明意见。"}


def test_a_unit_clerk_cannot_review(app, people, enter):
    value_id = enter(people, 1, 2023, "8.1")
    with app.app_context(), pytest.raises(NotAllowed):
        services.accept_value(db.session, db.session.get(IndicatorValue, value_id), actor=_user("ipo"), now=clock.now())


@pytest.mark.parametrize("username", ["press", "district", "office", "root"])
def test_only_the_owner_units_users_enter_values(app, people, enter, username):
    with pytest.raises(NotAllowed):
        enter(people, 1, 2023, "8.1", username=username)


def test_every_bad_field_is_named_at_once_and_nothing_is_saved(app, people):
    with app.app_context():
        data = services.ValueInput(year=2025, value="十二", note="", evidence=b"MZ\x90\x00", evidence_name="x.pdf")
        with pytest.raises(Invalid) as refused:
            services.enter_value(db.session, _indicator(1), data, upload_dir=app.config["TRACKER_UPLOAD_DIR"],
                                 max_bytes=1024, actor=_user("ipo"), now=clock.now(), today=TODAY)
        assert refused.value.fields == {
            "year": "该年份尚未开始。", "value": "请输入数字，例如 12.5。", "note": "请注明数据来源。",
            "evidence": "只接受 PDF、PNG、JPEG、Excel（.xlsx）或 Word（.docx）文件。",
        }
        db.session.rollback()
        assert db.session.scalar(select(IndicatorValue.id)) is None


def test_a_percentage_above_100_is_refused(app, people, enter):
    with pytest.raises(Invalid) as refused:
        enter(people, 7, 2023, "120", username="court")
    assert refused.value.fields == {"value": "百分比须在 0 到 100 之间。"}


def test_an_administrator_confirms_or_changes_the_owner(app, people):
    with app.app_context():
        indicator = _indicator(10)
        finance = db.session.scalar(select(Unit).where(Unit.name == "市金融工作局"))
        services.assign_owner(db.session, indicator, finance, actor=_user("root"), now=clock.now())
        db.session.commit()
        assert (_indicator(10).owner.name, _indicator(10).owner_proposed) == ("市金融工作局", False)
        group = db.session.scalar(select(Unit).where(Unit.name == "各区县（市）人民政府"))
        with pytest.raises(Invalid):
            services.assign_owner(db.session, indicator, group, actor=_user("root"), now=clock.now())
        with pytest.raises(NotAllowed):
            services.assign_owner(db.session, indicator, finance, actor=_user("office"), now=clock.now())
