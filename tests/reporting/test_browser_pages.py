"""The report page in Chromium, on a desktop and a 390×844 phone: the clerk sees only what is owed,
files it task by task and stays beside each task after saving; on the phone, lists are cards."""
import pytest

from .conftest import XCB
from .test_sheet import submitted_by

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


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def in_view(page, selector: str) -> bool:
    """The browser scrolled to the task (it does so just after the page loads)."""
    page.wait_for_function("""(sel) => { const box = document.querySelector(sel).getBoundingClientRect();
                                         return box.top < window.innerHeight && box.bottom > 0 && window.scrollY > 0; }""",
                           arg=selector, timeout=15_000)
    return True


def test_a_clerk_files_only_what_is_owed_and_stays_beside_each_task(tab, make_user, browser_login, task_ids,
                                                                   services_ctx):
    services_ctx(submitted_by(XCB, "9"))
    make_user("xcb", unit=XCB)
    browser_login(tab, "xcb")
    if tab.kind == "phone":   # 我的任务 as cards: each obligation row is as wide as the page, nothing scrolls sideways
        assert no_horizontal_overflow(tab)
        width = tab.locator('#period-2024Q3 tr[data-task="1"]').bounding_box()["width"]
        assert width > 300
        assert tab.locator('#period-2024Q3 thead').is_hidden()
    tab.goto("/workspace/2024Q3")
    assert tab.locator(f"#task-{task_ids['9']}").count() == 0          # submitted: not in the owed view
    rows = tab.locator("article.report-row")
    owed = rows.count()
    assert owed > 3
    last = task_ids["18"] if tab.locator(f"#task-{task_ids['18']}").count() else None
    target = last or int(rows.nth(owed - 1).get_attribute("id").split("-")[1])
    card = tab.locator(f"#task-{target}")
    card.scroll_into_view_if_needed()
    card.locator(f"select[name=r{target}-status]").select_option("on_track")
    progress = card.locator(f"textarea[name=r{target}-progress]")
    progress.fill("配合开展版权宣传周活动。")
    assert card.locator(f'.char-count[data-for="r{target}-progress"]').inner_text().startswith("12 / 2000")
    card.locator(f"textarea[name=r{target}-next_steps]").fill("继续配合。")
    with tab.expect_navigation():
        card.locator(f"button[value=save-{target}]").click()
    assert tab.url.endswith(f"#task-{target}")
    assert "本项草稿已保存。" in card.locator(".row-done").inner_text()
    assert in_view(tab, f"#task-{target}")
    if card.locator(f"input[name=r{target}-percent]").count():
        card.locator(f"input[name=r{target}-percent]").fill("30")
    with tab.expect_navigation():
        card.locator(f"button[value=submit-{target}]").click()
    assert tab.url.endswith(f"#task-{target}") and in_view(tab, f"#task-{target}")
    assert "本项已报送。" in card.inner_text()
    if tab.kind == "phone":
        assert no_horizontal_overflow(tab)
        assert card.bounding_box()["width"] <= PHONE["width"]
        textarea = tab.locator("article.report-row textarea").first.bounding_box()
        assert textarea["width"] > 300   # the fields use the whole width of the phone
