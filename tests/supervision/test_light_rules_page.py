"""The office's light rules page: presets fill the form, saving is validated, audited and in force at once."""
from __future__ import annotations

from sqlalchemy import select

from tracker.db import db

from .test_pages import numbers

FORM = {"behind_measure": "points", "behind_by_points": "20", "red_behind_by_points": "", "missing_quarters_for_red": "2",
        "overdue_grace_days": "0", "deadline_warning_days": "", "red_when_reported_lagging": "y",
        "flag_colour": "red", "escalation_colour": "red", "ignored_escalation_colour": "red"}


def test_a_preset_fills_the_form_with_the_published_thresholds(office, world):
    page = office.get("/supervision/light-rules?preset=yinchuan").get_data(as_text=True)
    assert 'name="behind_by_points" type="number" value="10"' in page or 'value="10"' in page.split('name="behind_by_points"')[1][:80]
    assert 'value="30"' in page.split('name="red_behind_by_points"')[1][:80]
    assert "滞后序时进度 10 至 30 个百分点亮黄灯" in page
    sanya = office.get("/supervision/light-rules?preset=sanya").get_data(as_text=True)
    assert '<option selected value="share">' in sanya or 'selected value="share"' in sanya


def test_saving_the_rules_relights_the_tasks_and_the_help_page_shows_them(app, office, lit, token):
    assert sorted(numbers(office.get("/supervision/lagging?light=red").get_data(as_text=True))) == ["2", "3"]
    form = {**FORM, "missing_quarters_for_red": "3", "csrf_token": token(office, "/supervision/light-rules")}
    response = office.post("/supervision/light-rules", data=form)
    assert response.status_code == 302
    assert "亮灯规则已保存" in office.get(response.headers["Location"]).get_data(as_text=True)
    # 丙局's two silent quarters no longer make task 3 red
    assert numbers(office.get("/supervision/lagging?light=red").get_data(as_text=True)) == ["2"]
    help_page = office.get("/supervision/help").get_data(as_text=True)
    assert "连续 3 个已到截止日的季度" in help_page
    with app.app_context():
        from tracker.core.audit import AuditEntry

        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "light_rules.save"))
        assert (entry.old["missing_quarters_for_red"], entry.new["missing_quarters_for_red"]) == (2, 3)


def test_bad_rules_are_shown_back_with_a_message_and_nothing_changes(office, world, token):
    form = {**FORM, "behind_by_points": "40", "red_behind_by_points": "30",
            "csrf_token": token(office, "/supervision/light-rules")}
    response = office.post("/supervision/light-rules", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "红灯线不能低于黄灯线。" in page and 'value="40"' in page
    response = office.post("/supervision/light-rules", data={**form, "behind_by_points": "abc"})
    assert response.status_code == 400 and "应为 0 到 1000 之间的整数。" in response.get_data(as_text=True)
    assert "超过 20 个百分点" in office.get("/supervision/help").get_data(as_text=True)


def test_the_form_needs_its_csrf_token_and_the_office(app, office, world, make_user, login):
    assert office.post("/supervision/light-rules", data=FORM).status_code == 400
    make_user("jia", unit="甲局")
    clerk = app.test_client()
    login(clerk, "jia")
    assert clerk.get("/supervision/light-rules").status_code == 403
