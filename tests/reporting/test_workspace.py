"""我的任务: a unit's tasks, this quarter's obligations and their states, the quarter in progress, the past."""
from __future__ import annotations

import re
from datetime import date

from tracker.accounts.models import Role
from tracker.reporting.models import Report
from tracker.reporting.services import accept_report, return_report, save_report, submit_report

from .conftest import CO_FULL, FULL, XCB, ZHONGYUAN, ZSCQJ, at

TODAY = date(2024, 11, 20)


def row_of(page: str, number: str) -> str:
    current = page.split('id="period-2024Q3"', 1)[1].split("</section>", 1)[0]
    return current.split(f'data-task="{number}"', 1)[1].split("</tr>", 1)[0]


def scene(world):
    """XCB's 2024Q3: task 9 accepted, 12 returned, 14 submitted (late), 18 a draft, the rest nothing."""
    clerk, office = world.user("clerk", XCB), world.user("office", role=Role.SUPERVISOR)
    reports = {}
    for number in ("9", "12", "14", "18"):
        data = FULL if number == "9" else CO_FULL
        reports[number], _ = save_report(world.session, task=world.task(number), unit=world.unit(XCB),
                                         period=world.period("2024Q3"), data=data, expected_version=None,
                                         actor=clerk, now=at(date(2024, 10, 9)), today=date(2024, 10, 9))
    submit_report(world.session, reports["9"], actor=clerk, now=at(date(2024, 10, 10)), today=date(2024, 10, 10))
    submit_report(world.session, reports["12"], actor=clerk, now=at(date(2024, 10, 11)), today=date(2024, 10, 11))
    submit_report(world.session, reports["14"], actor=clerk, now=at(date(2024, 10, 20)), today=date(2024, 10, 20))
    accept_report(world.session, reports["9"], actor=office, now=at(date(2024, 10, 14)))
    return_report(world.session, reports["12"], comment="请补充数据", actor=office, now=at(date(2024, 10, 14)))


def test_the_workspace_lists_the_units_tasks_marked_lead_or_co(as_user):
    page = as_user("xcb", XCB).get("/workspace").get_data(as_text=True)
    tasks = page.split("承担的任务", 1)[1].split("</table>", 1)[0]
    assert "打造版权精品" in tasks  # task 9, led by XCB
    nine = tasks.split("打造版权精品", 1)[1].split("</tr>", 1)[0]
    assert "牵头" in nine
    one = tasks.split("加强知识产权现代化治理的制度供给", 1)[1].split("</tr>", 1)[0]
    assert "配合" in one


def test_each_obligation_of_the_reporting_quarter_shows_its_state(as_user, services_ctx):
    services_ctx(scene)
    page = as_user("xcb", XCB).get("/workspace").get_data(as_text=True)
    assert "2024Q3 季度报告" in page and "2024-10-12" in page and "已逾期 39 天" in page
    assert "已审核" in row_of(page, "9")
    assert "已退回" in row_of(page, "12") and "退回意见：请补充数据" in row_of(page, "12")
    assert "已报送" in row_of(page, "14") and "迟报，2024-10-20 报送" in row_of(page, "14")
    assert "草稿" in row_of(page, "18")
    assert "未填报" in row_of(page, "1")


def test_the_quarter_in_progress_and_the_past_quarters_are_shown(as_user):
    page = as_user("xcb", XCB).get("/workspace").get_data(as_text=True)
    assert "2024Q4（本季度进行中）" in page and "现在可先保存草稿" in page
    past = page.split('id="past-periods"', 1)[1].split("</table>", 1)[0]
    assert "2024Q2" in past and "2024Q3" in past and "2024Q4" not in past


def test_a_district_finds_the_tasks_it_owes_through_its_group(as_user):
    page = as_user("zhongyuan", ZHONGYUAN).get("/workspace").get_data(as_text=True)
    assert "深化知识产权综合管理体制机制改革" in row_of(page, "2")


def test_unit_users_get_the_menu_entry_and_the_office_is_sent_to_its_start_page(as_user):
    assert "我的任务" in as_user("xcb", XCB).get("/workspace").get_data(as_text=True)
    office = as_user("office", role="supervisor")
    response = office.get("/workspace")
    assert response.status_code == 302 and "/workspace" not in response.headers["Location"]
    assert "我的任务" not in office.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)


def test_a_unit_user_starts_on_the_workspace(as_user):
    response = as_user("xcb", XCB).get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/workspace"


def test_the_workspace_costs_the_same_queries_for_few_and_many_tasks(as_user, services_ctx, count_queries):
    services_ctx(scene)
    few, many = as_user("tjj", "市统计局"), as_user("zscqj", ZSCQJ)
    with count_queries() as small:
        assert few.get("/workspace").status_code == 200
    with count_queries() as large:
        assert many.get("/workspace").status_code == 200
    # 11: the to-do shortlist counts the reports still owed per quarter, then reads only the rows it shows.
    assert len(small) == len(large) <= 11
    assert services_ctx(lambda world: world.session.query(Report).count()) == 4


def _todos(page: str) -> list[tuple[str, str]]:
    """(task number, quarter) of each to-do listed, in order."""
    listed = page.split('id="todos"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'data-task="([^"]+)".*?(?:<span class="small text-muted">(\d{4}Q\d)</span>)', listed, re.S)


def test_the_workspace_shows_the_most_urgent_todos_first_and_how_many_more_there_are(as_user):
    client = as_user("zscqj", ZSCQJ)
    everything = _todos(client.get("/todos").get_data(as_text=True))
    assert len(everything) > 20
    page = client.get("/workspace").get_data(as_text=True)
    shown = _todos(page)
    # The newest quarter's reports come first, in the same order as the full list on /todos.
    assert shown == everything[:20]
    assert shown[0][1] == max(quarter for _number, quarter in everything)
    assert f"共 {len(everything)} 项" in page
    more = page.split('id="todos-more"', 1)[1].split("</p>", 1)[0]
    assert f"另有 {len(everything) - 20} 项未列出" in more and 'href="/todos"' in more
    assert client.get("/todos").status_code == 200
    # The menu's badge still counts every to-do.
    badge = re.search(r'id="todo-count"[^>]*>(\d+)<', page)
    assert badge and int(badge.group(1)) == len(everything)



def test_the_workspace_speaks_english_on_request(as_user, token):
    client = as_user("xcb", XCB)
    client.post("/lang/en", data={"csrf_token": token(client, "/workspace"), "next": "/workspace"})
    page = client.get("/workspace").get_data(as_text=True)
    assert "My tasks" in page and "39 days overdue" in page and "Not started" in page
    assert "未填报" not in page.split("<main", 1)[1]
