"""The quarterly report page: draft, submit one or all, validation beside the field, conflicts."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.accounts.models import Role
from tracker.reporting.models import Report, ReportVersion, State
from tracker.reporting.services import return_report, save_report, submit_report

from .conftest import CO_COMPLETE, CO_FULL, COMPLETE, FGW, FULL, LVJ, XCB, ZSCQJ, at, csrf_from, post_sheet

TODAY = date(2024, 11, 20)


def stored(services_ctx, task_id: int, unit: str, key: str = "2024Q3") -> Report | None:
    def read(world):
        report = world.session.scalar(select(Report).where(Report.task_id == task_id,
                                                           Report.unit_id == world.unit(unit).id,
                                                           Report.period_id == world.period(key).id))
        if report is not None:
            world.session.expunge(report)
        return report

    return services_ctx(read)


def submitted_by(unit: str, number: str, data=FULL, key: str = "2024Q3"):
    """A scene: the unit's clerk saves and submits its report through the services."""

    def scene(world):
        clerk = world.user(f"clerk-{world.unit(unit).id}", unit)
        report, _ = save_report(world.session, task=world.task(number), unit=world.unit(unit), period=world.period(key),
                                data=data, expected_version=None, actor=clerk, now=at(TODAY), today=TODAY)
        submit_report(world.session, report, actor=clerk, now=at(TODAY), today=TODAY)
        return report.id

    return scene


def test_a_unit_fills_and_submits_one_task_and_sees_it_submitted_late(as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: COMPLETE}, action=f"submit-{task}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/workspace/2024Q3?saved={task}&did=submitted#task-{task}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已报送 1 项任务" in page and "本项已报送。" in page
    row = page.split(f'id="task-{task}"', 1)[1].split("</article>", 1)[0]
    assert "已报送" in row and "迟报，2024-11-20 报送" in row and "召开推进会 2 次。" in row
    assert stored(services_ctx, task, XCB).state is State.SUBMITTED


def test_a_draft_may_be_saved_incomplete_and_is_shown_again(as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {"progress": "先写一半"}})
    assert response.status_code == 302
    page = client.get("/workspace/2024Q3").get_data(as_text=True)
    assert "已保存 1 项草稿" in page and "先写一半" in page
    assert stored(services_ctx, task, XCB).state is State.DRAFT


def test_submitting_an_incomplete_task_names_each_missing_field_and_keeps_the_text(as_user, task_ids):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {"progress": "只写了进展"}}, action=f"submit-{task}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("请选择进展状态。", "请填写完成进度。", "请填写下一步计划。"):
        assert message in page
    assert "只写了进展" in page


def test_a_percent_outside_0_to_100_is_refused_beside_the_field_and_nothing_is_saved(as_user, task_ids,
                                                                                       services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "percent": "150", "progress": "我写的进展"}})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "完成进度应为 0 到 100 之间的整数。" in page and "我写的进展" in page and 'value="150"' in page
    assert stored(services_ctx, task, XCB) is None


def test_text_over_the_length_limit_is_refused_and_kept(as_user, task_ids):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "problems": "问" * 2001}})
    assert response.status_code == 422
    assert "不能超过 2000 个字。" in response.get_data(as_text=True)


def test_submit_all_submits_the_complete_tasks_and_says_why_the_others_were_not(as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    lead, co, untouched = task_ids["9"], task_ids["1"], task_ids["4"]
    response = post_sheet(client, "2024Q3", {lead: COMPLETE, co: {"progress": "配合起草"}, untouched: {}},
                          action="submit_all")
    assert response.status_code == 302
    page = client.get("/workspace/2024Q3").get_data(as_text=True)
    assert "已报送 1 项任务" in page
    assert "任务 1 未报送：请选择进展状态。；请填写下一步计划。" in page
    assert "1 项任务尚未填写，未报送：4" in page
    assert stored(services_ctx, lead, XCB).state is State.SUBMITTED
    draft = stored(services_ctx, co, XCB)
    assert draft.state is State.DRAFT and draft.progress == "配合起草"


def test_the_second_of_two_editors_gets_a_conflict_and_keeps_their_text(as_user, task_ids, services_ctx):
    first, second = as_user("xcb1", XCB), as_user("xcb2", XCB)
    task = task_ids["9"]
    post_sheet(first, "2024Q3", {task: {**COMPLETE, "progress": "甲写的"}})
    page_a = first.get("/workspace/2024Q3").get_data(as_text=True)
    page_b = second.get("/workspace/2024Q3").get_data(as_text=True)
    assert post_sheet(first, "2024Q3", {task: {**COMPLETE, "progress": "甲改的"}}, html=page_a).status_code == 302
    response = post_sheet(second, "2024Q3", {task: {**COMPLETE, "progress": "乙改的"}}, html=page_b)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "数据已被他人修改" in page and "乙改的" in page and "甲改的" in page
    assert stored(services_ctx, task, XCB).progress == "甲改的"
    # Having seen both, the second editor saves again on purpose: now theirs counts.
    assert post_sheet(second, "2024Q3", {task: {**COMPLETE, "progress": "乙改的"}}, html=page).status_code == 302
    assert stored(services_ctx, task, XCB).progress == "乙改的"


def test_an_editor_who_changed_nothing_does_not_overwrite_a_colleague(as_user, task_ids, services_ctx):
    first, second = as_user("xcb1", XCB), as_user("xcb2", XCB)
    lead, co = task_ids["9"], task_ids["1"]
    post_sheet(first, "2024Q3", {lead: COMPLETE})
    page_b = second.get("/workspace/2024Q3").get_data(as_text=True)
    post_sheet(first, "2024Q3", {lead: {**COMPLETE, "progress": "甲后来改的"}})
    # The second editor's page still carries the old text of task 9, unchanged by them.
    response = post_sheet(second, "2024Q3", {lead: COMPLETE, co: {"progress": "乙写配合任务"}}, html=page_b)
    assert response.status_code == 302
    assert stored(services_ctx, lead, XCB).progress == "甲后来改的"
    assert stored(services_ctx, co, XCB).progress == "乙写配合任务"


def test_a_returned_report_shows_the_comment_and_its_resubmission_keeps_every_version(as_user, task_ids,
                                                                                      services_ctx):
    client = as_user("xcb", XCB)
    report_id = services_ctx(submitted_by(XCB, "9"))

    def give_back(world):
        office = world.user("office", role=Role.SUPERVISOR)
        return_report(world.session, world.session.get(Report, report_id), comment="请补充具体数据。", actor=office,
                      now=at(TODAY))

    services_ctx(give_back)
    task = task_ids["9"]
    page = client.get("/workspace/2024Q3").get_data(as_text=True)
    assert "退回意见：请补充具体数据。" in page
    assert "退回意见：请补充具体数据。" in client.get("/workspace").get_data(as_text=True)
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "progress": "补充了数据"}}, action=f"submit-{task}")
    assert response.status_code == 302
    actions = services_ctx(lambda world: world.session.scalars(
        select(ReportVersion.action).where(ReportVersion.report_id == report_id).order_by(ReportVersion.number)).all())
    assert actions == ["save", "submit", "return", "save", "submit"]


def test_the_lead_sees_the_co_units_submitted_contributions_beside_its_own(as_user, task_ids, services_ctx):
    services_ctx(submitted_by(LVJ, "9", CO_FULL))
    lead = as_user("xcb", XCB).get("/workspace/2024Q3").get_data(as_text=True)
    row = lead.split(f'id="task-{task_ids["9"]}"', 1)[1].split("</article>", 1)[0]
    assert LVJ in row and "配合开展宣传。" in row
    assert FGW in row and "尚未报送" in row


def test_a_co_unit_does_not_see_another_co_units_report(as_user, task_ids, services_ctx):
    services_ctx(submitted_by(LVJ, "9", CO_FULL))
    page = as_user("fgw", FGW).get("/workspace/2024Q3").get_data(as_text=True)
    assert f'id="task-{task_ids["9"]}"' in page
    assert "配合开展宣传。" not in page and LVJ not in page


def test_a_unit_cannot_write_a_report_for_a_task_it_does_not_answer_for(as_user, task_ids, services_ctx):
    client = as_user("zscqj", ZSCQJ)
    html = client.get("/workspace/2024Q3").get_data(as_text=True)
    task = task_ids["9"]  # 市委宣传部 leads it; ZSCQJ has no part
    assert f"r{task}-version" not in html
    response = client.post("/workspace/2024Q3", data={
        "csrf_token": csrf_from(html),
        "action": f"submit-{task}", f"r{task}-version": "0", f"r{task}-digest": "",
        **{f"r{task}-{k}": v for k, v in COMPLETE.items()}})
    assert response.status_code == 302
    assert stored(services_ctx, task, ZSCQJ) is None


def test_the_office_has_no_unit_report_page(as_user):
    office = as_user("office", role="supervisor")
    assert office.get("/workspace/2024Q3").status_code == 403
    assert office.post("/workspace/2024Q3", data={}).status_code in (400, 403)


def test_a_quarter_not_yet_started_or_a_bad_key_is_not_found(as_user):
    client = as_user("xcb", XCB)
    assert client.get("/workspace/2025Q1").status_code == 404
    assert client.get("/workspace/2024Q9").status_code == 404


def test_the_quarter_in_progress_can_be_drafted_but_not_submitted(as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    page = client.get("/workspace/2024Q4").get_data(as_text=True)
    assert "季度结束后报送" in page and 'value="submit_all"' not in page
    response = post_sheet(client, "2024Q4", {task: COMPLETE}, action=f"submit-{task}")
    assert response.status_code == 422
    assert "2024Q4 尚未结束，只能保存草稿。" in response.get_data(as_text=True)
    assert stored(services_ctx, task, XCB, "2024Q4").state is State.DRAFT


def test_the_report_page_costs_the_same_queries_for_few_and_many_tasks(as_user, task_ids, services_ctx,
                                                                        count_queries):
    services_ctx(submitted_by(LVJ, "9", CO_FULL))
    services_ctx(submitted_by(ZSCQJ, "3", FULL))
    few, many = as_user("tjj", "市统计局"), as_user("zscqj", ZSCQJ)
    post_sheet(few, "2024Q3", {task_ids["5"]: COMPLETE})
    with count_queries() as small:
        assert few.get("/workspace/2024Q3").status_code == 200
    with count_queries() as large:
        assert many.get("/workspace/2024Q3").status_code == 200
    assert len(small) == len(large) <= 12


def test_a_co_units_row_has_no_percent_field(as_user, task_ids):
    page = as_user("lvj", LVJ).get("/workspace/2024Q3").get_data(as_text=True)
    assert f'name="r{task_ids["9"]}-percent"' not in page
    assert post_sheet(as_user("lvj2", LVJ), "2024Q3", {task_ids["9"]: CO_COMPLETE},
                      action=f"submit-{task_ids['9']}").status_code == 302


def test_messages_beside_the_fields_follow_the_users_language(as_user, task_ids, token):
    client = as_user("xcb", XCB)
    client.post("/lang/en", data={"csrf_token": token(client, "/workspace"), "next": "/workspace"})
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "percent": "abc", "progress": "typed text"}})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The percentage complete must be a whole number from 0 to 100." in page and "typed text" in page
