"""The review queue at scale: filters, longest waiting first, batch accept, "and next", evidence inline."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.db import db
from tracker.reporting.models import Evidence, Report, State

from .conftest import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def queue_of(page: str) -> str:
    return page.split('id="review-queue"', 1)[1].split("</table>", 1)[0]


@pytest.fixture
def waiting(app, world):
    """Four reports waiting: 2024Q3 task 1 甲局 (submitted 10-20), task 2 乙局 (10-10), task 4 甲局 (10-15);
    2024Q2 task 3 丙局. Returns {name: id}."""
    with app.app_context():
        ids = {
            "t1": world.report("1", "甲局", "2024Q3", on=date(2024, 10, 20)).id,
            "t2": world.report("2", "乙局", "2024Q3", on=date(2024, 10, 10)).id,
            "t4": world.report("4", "甲局", "2024Q3", on=date(2024, 10, 15)).id,
            "q2": world.report("3", "丙局", "2024Q2").id,
        }
        db.session.commit()
    return ids


def csrf(office, path="/supervision/reviews"):
    from tests.reporting.conftest import csrf_from

    return csrf_from(office.get(path).get_data(as_text=True))


def test_the_queue_shows_the_longest_waiting_first_with_days_waited(office, waiting):
    queue = queue_of(office.get("/supervision/reviews").get_data(as_text=True))
    order = [queue.index(f'data-report="{waiting[k]}"') for k in ("t2", "t4", "t1")]
    assert order == sorted(order) and f'data-report="{waiting["q2"]}"' not in queue
    assert "41 天" in queue   # 2024-10-10 → 2024-11-20


@pytest.mark.parametrize("query, shown", [
    ("period=all", {"t1", "t2", "t4", "q2"}),
    ("period=2024Q2", {"q2"}),
    ("section=2", {"t2", "t4"}),
    ("period=all&unit={甲局}", {"t1", "t4"}),
    ("state=returned", set()),
])
def test_the_queue_filters_by_period_section_unit_and_state(app, office, world, waiting, query, shown):
    with app.app_context():
        query = query.replace("{甲局}", str(world.unit("甲局").id))
    queue = queue_of(office.get(f"/supervision/reviews?{query}").get_data(as_text=True))
    assert {k for k, v in waiting.items() if f'data-report="{v}"' in queue} == shown


def test_the_queue_filters_by_light(app, office, lit):
    page = office.get("/supervision/reviews?light=green").get_data(as_text=True)
    queue = queue_of(page)
    assert "任务1" in queue and "任务2" not in queue
    assert "任务2" in queue_of(office.get("/supervision/reviews?light=red").get_data(as_text=True))


def test_a_bad_filter_is_named_and_ignored(office, waiting):
    response = office.get("/supervision/reviews?state=nonsense&light=purple")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "状态应为 submitted、returned 或 accepted：nonsense" in page and "任务2" in queue_of(page)


def test_the_office_accepts_many_reports_in_one_action_and_is_told_which_were_not(app, office, waiting):
    with app.app_context():
        db.session.get(Report, waiting["t4"]).state = State.RETURNED   # decided meanwhile by someone else
        db.session.commit()
    response = office.post("/supervision/reviews/accept?period=all", data={
        "csrf_token": csrf(office), "report": [waiting["t1"], waiting["t2"], waiting["t4"]]})
    assert response.status_code == 302 and "period=all" in response.headers["Location"]
    page = office.get(response.headers["Location"]).get_data(as_text=True)
    assert "已审核通过 2 份报告。" in page and "1 份报告不在待审核状态" in page
    with app.app_context():
        states = {k: db.session.get(Report, v).state for k, v in waiting.items()}
        decisions = [r.decision for r in db.session.get(Report, waiting["t1"]).reviews]
    assert states == {"t1": State.ACCEPTED, "t2": State.ACCEPTED, "t4": State.RETURNED, "q2": State.SUBMITTED}
    assert decisions == ["accept"]


def test_batch_accept_with_nothing_chosen_changes_nothing(app, office, waiting):
    response = office.post("/supervision/reviews/accept", data={"csrf_token": csrf(office)})
    assert "请先勾选要审核通过的报告。" in office.get(response.headers["Location"]).get_data(as_text=True)


def test_a_unit_cannot_batch_accept(app, client, make_user, login, waiting):
    make_user("jia", unit="甲局")
    login(client, "jia")
    assert client.post("/supervision/reviews/accept", data={"report": [waiting["t1"]]}).status_code in (400, 403)
    with app.app_context():
        assert db.session.get(Report, waiting["t1"]).state is State.SUBMITTED


def test_accept_and_next_goes_to_the_next_waiting_report_keeping_the_filters(app, office, waiting):
    path = f"/supervision/reports/{waiting['t2']}?period=2024Q3"
    page = office.get(path).get_data(as_text=True)
    assert f'id="next-report" href="/supervision/reports/{waiting["t4"]}?period=2024Q3"' in page
    response = office.post(path.replace("?", "/accept?"), data={"csrf_token": csrf(office, path), "next": "1"})
    assert response.headers["Location"] == f"/supervision/reports/{waiting['t4']}?period=2024Q3"
    # return and next: the comment is still required, one by one
    path = response.headers["Location"]
    refused = office.post(path.replace("?", "/return?"), data={"csrf_token": csrf(office, path), "next": "1",
                                                               "comment": ""})
    assert refused.status_code == 422
    response = office.post(path.replace("?", "/return?"), data={"csrf_token": csrf(office, path), "next": "1",
                                                                "comment": "请补充数据"})
    assert response.headers["Location"] == f"/supervision/reports/{waiting['t1']}?period=2024Q3"
    path = response.headers["Location"]
    last = office.post(path.replace("?", "/accept?"), data={"csrf_token": csrf(office, path), "next": "1"})
    assert last.headers["Location"].startswith("/supervision/reviews")
    assert "筛选范围内的报告已全部审核。" in office.get(last.headers["Location"]).get_data(as_text=True)


@pytest.fixture
def with_files(app, waiting, tmp_path):
    folder = app.config["TRACKER_UPLOAD_DIR"]
    from pathlib import Path

    Path(folder).mkdir(parents=True, exist_ok=True)
    made = {}
    with app.app_context():
        for name, data, kind in (("纪要.pdf", PDF, "application/pdf"), ("现场.png", PNG, "image/png"),
                                 ("台账.xlsx", b"PK\x03\x04rest", "application/vnd.openxmlformats-"
                                  "officedocument.spreadsheetml.sheet")):
            storage = f"test-{len(made)}-{name.encode().hex()[:12]}"
            (Path(folder) / storage).write_bytes(data)
            item = Evidence(report_id=waiting["t2"], filename=name, content_type=kind, size=len(data), sha256="-",
                            storage_name=storage, uploaded_at=at(date(2024, 10, 10)))
            db.session.add(item)
            db.session.flush()
            made[name] = item.id
        db.session.commit()
    return made


def test_evidence_opens_inline_with_its_name_and_size_and_other_types_download(office, waiting, with_files):
    page = office.get(f"/supervision/reports/{waiting['t2']}").get_data(as_text=True)
    evidence = page.split('id="evidence"', 1)[1].split("</dd>", 1)[0]
    assert f'<iframe class="evidence-frame" title="纪要.pdf" loading="lazy" src="/evidence/{with_files["纪要.pdf"]}/inline"' in evidence
    assert f'src="/evidence/{with_files["现场.png"]}/inline"' in evidence and "<img" in evidence
    assert "纪要.pdf" in evidence and "KB" in evidence
    assert f'href="/evidence/{with_files["台账.xlsx"]}"' in evidence and f'{with_files["台账.xlsx"]}/inline' not in evidence
    shown = office.get(f"/evidence/{with_files['纪要.pdf']}/inline")
    assert shown.status_code == 200 and shown.data == PDF
    assert shown.headers["Content-Type"] == "application/pdf"
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert shown.headers["Content-Disposition"].startswith("inline")
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert office.get(f"/evidence/{with_files['现场.png']}/inline").headers["Content-Type"] == "image/png"
    other = office.get(f"/evidence/{with_files['台账.xlsx']}/inline")
    assert other.status_code == 302 and other.headers["Location"] == f"/evidence/{with_files['台账.xlsx']}"


def test_a_unit_that_may_not_read_the_report_cannot_open_its_evidence_inline(client, make_user, login, with_files):
    make_user("bing", unit="丙局")   # co-unit of task 2, not its lead: may not read 乙局's report
    login(client, "bing")
    assert client.get(f"/evidence/{with_files['纪要.pdf']}/inline").status_code == 403


def test_the_review_page_costs_the_same_queries_with_or_without_evidence(office, waiting, with_files, count_queries):
    bare, full = f"/supervision/reports/{waiting['t1']}?period=all", f"/supervision/reports/{waiting['t2']}?period=all"
    office.get(bare)
    with count_queries() as few:
        assert office.get(bare).status_code == 200
    with count_queries() as many:
        assert office.get(full).status_code == 200
    assert len(few) == len(many) <= 16
