"""The task page's timeline: submissions, reviews and status updates, newest first, as far as one may read."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tracker.accounts.models import Role
from tracker.reporting.services import accept_report, post_status_update, return_report, save_report, submit_report

from .conftest import CO_FULL, FGW, FULL, LVJ, XCB, ZSCQJ, at


def history(world):
    """Task 9 in 2024Q3: the lead submits, is returned, resubmits and is accepted; two co-units submit."""
    office = world.user("office-x", role=Role.SUPERVISOR)
    clerks = {name: world.user(f"clerk-{world.unit(name).id}", name) for name in (XCB, LVJ, FGW)}

    def report(unit, data, day):
        r, _ = save_report(world.session, task=world.task("9"), unit=world.unit(unit), period=world.period("2024Q3"),
                           data=data, expected_version=None, actor=clerks[unit], now=at(day), today=day)
        submit_report(world.session, r, actor=clerks[unit], now=at(day, 11), today=day)
        return r

    lead = report(XCB, FULL, date(2024, 10, 8))
    return_report(world.session, lead, comment="请补充版权登记数量。", actor=office, now=at(date(2024, 10, 9)))
    save_report(world.session, task=world.task("9"), unit=world.unit(XCB), period=world.period("2024Q3"),
                data=replace(FULL, progress="版权登记 1200 件。"), expected_version=None,
                actor=clerks[XCB], now=at(date(2024, 10, 10)), today=date(2024, 10, 10))
    submit_report(world.session, lead, actor=clerks[XCB], now=at(date(2024, 10, 10), 11), today=date(2024, 10, 10))
    accept_report(world.session, lead, actor=office, now=at(date(2024, 10, 15)))
    report(LVJ, CO_FULL, date(2024, 10, 11))
    report(FGW, replace(CO_FULL, progress="发改委的配合情况。"), date(2024, 10, 25))
    post_status_update(world.session, task=world.task("9"), unit=world.unit(XCB), status=FULL.status,
                       note="精品出版项目已立项。", actor=clerks[XCB], now=at(date(2024, 11, 5)), today=date(2024, 11, 5))


def timeline(client, plan) -> str:
    page = client.get(f"/plans/{plan}/tasks/9").get_data(as_text=True)
    return page.split('id="timeline"', 1)[1].split("</section>", 1)[0]


def test_the_office_sees_every_submission_review_and_update_newest_first(as_user, plan, services_ctx):
    services_ctx(history)
    text = timeline(as_user("office", role="supervisor"), plan)
    entries = text.split('<li class="timeline-entry')[1:]
    expected = [("进展动态", "精品出版项目已立项。"), (FGW, "报送季度报告"), ("督查室审核通过",),
                (LVJ, "报送季度报告"), (XCB, "重新报送"), ("督查室退回", "请补充版权登记数量。"), (XCB, "报送季度报告")]
    assert len(entries) == len(expected)
    for entry, markers in zip(entries, expected):
        assert all(marker in entry for marker in markers), (markers, entry)
    assert "迟报，2024-10-25 报送" in text  # FGW came in after 2024-10-12


def test_the_lead_sees_its_co_units_contributions(as_user, plan, services_ctx):
    services_ctx(history)
    text = timeline(as_user("xcb", XCB), plan)
    assert LVJ in text and FGW in text and "发改委的配合情况。" in text


def test_a_co_unit_sees_its_own_reports_but_not_another_co_units(as_user, plan, services_ctx):
    services_ctx(history)
    text = timeline(as_user("lvj", LVJ), plan)
    assert LVJ in text and "配合开展宣传。" in text
    assert FGW not in text and "发改委的配合情况。" not in text
    assert "请补充版权登记数量。" not in text  # the lead's return is the lead's business
    assert "精品出版项目已立项。" in text       # the lead's status updates are news for every unit of the task


def test_a_unit_with_no_part_in_the_task_cannot_open_it(as_user, plan, services_ctx):
    services_ctx(history)
    assert as_user("zscqj", ZSCQJ).get(f"/plans/{plan}/tasks/9").status_code == 403


def test_the_lead_posts_a_dated_status_update(as_user, plan, task_ids, token):
    client = as_user("xcb", XCB)
    page = client.get(f"/plans/{plan}/tasks/9").get_data(as_text=True)
    assert "发布进展动态" in page
    response = client.post(f"/tasks/{task_ids['9']}/status-updates",
                           data={"csrf_token": token(client, f"/plans/{plan}/tasks/9"), "status": "lagging",
                                 "note": "版权示范园区评审推迟到下月。"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{plan}/tasks/9#timeline")
    text = timeline(client, plan)
    assert "版权示范园区评审推迟到下月。" in text and "滞后" in text and "2024-11-20" in text


def test_a_status_update_over_500_characters_is_refused_and_kept(as_user, plan, task_ids, token):
    client = as_user("xcb", XCB)
    note = "长" * 501
    response = client.post(f"/tasks/{task_ids['9']}/status-updates",
                           data={"csrf_token": token(client, f"/plans/{plan}/tasks/9"), "status": "on_track",
                                 "note": note})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "不能超过 500 个字。" in page and note in page


@pytest.mark.parametrize("who, unit, role", [("lvj", LVJ, "unit"), ("office", None, "supervisor")])
def test_only_the_lead_posts_status_updates(as_user, plan, task_ids, token, who, unit, role):
    client = as_user(who, unit, role)
    assert "发布进展动态" not in client.get(f"/plans/{plan}/tasks/9").get_data(as_text=True)
    response = client.post(f"/tasks/{task_ids['9']}/status-updates",
                           data={"csrf_token": token(client, f"/plans/{plan}/tasks/9"), "status": "on_track",
                                 "note": "不该由我发布"})
    assert response.status_code == 403


def test_the_task_page_costs_the_same_queries_with_a_short_or_long_history(as_user, plan, services_ctx,
                                                                             count_queries):
    office = as_user("office", role="supervisor")
    with count_queries() as short:
        assert office.get(f"/plans/{plan}/tasks/9").status_code == 200
    services_ctx(history)
    with count_queries() as long:
        assert office.get(f"/plans/{plan}/tasks/9").status_code == 200
    assert len(short) == len(long)
