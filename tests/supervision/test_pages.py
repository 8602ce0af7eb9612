"""The office's pages as a supervisor reads them: dashboard counts, the lagging list and its filters,
the rules page, and the light on the task page."""
from __future__ import annotations

import json
import re

import pytest

from tracker.db import db


def numbers(page: str) -> list[str]:
    table = page.split('class="table table-sm align-top lagging-table"')[1].split("</table>")[0]
    return re.findall(r"/tasks/(\w+)\">", table)


def test_the_dashboard_counts_tasks_by_light_and_feeds_the_charts(office, lit):
    page = office.get("/supervision").get_data(as_text=True)
    counts = dict(re.findall(r'class="count" data-light="(\w+)">(\d+)<', page))
    assert counts == {"red": "2", "yellow": "1", "green": "1", "none": "0", "done": "0"}
    charts = json.loads(re.search(r'<script type="application/json" id="supervision-charts">(.*?)</script>',
                                  page, re.S).group(1))
    assert {d["key"]: d["value"] for d in charts["lights"]} == {"red": 2, "yellow": 1, "green": 1, "none": 0, "done": 0}
    assert charts["sections"]["names"] == ["第一部分", "第二部分"]
    assert 'src="/static/js/supervision.js"' in page and "<script>" not in page
    assert numbers(page) == ["3", "2", "4"]


def test_the_section_table_shows_lights_and_mean_progress(office, lit):
    page = office.get("/supervision").get_data(as_text=True)
    table = page.split('id="section-progress"')[1].split("</table>")[0]
    second = re.search(r"第二部分.*?</tr>", table, re.S).group(0)
    assert [c for c in re.findall(r'<td class="text-end">([^<]*)</td>', second)] == ["2", "1", "1", "0", "0", "0", "45%"]  # tasks 2 (30%) and 4 (60%)


def test_the_lagging_list_names_each_reason_and_the_lead(office, lit):
    page = office.get("/supervision/lagging").get_data(as_text=True)
    assert numbers(page) == ["3", "2", "4"]
    assert "丙局 连续 2 个季度未报送（2024Q2、2024Q3），已逾期 39 天" in page
    assert "2024Q3 丙局 报告未报送，已逾期 39 天" in page
    assert "牵头单位乙局 2024Q3 报告进展为“滞后”" in page


@pytest.mark.parametrize("query, expected", [
    ("light=yellow", ["4"]), ("light=green", ["1"]), ("section=2", ["2", "4"]), ("period=2024Q2", ["3"]),
    ("section=1&light=yellow", []),
])
def test_the_lagging_list_filters(office, lit, query, expected):
    response = office.get(f"/supervision/lagging?{query}")
    assert response.status_code == 200
    assert numbers(response.get_data(as_text=True)) == expected


def test_the_lagging_list_filters_by_unit(app, office, lit):
    with app.app_context():
        unit_id = lit.unit("甲局").id
    assert numbers(office.get(f"/supervision/lagging?unit={unit_id}").get_data(as_text=True)) == ["4"]


@pytest.mark.parametrize("query, message", [
    ("light=purple", "亮灯应为 red、yellow、green、done 或 none：purple"),
    ("section=9", "没有这个规划部分：9"),
    ("unit=abc", "没有这个责任单位：abc"),
    ("unit=99999", "没有这个责任单位：99999"),
    ("period=2024Q5", "季度格式应为 2024Q3：2024Q5"),
    ("period=2030Q1", "本规划没有这个季度：2030Q1"),
    ("page=0", "页码应为正整数：0"),
])
def test_a_bad_filter_value_is_named_and_ignored(office, lit, query, message):
    response = office.get(f"/supervision/lagging?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "已忽略此筛选条件" in page
    assert numbers(page) == ["3", "2", "4"]


def test_filter_values_are_escaped_when_echoed(office, lit):
    page = office.get("/supervision/lagging?light=<script>x</script>").get_data(as_text=True)
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_the_rules_page_is_written_from_the_thresholds_in_force(app, office, lit):
    page = office.get("/supervision/help").get_data(as_text=True)
    assert "超过 20 个百分点" in page and "连续 2 个已到截止日的季度" in page
    app.config["SUPERVISION_LIGHT_RULES"] = {"behind_by_points": 12, "missing_quarters_for_red": 3}
    try:
        page = office.get("/supervision/help").get_data(as_text=True)
        assert "超过 12 个百分点" in page and "连续 3 个已到截止日的季度" in page
        # and the lights follow: 丙局's two silent quarters now make task 3 yellow, not red
        assert numbers(office.get("/supervision/lagging?light=yellow").get_data(as_text=True)) == ["3", "4"]
    finally:
        app.config.pop("SUPERVISION_LIGHT_RULES")


def test_the_task_page_shows_the_light_and_its_reasons_to_the_tasks_units(app, lit, make_user, login):
    make_user("bing", unit="丙局")
    client = app.test_client()
    login(client, "bing")
    page = client.get(f"/plans/{lit.plan_id}/tasks/3").get_data(as_text=True)
    assert "light-badge-red" in page.split('id="task-light"')[1][:200]
    assert "丙局 连续 2 个季度未报送（2024Q2、2024Q3），已逾期 39 天" in page
    assert "发起督办" not in page and "标记红灯" not in page


def test_the_task_page_offers_the_office_escalation_and_flag(office, lit):
    page = office.get(f"/plans/{lit.plan_id}/tasks/1").get_data(as_text=True)
    assert "发起督办" in page and "标记红灯" in page and "light-badge-green" in page


def test_the_lagging_list_is_paged(app, office, world):
    from tracker.supervision.views import office as views

    views.PAGE_SIZE, saved = 2, views.PAGE_SIZE
    try:
        first = office.get("/supervision/lagging").get_data(as_text=True)
        second = office.get("/supervision/lagging?page=2").get_data(as_text=True)
    finally:
        views.PAGE_SIZE = saved
    assert len(numbers(first)) == 2 and len(numbers(second)) == 2
    assert set(numbers(first)).isdisjoint(numbers(second))
    assert "page=2" in first


def test_the_dashboard_names_the_indicators_behind_their_path(app, client, plan, make_user, login):
    from sqlalchemy import select

    from tracker import clock
    from tracker.indicators import services
    from tracker.indicators.models import Indicator

    owner_id = make_user("ipo", unit="市市场监督管理局（知识产权局）")
    with app.app_context():
        from tracker.accounts.models import User

        owner = db.session.get(User, owner_id)
        indicator = db.session.scalar(select(Indicator).where(Indicator.plan_id == plan, Indicator.number == 1))
        services.enter_value(db.session, indicator, services.ValueInput(year=2023, value="5.1", note="统计年报"),
                             upload_dir=app.config["TRACKER_UPLOAD_DIR"], max_bytes=1024, actor=owner,
                             now=clock.now(), today=clock.today())
        db.session.commit()
    make_user("boss", role="supervisor")
    login(client, "boss")
    page = client.get("/supervision").get_data(as_text=True)
    assert "进度落后的指标（1 项）" in page and "每万人口高价值发明专利拥有量" in page


@pytest.mark.parametrize("path", ["/supervision", "/supervision/lagging"])
def test_the_dashboard_and_lagging_list_print_on_one_a4_landscape_page(app, office, lit, path):
    page = office.get(path).get_data(as_text=True)
    assert 'rel="stylesheet" media="print" href="/static/css/print.css' in page
    css = office.get("/static/css/print.css").get_data(as_text=True)
    assert "size: A4 landscape" in css and "nav.navbar" in css and "print-color-adjust: exact" in css
