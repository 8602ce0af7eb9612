"""Every list of the API comes a page at a time: `limit`, `cursor` or `offset`, `total`, `next`."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3
DISTRICTS = ["中原区人民政府", "二七区人民政府", "管城回族区人民政府", "金水区人民政府", "上街区人民政府",
             "惠济区人民政府"]           # co-units of task 2, through 各区县（市）人民政府
CO = {"status": "on_track", "progress": "配合推进综合管理改革", "next_steps": "汇总材料", "submit": True}
LEAD = {"status": "on_track", "percent": 45, "progress": "出台专利资金管理办法修订稿", "next_steps": "征求意见",
        "submit": True}

# path, the list's field, how an item is named
LISTS = [
    ("/api/v1/tasks", "tasks", lambda t: t["number"]),
    ("/api/v1/lagging", "tasks", lambda t: t["number"]),
    ("/api/v1/periods", "periods", lambda p: p["key"]),
    ("/api/v1/compliance?period=2024Q3", "units", lambda u: u["unit"]),
    ("/api/v1/scores?period=2024Q3", "units", lambda u: u["unit"]),
    ("/api/v1/indicators", "indicators", lambda i: i["number"]),
    ("/api/v1/plans", "plans", lambda p: p["id"]),
    ("/api/v1/todos", "todos", lambda t: (t["kind"], t["task"], t["period"])),
    ("/api/v1/tasks/2/reports/2024Q3", "reports", lambda r: r["unit"]),
]


def walk(client, headers, url):
    """Every page from `url` on, following `next`; the pages' answers."""
    pages = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_json()
        pages.append(response.get_json())
        url = pages[-1]["next"]
        assert len(pages) < 200
    return pages


@pytest.fixture
def busy(client, bearer, plan):
    """The office's token, after six districts reported on task 2 and the IPO on task 3 (2024Q3)."""
    for name in DISTRICTS:
        assert client.put("/api/v1/tasks/2/reports/2024Q3", headers=bearer(name[:3], unit=name), json=CO).status_code \
            == 201
    assert client.put("/api/v1/tasks/3/reports/2024Q3", headers=bearer("ipo", unit=IPO), json=LEAD).status_code == 201
    return bearer("office", role="supervisor")


@pytest.mark.parametrize("path, field, name", LISTS, ids=[path for path, _, _ in LISTS])
@pytest.mark.parametrize("way", ["cursor", "offset"])
def test_walking_the_pages_shows_every_item_exactly_once(client, busy, bearer, path, field, name, way):
    headers = bearer("forest", unit="市林业局") if "todos" in path else busy   # a unit's to-do list
    whole = client.get(path + ("&" if "?" in path else "?") + "limit=500", headers=headers).get_json()
    everything = [name(item) for item in whole[field]]
    assert everything and whole["total"] == len(everything) and whole["next"] is None
    limit = max(2, len(everything) // 6)    # a handful of pages, the last one short
    first = path + ("&" if "?" in path else "?") + f"limit={limit}" + ("&offset=0" if way == "offset" else "")
    pages = walk(client, headers, first)
    assert [name(item) for page in pages for item in page[field]] == everything
    assert all(page["total"] == len(everything) for page in pages)
    assert all(len(page[field]) == limit for page in pages[:-1]) and pages[-1]["next"] is None
    assert all((way in parse_qs(urlsplit(page["next"]).query)) for page in pages[:-1])


def test_the_default_page_is_a_hundred_and_says_how_many_there_are(app, client, office):
    from tracker.api.paging import DEFAULT_LIMIT

    body = client.get("/api/v1/periods", headers=office).get_json()
    assert body["total"] == 20 and len(body["periods"]) == 20 and body["next"] is None
    assert DEFAULT_LIMIT == 100
    assert len(client.get("/api/v1/tasks", headers=office).get_json()["tasks"]) == 53  # the whole plan fits


def test_next_keeps_the_filters_and_the_limit(client, office):
    body = client.get("/api/v1/tasks?section=3.2&limit=2", headers=office).get_json()
    query = parse_qs(urlsplit(body["next"]).query)
    assert urlsplit(body["next"]).path == "/api/v1/tasks"
    assert query["section"] == ["3.2"] and query["limit"] == ["2"] and query["cursor"]
    pages = walk(client, office, "/api/v1/tasks?section=3.2&limit=2")
    numbers = [t["number"] for page in pages for t in page["tasks"]]
    assert len(pages) > 1 and all(t["section"]["key"] == "3.2" for page in pages for t in page["tasks"])
    assert numbers == [t["number"] for t in client.get("/api/v1/tasks?section=3.2", headers=office).get_json()["tasks"]]


def test_a_report_written_between_pages_neither_repeats_nor_hides_a_task(client, office, ipo):
    first = client.get("/api/v1/tasks?limit=5", headers=office).get_json()
    assert client.put("/api/v1/tasks/3/reports/2024Q3", headers=ipo, json=LEAD).status_code == 201   # on page 1
    assert client.put("/api/v1/tasks/3/reports/2024Q2", headers=ipo, json=LEAD).status_code == 201
    rest = walk(client, office, first["next"])
    numbers = [t["number"] for page in [first, *rest] for t in page["tasks"]]
    everything = [t["number"] for t in client.get("/api/v1/tasks", headers=office).get_json()["tasks"]]
    assert numbers == everything and len(set(numbers)) == 53


def test_a_report_added_before_the_cursor_does_not_shift_the_next_page(client, busy, bearer):
    """An offset counts places, so an earlier insert repeats an item; the cursor starts after the last one shown."""
    path = "/api/v1/tasks/2/reports/2024Q3?limit=3"
    before = [r["unit"] for r in client.get(path + "0", headers=busy).get_json()["reports"]]
    first = client.get(path, headers=busy).get_json()
    assert len(before) == len(DISTRICTS) and {r["duty"] for r in first["reports"]} == {"co"}
    # now the lead of task 2 reports: its report comes first, before everything page 1 showed
    units = client.get("/api/v1/tasks/2", headers=busy).get_json()["units"]
    lead = bearer("lead2", unit=next(u["unit"] for u in units if u["duty"] == "lead"))
    assert client.put("/api/v1/tasks/2/reports/2024Q3", headers=lead, json=LEAD).status_code == 201
    rest = walk(client, busy, first["next"])
    seen = [r["unit"] for page in [first, *rest] for r in page["reports"]]
    assert sorted(seen) == sorted(before) and len(seen) == len(set(seen))
    assert rest[-1]["total"] == len(before) + 1
    by_offset = walk(client, busy, path + "&offset=3")
    assert by_offset[0]["reports"][0]["unit"] == first["reports"][-1]["unit"]   # what an offset would have done


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"), ("limit=1.5", "limit"),
    ("limit=-1", "limit"), ("limit=+5", "limit"), ("limit=" + "9" * 400, "limit"),
    ("offset=-1", "offset"), ("offset=x", "offset"), ("offset=99999999999", "offset"),
    ("cursor=not-a-cursor", "cursor"), ("cursor=" + "A" * 2000, "cursor"), ("cursor=WzFd", "cursor"),
    ("cursor=%00", "cursor"), ("limit=2&offset=0&cursor=WyJ0YXNrcyIsMSwxXQ", "offset"),
])
def test_bad_paging_input_is_422_naming_the_parameter(client, office, query, field):
    response = client.get(f"/api/v1/tasks?{query}", headers=office)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_cursor_of_another_list_is_refused_in_the_callers_language(client, office):
    cursor = parse_qs(urlsplit(client.get("/api/v1/tasks?limit=1", headers=office).get_json()["next"]).query)["cursor"]
    zh = client.get(f"/api/v1/lagging?cursor={cursor[0]}", headers=office)
    en = client.get(f"/api/v1/lagging?cursor={cursor[0]}", headers={**office, "Accept-Language": "en"})
    assert zh.status_code == en.status_code == 422
    assert "游标" in zh.get_json()["error"]["fields"]["cursor"]
    assert "cursor" in en.get_json()["error"]["fields"]["cursor"] and "游标" not in en.get_data(as_text=True)
    limit = client.get("/api/v1/tasks?limit=0", headers={**office, "Accept-Language": "en"}).get_json()
    assert "500" in limit["error"]["fields"]["limit"] and not any("\u4e00" <= c <= "\u9fff"
                                                                  for c in limit["error"]["fields"]["limit"])


def test_a_lagging_cursor_with_a_forged_key_is_422(client, office):
    import base64
    import json

    forged = base64.urlsafe_b64encode(json.dumps(["lagging", 0, "red", 1]).encode()).decode().rstrip("=")
    assert client.get(f"/api/v1/lagging?cursor={forged}", headers=office).status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/tasks", "/api/v1/lagging"])
def test_a_page_costs_the_same_queries_whatever_its_size(client, office, count_queries, path):
    client.get(path, headers=office)   # the token's first use, and the lights of the day, are recorded once
    second = client.get(path + "?limit=2", headers=office).get_json()["next"]
    with count_queries() as small:
        assert len(client.get(path + "?limit=2", headers=office).get_json()["tasks"]) == 2
    with count_queries() as large:
        assert len(client.get(path + "?limit=40", headers=office).get_json()["tasks"]) > 10
    bigger = client.get(path + "?limit=5", headers=office).get_json()["next"]
    with count_queries() as later:
        assert len(client.get(second, headers=office).get_json()["tasks"]) == 2
    with count_queries() as later_bigger:
        assert len(client.get(bigger, headers=office).get_json()["tasks"]) == 5
    assert len(small) == len(large)
    # a cursor page of the lagging list also reads the tasks' places and counts the whole list
    assert len(later) == len(later_bigger) <= len(small) + 3
