"""催办 by hand from the compliance table and the lagging list: through the reminders' remind_now."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.db import db


@pytest.fixture
def q3(app, world):
    """2024Q3: 甲局 has everything in; 乙局 misses task 2; 丙局 misses tasks 2, 3 and 4."""
    with app.app_context():
        world.report("1", "甲局", "2024Q3")
        world.report("4", "甲局", "2024Q3")
        world.report("1", "乙局", "2024Q3", percent=None)
        db.session.commit()
    return world


def reminded(app) -> list[str]:
    from tracker.plans.models import Unit
    from tracker.reminders.models import Reminder

    with app.app_context():
        return sorted(db.session.scalars(select(Unit.name).join(Reminder, Reminder.unit_id == Unit.id)))


def test_reminding_all_missing_units_of_a_period(app, office, q3, token):
    response = office.post("/supervision/remind", data={"csrf_token": token(office, "/supervision/compliance"),
                                                         "period": "2024Q3"})
    assert response.status_code == 302 and "/supervision/compliance?period=2024Q3" in response.headers["Location"]
    assert reminded(app) == ["丙局", "乙局"]
    assert "已向 2 个单位发出 2024Q3 催办。" in office.get(response.headers["Location"]).get_data(as_text=True)


def test_reminding_one_unit_from_the_compliance_table(app, office, q3, token):
    with app.app_context():
        unit_id = q3.unit("乙局").id
    office.post("/supervision/remind", data={"csrf_token": token(office, "/supervision/compliance"),
                                             "period": "2024Q3", "unit": str(unit_id)})
    assert reminded(app) == ["乙局"]


def test_reminding_the_missing_units_of_one_lagging_task(app, office, q3, token):
    with app.app_context():
        task_id = q3.task("3").id
    response = office.post("/supervision/remind", data={"csrf_token": token(office, "/supervision/lagging"),
                                                        "period": "2024Q3", "task": str(task_id),
                                                        "next": "/supervision/lagging?light=red"})
    assert response.headers["Location"].endswith("/supervision/lagging?light=red")
    assert reminded(app) == ["丙局"]


def test_a_unit_with_everything_in_is_not_reminded(app, office, q3, token):
    with app.app_context():
        unit_id = q3.unit("甲局").id
    response = office.post("/supervision/remind", data={"csrf_token": token(office, "/supervision/compliance"),
                                                        "period": "2024Q3", "unit": str(unit_id)})
    assert reminded(app) == []
    assert "没有需要催办的单位" in office.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("data", [{"period": "2024Q9"}, {"period": "2024Q3", "unit": "x"},
                                  {"period": "2024Q3", "task": "x"}, {"period": "2024Q3", "next": "//evil.example/"}])
def test_bad_remind_requests_are_refused_or_kept_on_site(app, office, q3, token, data):
    response = office.post("/supervision/remind", data={"csrf_token": token(office, "/supervision"), **data})
    if "next" in data:
        assert response.headers["Location"].startswith("/supervision/compliance")
    else:
        assert response.status_code == 400


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: a=b", "/\\evil.example",
                                    "//evil.example", "https://evil.example/"])
def test_a_next_that_leaves_the_site_falls_back_to_the_compliance_page_and_the_reminder_stands(
        app, office, q3, token, target):
    response = office.post("/supervision/remind", data={"csrf_token": token(office, "/supervision/compliance"),
                                                        "period": "2024Q3", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/supervision/compliance?period=2024Q3")
    assert reminded(app) == ["丙局", "乙局"]


@pytest.mark.parametrize("field", ["unit", "task"])
@pytest.mark.parametrize("number", ["99999999999999999999", "2147483648", "²", "-1"])
def test_a_huge_or_odd_unit_or_task_is_a_bad_request_and_reminds_nobody(app, office, q3, token, field, number):
    response = office.post("/supervision/remind", data={"csrf_token": token(office, "/supervision/compliance"),
                                                        "period": "2024Q3", field: number})
    assert response.status_code == 400
    assert reminded(app) == []
