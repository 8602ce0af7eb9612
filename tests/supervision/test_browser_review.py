"""A reviewer in Chromium (desktop and a 390×844 phone): filters the queue, opens a report's
evidence inline, accepts two in one action and returns one with its comment."""
from datetime import date
from pathlib import Path

import pytest

from tests.reporting.test_evidence import small_pdf, small_png
from tracker.db import db
from tracker.reporting.models import Evidence, Report, State

from .conftest import at

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=["desktop", "phone"])
def tab(request, browser, live_server):
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if request.param == "phone" else {}
    context = browser.new_context(locale="zh-CN", base_url=live_server, **options)
    page = context.new_page()
    page.set_default_timeout(30_000)   # the machine is shared: slow is not wrong
    page.set_default_navigation_timeout(30_000)
    page.kind = request.param
    yield page
    context.close()


@pytest.fixture
def queue(app, world):
    """2024Q3: 甲局 task 1 and 4, 乙局 task 2 (with a PDF and a PNG), 丙局 task 2 — all waiting."""
    folder = Path(app.config["TRACKER_UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        ids = {"jia1": world.report("1", "甲局", "2024Q3", on=date(2024, 10, 9)).id,
               "jia4": world.report("4", "甲局", "2024Q3", on=date(2024, 10, 10)).id,
               "yi2": world.report("2", "乙局", "2024Q3", on=date(2024, 10, 11)).id,
               "bing2": world.report("2", "丙局", "2024Q3", on=date(2024, 10, 12), percent=None).id}
        for name, data, kind in (("会议纪要.pdf", small_pdf(), "application/pdf"), ("现场照片.png", small_png(), "image/png")):
            storage = ("c" if kind == "image/png" else "d") * 40 + name[-4:]
            (folder / storage).write_bytes(data)
            db.session.add(Evidence(report_id=ids["yi2"], filename=name, content_type=kind, size=len(data), sha256="-",
                                    storage_name=storage, uploaded_at=at(date(2024, 10, 11))))
        db.session.commit()
    return ids


def test_a_reviewer_filters_opens_evidence_inline_accepts_two_at_once_and_returns_one(
        tab, app, world, queue, make_user, browser_login):
    make_user("office", role="supervisor")
    browser_login(tab, "office")
    tab.goto("/supervision/reviews")
    assert tab.locator("#review-queue tbody tr[data-report]").count() == 4
    if tab.kind == "phone":
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert tab.locator("#review-queue thead").is_hidden()
        assert tab.locator("#review-queue tbody tr").first.bounding_box()["width"] > 300   # a card, not a squeezed row
    with app.app_context():
        yi = world.unit("乙局").id
    tab.select_option("#r-unit", str(yi))
    with tab.expect_navigation():
        tab.click("#review-filters button[type=submit]")
    assert tab.locator("#review-queue tbody tr[data-report]").count() == 1
    with tab.expect_navigation():
        tab.click(f"tr[data-report='{queue['yi2']}'] a.review-open")
    evidence = tab.locator("#evidence")
    assert "会议纪要.pdf" in evidence.inner_text() and "KB" in evidence.inner_text()
    tab.click("details.evidence-preview:has-text('现场照片.png') summary")
    image = tab.locator("img.evidence-image")
    image.wait_for()
    # Polled through evaluate: wait_for_function's string would need 'unsafe-eval', which our CSP refuses.
    for _ in range(100):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        tab.wait_for_timeout(100)
    assert image.evaluate("img => img.naturalWidth") > 0
    tab.click("details.evidence-preview:has-text('会议纪要.pdf') summary")
    frame_src = tab.locator("iframe.evidence-frame").get_attribute("src")
    shown = tab.request.get(frame_src)
    assert shown.status == 200 and shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline")

    # Fold the previews again (the PDF viewer loading would move the buttons under the pointer), then
    # return this one, with its comment, and go on to the next in the filtered queue (none left: the queue).
    tab.click("details.evidence-preview:has-text('会议纪要.pdf') summary")
    tab.click("details.evidence-preview:has-text('现场照片.png') summary")
    tab.fill("#return-comment", "请补充会议的具体成果")
    tab.click("#return-next")   # (a PDF viewer still loading can hold the load event: wait for the address)
    tab.wait_for_url("**/supervision/reviews?**", wait_until="domcontentloaded")
    assert "报告已退回" in tab.locator("main").inner_text()

    # Back to the whole queue: pick 甲局's two and accept them in one action.
    tab.goto("/supervision/reviews")
    tab.check(f"input.queue-pick[value='{queue['jia1']}']")
    tab.check(f"input.queue-pick[value='{queue['jia4']}']")
    with tab.expect_navigation():
        tab.click("#batch-accept button[type=submit]")
    assert "已审核通过 2 份报告。" in tab.locator("main").inner_text()
    assert tab.locator("#review-queue tbody tr[data-report]").count() == 1

    # The last one, by keyboard: A accepts and moves on.
    with tab.expect_navigation():
        tab.click(f"tr[data-report='{queue['bing2']}'] a.review-open")
    with tab.expect_navigation():
        tab.keyboard.press("a")
    assert "筛选范围内的报告已全部审核。" in tab.locator("main").inner_text()
    with app.app_context():
        states = {k: db.session.get(Report, v).state for k, v in queue.items()}
    assert states == {"jia1": State.ACCEPTED, "jia4": State.ACCEPTED, "yi2": State.RETURNED, "bing2": State.ACCEPTED}
