"""The 督查通报 (.docx): every number reconciles with the ledger and /api/v1/compliance."""
from __future__ import annotations

import io
from collections import defaultdict
from urllib.parse import quote

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from tracker.db import db


@pytest.fixture
def api(app, lit, make_user):
    """Headers of a supervision office's API token."""
    from tracker import clock
    from tracker.accounts.models import User
    from tracker.api.tokens import create_token

    make_user("office-api", role="supervisor")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "office-api"))
        _, secret = create_token(db.session, user=user, name="test", actor="test", now=clock.now())
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def read_docx(data: bytes) -> tuple[list[str], list[list[str]]]:
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    table = [[cell.text for cell in row.cells] for row in document.tables[-1].rows]
    return paragraphs, table


def ledger_rows(office, key: str) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(office.get(f"/supervision/ledger.xlsx?period={key}").data)).active
    return list(sheet.iter_rows(min_row=3, values_only=True))


def compliance(client, api, *keys: str) -> dict[str, dict]:
    """Per unit, summed over the quarters: what /api/v1/compliance says."""
    out: dict[str, dict] = defaultdict(lambda: {"owed": 0, "submitted": 0, "late": 0, "missing": 0})
    for key in keys:
        for row in client.get(f"/api/v1/compliance?period={key}", headers=api).get_json()["units"]:
            for name in ("owed", "submitted", "late", "missing"):
                out[row["unit"]][name] += row[name]
    return dict(out)


def pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%"


@pytest.mark.parametrize("scope, keys", [("2024Q3", ("2024Q3",)), ("2024H1", ("2024Q2",)),
                                         ("range?from=2024-04-01&to=2024-09-30", ("2024Q2", "2024Q3"))])
def test_every_number_of_the_bulletin_reconciles_with_the_ledger_and_the_compliance_api(office, api, scope, keys):
    key, _, query = scope.partition("?")
    response = office.get(f"/supervision/bulletin/{key}.docx?number=7&requirements=请于月底前整改%0A逐项销号"
                          + (f"&{query}" if query else ""))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    paragraphs, table = read_docx(response.data)
    text = "\n".join(paragraphs)
    ledger = ledger_rows(office, keys[-1])
    units = compliance(office, api, *keys)

    # 期数, date and the sections in the published order
    assert "第7期" in text and "2024年11月20日" in text
    order = [text.index(h) for h in ("一、总体情况", "二、滞后事项", "三、未按时报送单位名单", "四、工作要求", "附件：")]
    assert order == sorted(order)
    # 总体情况: tasks, done and lights as the ledger has them
    lights = [row[5] for row in ledger]
    done = lights.count("已完成")
    assert (f"共有重点任务 {len(ledger)} 项，已完成（办结）{done} 项，占 {pct(done, len(ledger))}" in text)
    assert (f"亮红灯 {lights.count('红灯')} 项、黄灯 {lights.count('黄灯')} 项、绿灯 {lights.count('绿灯')} 项，"
            f"暂无数据 {lights.count('暂无数据')} 项") in text
    # 报送: the API's totals
    owed, submitted = sum(u["owed"] for u in units.values()), sum(u["submitted"] for u in units.values())
    late, missing = sum(u["late"] for u in units.values()), sum(u["missing"] for u in units.values())
    assert (f"应报进展报告 {owed} 份，已报 {submitted} 份，报送率 {pct(submitted, owed)}；其中迟报 {late} 份，"
            f"未报 {missing} 份，按时报送率 {pct(submitted - late, owed)}") in text
    # 滞后事项: the ledger's red and yellow tasks by lead unit
    lagging = defaultdict(list)
    for row in ledger:
        if row[5] in ("红灯", "黄灯"):
            lagging[row[2]].append(row[0])
    section = text.split("二、滞后事项")[1].split("三、")[0].strip().splitlines()
    assert section == [f"{unit}：第 {'、'.join(numbers)} 项（共 {len(numbers)} 项）"
                       for unit, numbers in sorted(lagging.items())]
    # 未按时报送单位名单: the API's units with a report missing or late
    late_section = text.split("三、未按时报送单位名单")[1].split("四、")[0].strip().splitlines()
    expected = {f"{name}（未报 {u['missing']} 份，迟报 {u['late']} 份）" for name, u in units.items()
                if u["missing"] or u["late"]}
    assert expected and set(late_section) == expected
    # 工作要求 as the office typed it; the 附件 table is the ledger
    assert text.split("四、工作要求")[1].split("附件")[0].strip().splitlines() == ["请于月底前整改", "逐项销号"]
    assert table[0] == ["序号", "重点任务", "牵头单位", "亮灯", "完成进度（%）", "序时进度（%）", "报送情况"]
    assert [(r[0], r[1], r[2], r[3], r[6]) for r in table[1:]] == [
        (row[0], row[1], row[2], row[5], row[13]) for row in ledger]


def test_the_api_gives_the_bulletins_figures(office, api):
    body = office.get("/api/v1/bulletin?period=2024Q3", headers=api).get_json()
    units = compliance(office, api, "2024Q3")
    assert body["tasks"] == 4 and body["lights"]["red"] == 2 and body["periods"] == ["2024Q3"]
    assert body["owed"] == sum(u["owed"] for u in units.values())
    assert {u["unit"] for u in body["late_units"]} == {n for n, u in units.items() if u["missing"] or u["late"]}
    assert {tuple(r["tasks"]) for r in body["lagging"]} == {("2",), ("3",), ("4",)}
    assert office.get("/api/v1/bulletin?period=2031Q1", headers=api).status_code == 404
    assert office.get("/api/v1/bulletin?period=2024Q9", headers=api).status_code == 422


def test_the_office_sets_the_number_and_requirements_on_a_page_then_downloads(office, lit):
    page = office.get("/supervision/bulletin").get_data(as_text=True)
    assert 'name="number"' in page and 'name="requirements"' in page and "2024年上半年" in page
    assert "份" not in page.split('id="bulletin-form"')[1].split("</form>")[0]      # no figure is typed in
    response = office.get("/supervision/bulletin/go?scope=2024Q3&number=3&requirements=x&plan=1")
    assert response.status_code == 302 and "/supervision/bulletin/2024Q3.docx" in response.headers["Location"]
    download = office.get(response.headers["Location"])
    assert f"filename*=UTF-8''{quote('测试规划-督查通报-2024Q3.docx')}" in download.headers["Content-Disposition"]
    assert office.get("/supervision/bulletin/2031Q1.docx").status_code == 404


def test_units_may_not_have_the_bulletin(app, lit, make_user, login):
    make_user("jia", unit="甲局")
    clerk = app.test_client()
    login(clerk, "jia")
    assert clerk.get("/supervision/bulletin").status_code == 403
    assert clerk.get("/supervision/bulletin/2024Q3.docx").status_code == 403


def test_the_office_may_write_its_own_template(app, office, lit, tmp_path):
    template = Document()
    template.add_paragraph("某市人民政府督查室 第{{期数}}期")
    template.add_paragraph("{{正文}}")
    template.add_paragraph("抄送：市政府领导")
    path = tmp_path / "mine.docx"
    template.save(path)
    app.config["TRACKER_BULLETIN_TEMPLATE"] = str(path)
    try:
        paragraphs, _ = read_docx(office.get("/supervision/bulletin/2024Q3.docx?number=12").data)
    finally:
        app.config.pop("TRACKER_BULLETIN_TEMPLATE")
    assert paragraphs[0] == "某市人民政府督查室 第12期" and paragraphs[1] == "一、总体情况"
    assert paragraphs[-1] == "抄送：市政府领导"
