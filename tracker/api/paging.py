"""Pages of the API's lists: `limit`, then either an opaque `cursor` or an `offset`. Pure.

A cursor names the last item the caller was shown, so the next page starts right after
that item wherever it now stands: items added or removed before it shift no page (an
offset would show one twice or skip one). If that item itself has gone, the page starts
where it was. Lists ordered by a sort key (the lagging list) keep the key instead, and
continue after it.
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tracker.core.errors import Invalid
from tracker.core.i18n import N_

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
CURSOR_MAX = 400        # characters: a cursor is a few ids, never more
BAD_CURSOR = N_("翻页游标 cursor 无效：请使用上一页返回的 next 链接，或从第一页重新开始。")

T = TypeVar("T")
Key = tuple[int | str | None, ...]


@dataclass(frozen=True)
class Cursor:
    """Where the previous page of list `name` ended: the item's place then and its identity."""

    name: str
    index: int
    key: Key

    def encode(self) -> str:
        raw = json.dumps([self.name, self.index, *self.key], ensure_ascii=False, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor a page handed out; Invalid for anything else."""
        try:
            if len(text) > CURSOR_MAX:
                raise ValueError
            values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
            raise bad_cursor() from None
        if (not isinstance(values, list) or len(values) < 2 or not isinstance(values[0], str)
                or type(values[1]) is not int or values[1] < 0
                or not all(v is None or type(v) in (int, str) for v in values[2:])):
            raise bad_cursor()
        return cls(values[0], values[1], tuple(values[2:]))


def bad_cursor() -> Invalid:
    return Invalid(BAD_CURSOR, fields={"cursor": BAD_CURSOR})


@dataclass(frozen=True)
class PageRequest:
    """What the caller asked for: `limit` items after `cursor`, or from `offset` (default the first)."""

    limit: int = DEFAULT_LIMIT
    cursor: Cursor | None = None
    offset: int | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    next_cursor: str | None = None   # set when more items follow a cursor (or first) page
    next_offset: int | None = None   # set when more items follow an offset page

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None or self.next_offset is not None


def take(name: str, items: Sequence[T], identity: Callable[[T], Key], request: PageRequest) -> Page[T]:
    """One page of `items` (already in the list's order); `identity` names an item uniquely."""
    total = len(items)
    if request.offset is not None:
        start = request.offset
        end = start + request.limit
        return Page(list(items[start:end]), total, next_offset=end if end < total else None)
    start = _start(name, items, identity, request.cursor)
    shown = list(items[start:start + request.limit])
    end = start + len(shown)
    more = end < total and bool(shown)
    return Page(shown, total, next_cursor=Cursor(name, end - 1, identity(shown[-1])).encode() if more else None)


def _start(name: str, items: Sequence[T], identity: Callable[[T], Key], cursor: Cursor | None) -> int:
    if cursor is None:
        return 0
    if cursor.name != name:
        raise bad_cursor()
    for index, item in enumerate(items):
        if identity(item) == cursor.key:
            return index + 1
    return min(cursor.index, len(items))   # the last item shown has gone: its successors moved up one


def after_key(name: str, request: PageRequest) -> Key | None:
    """For a list ordered by a sort key: the key the previous page ended with (None: the first page)."""
    if request.cursor is None:
        return None
    if request.cursor.name != name:
        raise bad_cursor()
    return request.cursor.key


def key_page(name: str, items: list[T], key: Callable[[T], Key], total: int, request: PageRequest) -> Page[T]:
    """A page of a list ordered by `key` whose items (at most limit + 1, to tell whether more follow)
    were taken after the cursor's key, or from the offset."""
    shown = items[:request.limit]
    if request.offset is not None:
        end = request.offset + len(shown)
        return Page(shown, total, next_offset=end if end < total else None)
    more = len(items) > request.limit
    return Page(shown, total, next_cursor=Cursor(name, 0, key(shown[-1])).encode() if more else None)
