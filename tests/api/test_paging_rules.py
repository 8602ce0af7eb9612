"""The paging rule itself (tracker/api/paging.py, pure): where a page starts after a cursor."""
from __future__ import annotations

import base64

import pytest

from tracker.api.paging import Cursor, PageRequest, take
from tracker.core.errors import Invalid

pytestmark = pytest.mark.database_free


def pages(items, limit, change=lambda items, page: items):
    """Walk `items` by cursor, letting `change` alter the list after each page; what was shown."""
    shown, request = [], PageRequest(limit=limit)
    while True:
        page = take("list", items, lambda item: (item,), request)
        shown.append(page.items)
        if page.next_cursor is None:
            return shown
        items = change(items, len(shown))
        request = PageRequest(limit=limit, cursor=Cursor.decode(page.next_cursor))


def test_every_item_is_shown_once_in_its_order():
    assert pages(list("abcdefg"), 3) == [list("abc"), list("def"), ["g"]]


def test_an_item_added_before_the_cursor_shifts_nothing():
    assert pages(list("abcdefg"), 3, lambda items, page: ["_", *items] if page == 1 else items) == [
        list("abc"), list("def"), ["g"]]


def test_an_item_removed_before_the_cursor_hides_nothing():
    assert pages(list("abcdefg"), 3, lambda items, page: items[1:] if page == 1 else items) == [
        list("abc"), list("def"), ["g"]]


def test_when_the_last_item_shown_goes_the_next_page_starts_where_it_was():
    assert pages(list("abcdefg"), 3, lambda items, page: [i for i in items if i != "c"]) == [
        list("abc"), list("def"), ["g"]]


def test_an_offset_page_points_to_the_next_offset_and_the_last_to_none():
    first = take("list", list("abcde"), lambda item: (item,), PageRequest(limit=2, offset=0))
    last = take("list", list("abcde"), lambda item: (item,), PageRequest(limit=2, offset=4))
    assert (first.items, first.next_offset, first.total) == (["a", "b"], 2, 5)
    assert (last.items, last.next_offset, last.next_cursor) == (["e"], None, None)


def test_an_empty_list_has_no_next_page():
    page = take("list", [], lambda item: (item,), PageRequest())
    assert (page.items, page.total, page.has_next) == ([], 0, False)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("text", ["", "!!!", _b64(b"not json"), _b64(b"{}"), _b64(b"[]"), _b64(b'["tasks"]'),
                                  _b64(b'[1, 2]'), _b64(b'["tasks", -1]'), _b64(b'["tasks", 1.5]'),
                                  _b64(b'["tasks", true]'), _b64(b'["tasks", 0, [1]]'), _b64(b'["tasks", 0, {}]'),
                                  _b64(b"[" * 5000), "A" * 401])
def test_a_cursor_the_api_never_handed_out_is_refused(text):
    with pytest.raises(Invalid) as refused:
        Cursor.decode(text)
    assert "cursor" in refused.value.fields


def test_a_cursor_reads_back_as_it_was_written():
    cursor = Cursor("todos", 7, ("report", 3, "2024Q3", None))
    assert Cursor.decode(cursor.encode()) == cursor
