"""The plan overview and the task page, as users see them; query counts stay flat."""
from __future__ import annotations

import copy


def test_the_overview_lists_sections_tasks_and_units_lead_first(client, plan, make_user, login):
    make_user("office", role="supervisor")
    login(client, "office")
    page = client.get(f"/plans/{plan}").get_data(as_text=True)
    assert "推进知识产权治理体系和治理能力现代化" in page
    assert "保障措施" in page
    first = page.index("加强知识产权现代化治理的制度供给")
    assert page.index("市人民代表大会常务委员会", first) < page.index("市市场监督管理局（知识产权局）", first)


def test_the_task_page_shows_text_and_expanded_units(client, plan, make_user, login):
    make_user("office", role="supervisor")
    login(client, "office")
    page = client.get(f"/plans/{plan}/tasks/2").get_data(as_text=True)
    assert "深化知识产权综合管理体制机制改革" in page
    assert "中牟县人民政府" in page  # expanded from 各区县（市）人民政府


def test_the_overview_costs_the_same_queries_for_a_small_and_a_full_plan(app, client, seed_data, make_user,
                                                                        login, count_queries):
    from tracker.db import db
    from tracker.plans.cli import seed_plan

    small = copy.deepcopy(seed_data)
    small["plan"]["title"] = "small"
    small["tasks"] = small["tasks"][:2]
    with app.app_context():
        small_id = seed_plan(small)[0].id
        full_id = seed_plan(seed_data)[0].id
        db.session.commit()
    make_user("office", role="supervisor")
    login(client, "office")
    with count_queries() as few:
        assert client.get(f"/plans/{small_id}").status_code == 200
    with count_queries() as many:
        assert client.get(f"/plans/{full_id}").status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 8
