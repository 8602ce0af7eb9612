"""Two active plans: a unit in both sees and reports on both; old links still find their plan."""
from __future__ import annotations

from sqlalchemy import select

from tracker.db import db
from tracker.plans.models import Task
from tracker.reporting.models import Period, Report, State

from .conftest import COMPLETE, XCB, csrf_from, hidden


def _task_id(app, plan_id: int, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Task.id).where(Task.plan_id == plan_id, Task.number == number))


def _post(client, url: str, task_id: int, values: dict):
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "action": f"submit-{task_id}",
            f"r{task_id}-version": hidden(html, f"r{task_id}-version"),
            f"r{task_id}-digest": hidden(html, f"r{task_id}-digest")}
    data.update({f"r{task_id}-{name}": value for name, value in values.items()})
    return client.post(url, data=data, content_type="multipart/form-data")


def test_my_tasks_lists_every_active_plan_grouped_by_plan(app, later_plan, as_user):
    old, new = later_plan
    page = as_user("xcb", XCB).get("/workspace").get_data(as_text=True)
    assert "郑州市“十四五”知识产权发展规划（征求意见稿）" in page and "郑州市“十五五”知识产权发展规划" in page
    assert f"/workspace/2025Q4?plan={old}" in page      # the old plan's last quarter, still owed
    assert f"/workspace/2026Q1?plan={new}" in page      # the new plan's quarter in progress
    spaces = {part.split('"', 1)[0]: part for part in page.split('class="plan-space mb-4" data-plan="')[1:]}
    assert 'id="period-2025Q4"' in spaces[str(old)] and "十四五" in spaces[str(old)]
    assert 'id="period-2026Q1"' in spaces[str(new)] and 'id="period-2025Q4"' not in spaces[str(new)]


def test_a_unit_reports_on_both_plans_and_old_links_still_work(app, later_plan, as_user):
    old, new = later_plan
    clerk = as_user("xcb", XCB)
    assert clerk.get("/workspace/2025Q4").status_code == 200          # the old link: the plan that has 2025Q4
    old_nine, new_nine = _task_id(app, old, "9"), _task_id(app, new, "9")
    answer = _post(clerk, f"/workspace/2025Q4?plan={old}", old_nine, COMPLETE)
    assert answer.status_code == 302 and f"plan={old}" in answer.headers["Location"]
    draft = {**COMPLETE, "progress": "十五五开局：制定年度推进计划。"}
    html = clerk.get(f"/workspace/2026Q1?plan={new}").get_data(as_text=True)
    assert "十五五" in html
    data = {"csrf_token": csrf_from(html), "action": "save", f"r{new_nine}-version": hidden(html, f"r{new_nine}-version"),
            f"r{new_nine}-digest": hidden(html, f"r{new_nine}-digest"),
            **{f"r{new_nine}-{k}": v for k, v in draft.items()}}
    assert clerk.post(f"/workspace/2026Q1?plan={new}", data=data,
                      content_type="multipart/form-data").status_code == 302
    with app.app_context():
        reports = {(r.task_id, db.session.get(Period, r.period_id).key): r.state
                   for r in db.session.scalars(select(Report))}
    assert reports == {(old_nine, "2025Q4"): State.SUBMITTED, (new_nine, "2026Q1"): State.DRAFT}


def test_my_tasks_can_show_one_plan_only(app, later_plan, as_user):
    old, new = later_plan
    page = as_user("xcb", XCB).get(f"/workspace?plan={new}").get_data(as_text=True)
    assert "/workspace/2026Q1" in page and "/workspace/2025Q4" not in page


def test_an_archived_plan_leaves_my_tasks_but_stays_browsable(app, later_plan, as_user, make_user, login):
    old, new = later_plan
    make_user("admin", role="admin")
    admin = app.test_client()
    login(admin, "admin")
    listing = admin.get("/admin/plans").get_data(as_text=True)
    assert "十四五" in listing and "十五五" in listing
    assert admin.post(f"/admin/plans/{old}/archive", data={"csrf_token": csrf_from(listing)}).status_code == 302
    assert "已归档" in admin.get("/admin/plans").get_data(as_text=True)
    clerk = as_user("xcb", XCB)
    page = clerk.get("/workspace").get_data(as_text=True)
    assert "/workspace/2025Q4" not in page and "十五五" in page
    assert clerk.get(f"/workspace?plan={old}").status_code == 200      # still browsable
    answer = _post(clerk, f"/workspace/2025Q4?plan={old}", _task_id(app, old, "9"), COMPLETE)
    with app.app_context():
        assert db.session.scalar(select(Report)) is None                  # read-only: nothing saved
    assert answer.status_code in (302, 409, 422)
