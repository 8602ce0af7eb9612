"""The two-step web import: upload → preview with unknown names → map, set years and first quarter → commit."""
from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
from sqlalchemy import func, select

from tracker.db import db
from tracker.plans.models import Duty, Plan, Task, Unit, UnitKind

PLAN = """青川市“十五五”科技创新规划任务分工方案

一、重点任务

（一）强化创新主体

1. 培育科技型企业。（牵头单位：市科技局、市财政局；责任单位：市工信局、青川市某某局）
2. 建设创新平台。（市科技局牵头，各镇办配合）
"""


@pytest.fixture
def admin_client(client, make_user, login):
    make_user("root", role="admin")
    login(client, "root")
    return client


def upload(client, token, data: bytes, name: str = "plan.txt"):
    return client.post("/admin/plans/import", data={
        "plan_file": (io.BytesIO(data), name), "csrf_token": token(client, "/admin/plans/import")},
        content_type="multipart/form-data")


def confirm(client, page: str, **fields):
    form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    form.update(fields)
    return client.post("/admin/plans/import/confirm", data=form)


def unknown_names(page: str) -> list[str]:
    return re.findall(r'<label for="map-\d+">([^<]+)</label>', page)


def test_the_preview_shows_every_task_with_its_leads_and_saves_nothing(admin_client, app, token):
    page = upload(admin_client, token, PLAN.encode("gb18030")).get_data(as_text=True)
    assert "共识别2项任务" in page and "牵头单位＋责任单位" in page
    assert unknown_names(page) == ["市科学技术局", "市财政局", "市工业和信息化局", "青川市某某局", "各镇办"]
    assert 'unit-group text-bg-info">各镇办' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 0


def test_a_mapped_name_becomes_an_alias_and_the_next_import_needs_no_mapping(admin_client, app, token):
    with app.app_context():
        existing = Unit(name="青川市财政局", kind=UnitKind.DEPARTMENT, aliases=[], emails=[])
        db.session.add(existing)
        db.session.commit()
        existing_id = existing.id
    page = upload(admin_client, token, PLAN.encode()).get_data(as_text=True)
    index = unknown_names(page).index("市财政局")
    response = confirm(admin_client, page, **{f"map-{index}": f"unit:{existing_id}", "first_period": "2026Q3"})
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.scalar(select(Plan))
        assert (plan.start_year, plan.end_year, plan.first_owed_period) == (2026, 2030, "2026Q3")
        one = db.session.scalar(select(Task).where(Task.number == "1"))
        assert [(tu.unit.name, tu.duty) for tu in one.written_units] == [
            ("市科学技术局", Duty.LEAD), ("青川市财政局", Duty.LEAD), ("市工业和信息化局", Duty.CO),
            ("青川市某某局", Duty.CO)]
        assert sorted(a.unit.name for a in one.assignments if a.duty is Duty.LEAD) == ["市科学技术局", "青川市财政局"]
        assert "市财政局" in db.session.get(Unit, existing_id).aliases
        assert db.session.scalar(select(Unit).where(Unit.name == "各镇办")).kind is UnitKind.GROUP
    again = upload(admin_client, token, PLAN.encode()).get_data(as_text=True)
    assert unknown_names(again) == []
    assert re.search(r'<input[^>]*name="first_period"[^>]*value="2026Q3"', again)  # kept, not reset


def test_the_first_quarter_defaults_to_the_current_one(client, app, make_user, login, token, monkeypatch):
    # The administrator signs in on that day (a session or password from 2024 would have expired).
    monkeypatch.setitem(app.config, "TRACKER_TODAY", date(2027, 5, 4))
    make_user("root", role="admin")
    login(client, "root")
    page = upload(client, token, PLAN.encode()).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="first_period"[^>]*value="2027Q2"', page)


def test_a_plan_without_years_asks_for_them(admin_client, app, token):
    page = upload(admin_client, token, PLAN.replace("“十五五”", "").encode()).get_data(as_text=True)
    assert "请填写规划的起止年份" in page
    response = confirm(admin_client, page, first_period="2026Q1")
    assert response.status_code == 200 and "请填写规划起始年份" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 0


def test_a_word_file_previews_like_its_text(admin_client, token):
    document = docx.Document()
    for line in PLAN.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    page = upload(admin_client, token, out.getvalue(), "plan.docx").get_data(as_text=True)
    assert "共识别2项任务" in page and "培育科技型企业" in page


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4 ...", "这是PDF文件，请另存为Word或文本"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 60, "这是旧版Word或Excel文件"),
    (b"PK\x03\x04broken", "文件已损坏"),
])
def test_a_file_of_another_kind_gets_a_clear_message_never_a_500(admin_client, token, data, message):
    response = upload(admin_client, token, data, "plan.bin")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "disabled" in page


def test_a_tampered_upload_field_is_refused_and_nothing_is_saved(admin_client, app, token):
    page = upload(admin_client, token, PLAN.encode()).get_data(as_text=True)
    response = confirm(admin_client, page, upload="x" + re.search(r'name="upload" type="hidden" value="([^"]+)"',
                                                                   page)[1], first_period="2026Q1")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/plans/import")
    with app.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 0


def test_an_import_can_be_undone_while_nobody_has_reported(admin_client, app, token):
    page = upload(admin_client, token, PLAN.encode()).get_data(as_text=True)
    confirm(admin_client, page, first_period="2026Q1")
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id))
    listing = admin_client.get("/admin/plans/import").get_data(as_text=True)
    assert "撤销导入" in listing
    response = admin_client.post(f"/admin/plans/{plan_id}/undo-import",
                                 data={"csrf_token": token(admin_client, "/admin/plans/import")})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Plan, plan_id) is None
        assert db.session.scalar(select(func.count(Task.id))) == 0


def test_an_import_cannot_be_undone_once_a_unit_has_reported(admin_client, app, token, plan):
    from tracker import clock
    from tracker.reporting.models import Period, Report, State

    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.plan_id == plan, Task.number == "1"))
        period = db.session.scalar(select(Period).where(Period.plan_id == plan).order_by(Period.key))
        db.session.add(Report(task_id=task.id, unit_id=task.assignments[0].unit_id, period_id=period.id,
                              duty=task.assignments[0].duty, state=State.DRAFT, updated_at=clock.now()))
        db.session.commit()
    assert "已有报送，不能撤销" in admin_client.get("/admin/plans/import").get_data(as_text=True)
    response = admin_client.post(f"/admin/plans/{plan}/undo-import",
                                 data={"csrf_token": token(admin_client, "/admin/plans/import")},
                                 follow_redirects=True)
    assert "不能撤销导入" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Plan, plan) is not None


def test_another_citys_names_never_land_on_zhengzhou_units(admin_client, app, token, plan):
    text = PLAN.replace("（市科技局牵头，各镇办配合）", "（市公安局牵头，各区县（市）人民政府配合）")
    page = upload(admin_client, token, text.encode()).get_data(as_text=True)
    assert "青川市公安局" in unknown_names(page) and "青川市各区县（市）人民政府" in unknown_names(page)
    confirm(admin_client, page, first_period="2026Q1")
    with app.app_context():
        two = db.session.scalar(select(Task).join(Plan).where(Plan.title.startswith("青川市"), Task.number == "2"))
        assert [tu.unit.name for tu in two.written_units] == ["青川市公安局", "青川市各区县（市）人民政府"]
        assert [a.unit.name for a in two.assignments] == ["青川市公安局"]  # the new group has no members yet


@pytest.mark.parametrize("name", ["qingchuan-b-2026-2030.txt", "liujiang-table-2026-2030.tsv",
                                  "dongchuan-unseen-2026-2030.txt"])
def test_the_command_gives_what_the_web_preview_shows(ctx, name):
    from pathlib import Path

    from click.testing import CliRunner

    from tracker.planimport.cli import import_plan_command, seed_json
    from tracker.plans import imports

    path = Path(__file__).resolve().parent.parent / "data" / "cities" / name
    printed = CliRunner().invoke(import_plan_command, [str(path)]).stdout
    assert printed == seed_json(imports.preview_import(ctx, path.read_bytes()))


def test_a_made_up_unit_choice_is_refused_with_a_message_not_a_500(admin_client, app, token):
    page = upload(admin_client, token, PLAN.encode()).get_data(as_text=True)
    response = confirm(admin_client, page, **{"map-0": "unit:abc", "first_period": "2026Q1"})
    assert response.status_code == 200 and "所选单位不存在" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 0
