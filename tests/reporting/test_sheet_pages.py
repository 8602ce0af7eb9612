"""The report page at a real unit's size: only what is owed by default, saves that keep the clerk
in place and never a false conflict, 全部报送 leaving unedited returns alone, last quarter's text
on request, and the lead's view of its co-units."""
from __future__ import annotations

import io
import re
from datetime import date

from tracker.accounts.models import Role
from tracker.reporting.models import Report, State
from tracker.reporting.services import accept_report, return_report

from .conftest import CO_FULL, COMPLETE, FGW, LVJ, XCB, at, hidden, post_sheet
from .test_sheet import stored, submitted_by

TODAY = date(2024, 11, 20)
EXE = b"MZ\x90\x00" + b"\x00" * 60


def row_html(page: str, task_id: int) -> str:
    return page.split(f'id="task-{task_id}"', 1)[1].split("</article>", 1)[0]


def test_a_first_save_with_a_refused_file_keeps_the_text_and_the_next_save_is_no_false_conflict(
        as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "progress": "第一次写的",
                                                    "evidence": (io.BytesIO(EXE), "会议照片.pdf")}})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第一次写的" in page and "以下文件未保存，请重新选择：会议照片.pdf" in page
    assert stored(services_ctx, task, XCB).progress == "第一次写的"
    # The page it got back carries the version its own save made: saving again is no conflict.
    again = post_sheet(client, "2024Q3", {task: {**COMPLETE, "progress": "第二次改的"}}, html=page)
    assert again.status_code == 302
    assert stored(services_ctx, task, XCB).progress == "第二次改的"


def test_a_refused_text_names_the_chosen_files_to_choose_again(as_user, task_ids):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "problems": "问" * 2001,
                                                    "evidence": (io.BytesIO(b"%PDF-1.4 x"), "纪要.pdf")}})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "不能超过 2000 个字。" in page and "以下文件未保存，请重新选择：纪要.pdf" in page


def test_the_text_fields_count_characters_against_the_limit_and_never_cut(as_user, task_ids):
    page = as_user("xcb", XCB).get("/workspace/2024Q3").get_data(as_text=True)
    row = row_html(page, task_ids["9"])
    assert " maxlength=" not in row and 'data-maxlength="2000"' in row
    assert "0 / 2000" in row


def test_submit_all_leaves_a_returned_report_alone_until_it_is_edited(as_user, task_ids, services_ctx):
    report_id = services_ctx(submitted_by(XCB, "9"))

    def give_back(world):
        office = world.user("office", role=Role.SUPERVISOR)
        return_report(world.session, world.session.get(Report, report_id), comment="请补充。", actor=office,
                      now=at(TODAY, 11))

    services_ctx(give_back)
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: COMPLETE}, action="submit_all")  # as the page shows it
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 项被退回的任务退回后未修改，未重新报送：9" in page
    assert stored(services_ctx, task, XCB).state is State.RETURNED
    # Once edited, 全部报送 sends it again.
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "progress": "补充了数据"}}, action="submit_all")
    assert stored(services_ctx, task, XCB).state is State.SUBMITTED


def test_the_page_shows_only_what_is_owed_unless_asked(as_user, task_ids, services_ctx):
    services_ctx(submitted_by(XCB, "9"))
    client = as_user("xcb", XCB)
    owed = client.get("/workspace/2024Q3").get_data(as_text=True)
    assert f'id="task-{task_ids["9"]}"' not in owed and f'id="task-{task_ids["1"]}"' in owed
    done = client.get("/workspace/2024Q3?show=submitted").get_data(as_text=True)
    assert f'id="task-{task_ids["9"]}"' in done and f'id="task-{task_ids["1"]}"' not in done
    row = row_html(done, task_ids["9"])
    assert "report-row-compact" in done and "<textarea" not in row and "召开推进会 2 次。" in row
    everything = client.get("/workspace/2024Q3?show=all").get_data(as_text=True)
    assert f'id="task-{task_ids["9"]}"' in everything and f'id="task-{task_ids["1"]}"' in everything
    lead_only = client.get("/workspace/2024Q3?show=all&duty=co").get_data(as_text=True)
    assert f'id="task-{task_ids["9"]}"' not in lead_only and f'id="task-{task_ids["1"]}"' in lead_only
    section = services_ctx(lambda world: world.task("9").section_id)
    by_section = client.get(f"/workspace/2024Q3?show=all&section={section}").get_data(as_text=True)
    assert f'id="task-{task_ids["9"]}"' in by_section and f'id="task-{task_ids["1"]}"' not in by_section
    assert client.get("/workspace/2024Q3?show=bogus&section=x&duty=1").status_code == 200


def test_saving_one_task_returns_to_it_with_the_message_beside_it_and_keeps_the_filters(as_user, task_ids):
    client = as_user("xcb", XCB)
    task = task_ids["1"]
    html = client.get("/workspace/2024Q3?duty=co").get_data(as_text=True)
    assert f'formaction="/workspace/2024Q3?duty=co#task-{task}"' in html
    response = post_sheet(client, "2024Q3", {task: {"progress": "先写一半"}}, action=f"save-{task}", html=html,
                          query="?duty=co")
    assert response.headers["Location"] == f"/workspace/2024Q3?duty=co&saved={task}&did=saved#task-{task}"
    row = row_html(client.get(response.headers["Location"]).get_data(as_text=True), task)
    assert "本项草稿已保存。" in row and "先写一半" in row


def test_last_quarters_text_is_offered_on_request_and_cannot_be_submitted_unchanged(as_user, task_ids,
                                                                                     services_ctx):
    services_ctx(submitted_by(XCB, "9", key="2024Q2"))
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    plain = row_html(client.get("/workspace/2024Q3").get_data(as_text=True), task)
    assert "召开推进会 2 次。" not in plain and "以上季度内容为起点" in plain
    html = client.get(f"/workspace/2024Q3?prefill={task}").get_data(as_text=True)
    row = row_html(html, task)
    assert "召开推进会 2 次。" in row and "已填入上季度的内容" in row
    assert stored(services_ctx, task, XCB) is None  # offered, not saved
    fields = {"status": "on_track", "percent": "40", "progress": "召开推进会 2 次。", "problems": "",
              "next_steps": "继续推进。", "prefilled": hidden(html, f"r{task}-prefilled")}
    refused = post_sheet(client, "2024Q3", {task: fields}, action=f"submit-{task}", html=html)
    assert refused.status_code == 422 and "这是上季度的内容，请按本季度情况修改后再报送。" in refused.get_data(as_text=True)
    assert stored(services_ctx, task, XCB).state is State.DRAFT
    edited = post_sheet(client, "2024Q3", {task: {**fields, "progress": "本季度召开推进会 3 次。"}},
                        action=f"submit-{task}", html=refused.get_data(as_text=True))
    assert edited.status_code == 302 and stored(services_ctx, task, XCB).state is State.SUBMITTED


def test_the_lead_sees_each_co_units_report_before_and_after_the_office_reviews_it(as_user, task_ids,
                                                                                   services_ctx):
    report_id = services_ctx(submitted_by(LVJ, "9", CO_FULL))
    lead = as_user("xcb", XCB)
    row = row_html(lead.get("/workspace/2024Q3").get_data(as_text=True), task_ids["9"])
    assert "配合单位报送情况（1/3）" in row
    assert LVJ in row and "配合开展宣传。" in row and "已报送" in row
    assert f"{FGW}</span> <span class=\"text-muted\">尚未报送" in row

    def accept(world):
        accept_report(world.session, world.session.get(Report, report_id),
                      actor=world.user("office", role=Role.SUPERVISOR), now=at(TODAY))

    services_ctx(accept)
    row = row_html(lead.get("/workspace/2024Q3").get_data(as_text=True), task_ids["9"])
    assert LVJ in row and "配合开展宣传。" in row and "已审核" in row


def test_every_view_of_the_report_page_costs_the_same_queries_for_few_and_many_tasks(as_user, task_ids,
                                                                                     services_ctx, count_queries):
    services_ctx(submitted_by(LVJ, "9", CO_FULL))
    services_ctx(submitted_by(XCB, "9", key="2024Q2"))
    few, many = as_user("tjj", "市统计局"), as_user("xcb", XCB)
    for query in ("", "?show=all", "?show=submitted&duty=lead", f"?prefill={task_ids['9']}"):
        with count_queries() as small:
            assert few.get(f"/workspace/2024Q3{query}").status_code == 200
        with count_queries() as large:
            assert many.get(f"/workspace/2024Q3{query}").status_code == 200
        assert len(large) - len(small) <= (1 if "prefill" in query else 0), query   # the prefill's own read
        assert len(large) <= 13, query


def test_the_workspace_links_a_submitted_task_to_the_page_that_shows_it(as_user, task_ids, services_ctx):
    services_ctx(submitted_by(XCB, "9"))
    page = as_user("xcb", XCB).get("/workspace").get_data(as_text=True)
    # Each link names its plan (a unit may answer to several plans at once).
    assert re.search(rf'href="/workspace/2024Q3\?plan=\d+&amp;show=all#task-{task_ids["9"]}"', page)
    assert re.search(rf'href="/workspace/2024Q3\?plan=\d+#task-{task_ids["1"]}"', page)
