"""The indicator pages as their users meet them: the table, one indicator, entry, review, access."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.indicators.models import Indicator, IndicatorValue, ValueState
from tracker.plans.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, token, path: str, data: dict, **kwargs):
    return client.post(path, data={"csrf_token": token(client, "/indicators"), **data}, **kwargs)


def _chart(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="indicator-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_a_visitor_is_sent_to_log_in(client, people):
    response = client.get("/indicators")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_logged_in_user_sees_the_plans_indicator_table(client, people, login, enter):
    enter(people, 1, 2023, "8.1")
    login(client, "district")
    page = client.get("/indicators").get_data(as_text=True)
    assert page.count('<tr id="indicator-') == 18
    row = page.split('id="indicator-1"')[1].split("</tr>")[0]
    for text in ("创造质量", "每万人口高价值发明专利拥有量", "件", "4.62", "8.1", "2023年", "13", "进度落后",
                 "2023年 8.1件，低于路径值 9.65件", "市市场监督管理局（知识产权局）"):
        assert text in row
    assert "*海外发明专利授权量" in page and "3-4" in page and "5-8" in page
    assert "导出 Excel" not in page and "指标责任单位" not in page


def test_the_table_speaks_english_on_request(client, people, login, token, enter):
    enter(people, 1, 2023, "8.1")
    login(client, "district")
    client.post("/lang/en", data={"csrf_token": token(client, "/indicators"), "next": "/indicators"})
    page = client.get("/indicators").get_data(as_text=True)
    assert "Behind" in page and "2023: 8.1件, below the path value 9.65件" in page


def test_an_administrator_cannot_give_an_indicator_to_a_collective_unit(app, client, people, login, token):
    login(client, "root")
    with app.app_context():
        group = db.session.scalar(select(Unit.id).where(Unit.name == "各开发区管委会"))
    response = _post(client, token, "/indicators/10/owner", {"unit": str(group)})
    assert "请选择具体单位，不能选择集合单位。" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_indicator_page_charts_the_path_and_compares_the_peer_cities(client, people, login, enter):
    enter(people, 1, 2023, "8.1")
    login(client, "district")
    page = client.get("/indicators/1").get_data(as_text=True)
    assert '<tr data-city="北京"><td>北京</td><td>78</td><td>82</td></tr>' in page
    chart = _chart(page)
    assert chart["years"] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert chart["path"] == [4.62, 6.3, 7.97, 9.65, 11.32, 13]
    assert chart["values"] == [4.62, None, None, 8.1, None, None]
    peers = dict(zip(chart["peers"]["cities"], zip(chart["peers"]["baseline"], chart["peers"]["target"])))
    assert peers["郑州"] == (4.62, 13) and peers["北京"] == (78, 82) and peers["西安"] == (None, 20)
    assert "填报年度数值" not in page  # not the owner unit


def test_the_page_says_when_there_is_no_path_and_when_the_target_is_a_range(client, people, login):
    login(client, "district")
    page = client.get("/indicators/13").get_data(as_text=True)
    assert "规划未给出基期值：不设年度路径，到 2025 年对照目标判断。" in page
    assert "目标为区间 3-4：路径按区间下限 3 计算。" in page
    assert _chart(page)["path"] == [None, None, None, None, None, 3]


def test_only_the_cities_the_plan_gives_figures_for_are_compared(client, people, login):
    login(client, "district")
    page = client.get("/indicators/2").get_data(as_text=True)
    assert 'data-city="上海"' in page and 'data-city="北京"' not in page
    assert "规划未给出全国或其他城市的对应数值。" in client.get("/indicators/7").get_data(as_text=True)


def test_pages_carry_no_inline_script(client, people, login):
    login(client, "office")
    for path in ("/indicators", "/indicators/1", "/indicators/owners"):
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)


def test_an_unknown_indicator_is_404(client, people, login):
    login(client, "district")
    assert client.get("/indicators/99").status_code == 404


def test_the_owner_enters_a_value_and_sees_it_judged(client, people, login, token):
    login(client, "ipo")
    response = _post(client, token, f"/indicators/1/values?plan={people}",
                     {"year": "2023", "value": "9.8", "note": "国家知识产权局统计年报"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2023年数值已填报。" in page and "2023年 9.8件，不低于路径值 9.65件" in page
    assert "国家知识产权局统计年报" in page


@pytest.mark.parametrize("username", ["press", "district", "office", "root"])
def test_only_the_owner_units_users_may_enter_values(client, people, login, token, username):
    login(client, username)
    response = _post(client, token, "/indicators/1/values", {"year": "2023", "value": "9", "note": "x"})
    assert response.status_code == 403


def test_a_bad_value_is_explained_beside_its_field_and_the_typed_text_kept(app, client, people, login, token):
    login(client, "ipo")
    response = _post(client, token, "/indicators/1/values", {"year": "2023", "value": "12件", "note": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="12件"' in page
    assert re.search(r'is-invalid[^>]*value="12件"|value="12件"[^>]*is-invalid', page)
    assert '<div class="invalid-feedback">请输入数字，例如 12.5。</div>' in page
    assert '<div class="invalid-feedback">请注明数据来源。</div>' in page
    with app.app_context():
        assert db.session.scalar(select(IndicatorValue.id)) is None


def test_a_percentage_must_lie_between_0_and_100(client, people, login, token):
    login(client, "court")
    response = _post(client, token, "/indicators/7/values", {"year": "2023", "value": "120", "note": "法院统计"})
    assert response.status_code == 422
    assert '<div class="invalid-feedback">百分比须在 0 到 100 之间。</div>' in response.get_data(as_text=True)


def test_a_year_not_yet_begun_is_refused(client, people, login, token):
    login(client, "ipo")
    response = _post(client, token, "/indicators/1/values", {"year": "2025", "value": "13", "note": "预计"})
    assert response.status_code == 422 and "该年份尚未开始。" in response.get_data(as_text=True)


def test_evidence_is_checked_by_content_and_read_only_by_its_unit_and_the_office(app, client, people, login, token):
    from io import BytesIO

    login(client, "ipo")
    refused = _post(client, token, "/indicators/1/values",
                    {"year": "2023", "value": "9.8", "note": "年报", "evidence": (BytesIO(b"MZ\x90\x00"), "年报.pdf")},
                    content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "只接受 PDF、PNG、JPEG、Excel（.xlsx）或 Word（.docx）文件。" in refused.get_data(as_text=True)
    saved = _post(client, token, "/indicators/1/values",
                  {"year": "2023", "value": "9.8", "note": "年报", "evidence": (BytesIO(PDF), "2023年报.pdf")},
                  content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context():
        value = db.session.scalar(select(IndicatorValue))
        assert value.evidence_name == "2023年报.pdf" and value.evidence_path != "2023年报.pdf"
        url = f"/indicators/values/{value.id}/evidence"
    assert client.get(url).data == PDF
    client.post("/logout", data={"csrf_token": token(client, "/indicators")})
    login(client, "district")
    assert client.get(url).status_code == 403
    client.post("/logout", data={"csrf_token": token(client, "/indicators")})
    login(client, "office")
    assert client.get(url).status_code == 200


def test_the_office_queries_a_value_and_the_owner_sees_the_query(app, client, people, login, token, enter):
    value_id = enter(people, 10, 2023, "9.8")
    login(client, "office")
    no_comment = _post(client, token, f"/indicators/values/{value_id}/query", {"comment": ""})
    assert "质疑时请写明意见。" in client.get(no_comment.headers["Location"]).get_data(as_text=True)
    assert _post(client, token, f"/indicators/values/{value_id}/query", {"comment": "请核实是否含续贷"}).status_code == 302
    client.post("/logout", data={"csrf_token": token(client, "/indicators")})
    login(client, "ipo")
    page = client.get("/indicators/10").get_data(as_text=True)
    assert "督查室对 2023 年数值 9.8 提出质疑，请核实后重新填报。" in page and "请核实是否含续贷" in page
    assert _post(client, token, "/indicators/10/values", {"year": "2023", "value": "10.2", "note": "剔除续贷"}).status_code == 302
    with app.app_context():
        states = db.session.scalars(select(IndicatorValue.state).order_by(IndicatorValue.id)).all()
        assert states == [ValueState.QUERIED, ValueState.ENTERED]


def test_the_office_accepts_a_value(app, client, people, login, token, enter):
    value_id = enter(people, 1, 2023, "9.8")
    login(client, "office")
    response = _post(client, token, f"/indicators/values/{value_id}/accept", {"comment": ""})
    assert "已确认该数值。" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(IndicatorValue, value_id).state is ValueState.ACCEPTED


@pytest.mark.parametrize("username", ["ipo", "district"])
@pytest.mark.parametrize("verdict", ["accept", "query"])
def test_unit_clerks_cannot_review_values(client, people, login, token, enter, username, verdict):
    value_id = enter(people, 1, 2023, "9.8")
    login(client, username)
    assert _post(client, token, f"/indicators/values/{value_id}/{verdict}", {"comment": "x"}).status_code == 403


@pytest.mark.parametrize("username", ["office", "ipo"])
def test_only_administrators_assign_owner_units(client, people, login, token, username):
    login(client, username)
    assert client.get("/indicators/owners").status_code == 403
    assert _post(client, token, "/indicators/10/owner", {"unit": "1"}).status_code == 403


def test_an_administrator_confirms_a_proposed_owner(app, client, people, login, token):
    login(client, "root")
    page = client.get("/indicators/owners").get_data(as_text=True)
    assert page.count(">建议</span>") == 18
    with app.app_context():
        finance = db.session.scalar(select(Unit.id).where(Unit.name == "市金融工作局"))
    response = _post(client, token, f"/indicators/10/owner?plan={people}", {"unit": str(finance)})
    assert "指标 10 的责任单位已设为 市金融工作局。" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.number == 10))
        assert (indicator.owner.name, indicator.owner_proposed) == ("市金融工作局", False)


def test_the_behind_partial_lists_what_is_behind(app, people, enter):
    from datetime import date

    from flask import render_template

    from tracker.indicators.queries import list_behind

    enter(people, 1, 2023, "8.1")
    with app.test_request_context():
        html = render_template("indicators/_behind.html",
                               indicators_behind=list_behind(db.session, people, today=date(2024, 11, 20)))
    assert "进度落后的指标（1 项）" in html and "1. 每万人口高价值发明专利拥有量" in html
    assert "2023年 8.1件，低于路径值 9.65件" in html
    with app.test_request_context():
        assert render_template("indicators/_behind.html", indicators_behind=[]).strip() == ""


def test_the_footnote_says_annual_figures_follow_the_straight_path_as_the_rule_does(client, people, login, token):
    login(client, "district")
    page = client.get("/indicators").get_data(as_text=True)
    assert "两类指标每年都对照从 2020 年基期值到 2025 年目标的直线路径" in page
    assert "当年值逐年提高到目标年份的水平" in page and "当年值每年对照目标值" not in page
    client.post("/lang/en", data={"csrf_token": token(client, "/indicators"), "next": "/indicators"})
    page = client.get("/indicators").get_data(as_text=True)
    assert "rises step by step to the target year&#39;s level" in page or "rises step by step to the target year's level" in page


def test_indicator_evidence_is_served_under_its_detected_extension_as_an_attachment(app, client, people, login,
                                                                                    token):
    from io import BytesIO
    from urllib.parse import quote

    login(client, "ipo")
    _post(client, token, "/indicators/1/values",
          {"year": "2023", "value": "9.8", "note": "年报", "evidence": (BytesIO(PDF), "年报.bat")},
          content_type="multipart/form-data")
    with app.app_context():
        value = db.session.scalar(select(IndicatorValue))
        assert value.evidence_name == "年报.bat" and value.evidence_path.endswith(".pdf")
        url = f"/indicators/values/{value.id}/evidence"
    response = client.get(url)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and quote("年报.pdf") in disposition and ".bat" not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
