"""Tamper evidence for the audit log: each entry's hash covers its content and the previous hash. Pure.

SHA-256 over a canonical JSON form; `verify` walks the entries in order and names the first one
that was changed, follows a deleted entry, or was inserted out of order.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FIELDS = ("at", "actor", "role", "unit", "address", "agent", "action", "object_type", "object_id", "old", "new")


def entry_hash(content: Mapping[str, Any], prev_hash: str) -> str:
    """The hash of one entry: its FIELDS (times as UTC ISO strings) and the previous entry's hash."""
    body = {name: content.get(name) for name in FIELDS}
    body["prev"] = prev_hash
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    id: int
    content: Mapping[str, Any]
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True)
class Break:
    id: int
    kind: str  # "changed" | "deleted" | "inserted"


@dataclass(frozen=True)
class Verdict:
    checked: int
    head: str
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(links: Iterable[Link], anchor: str = GENESIS) -> Verdict:
    """The first break in the chain, if any; `anchor` is the hash the first entry must follow."""
    expected, seen, checked = anchor, {anchor}, 0
    for link in links:
        if link.hash is None or entry_hash(link.content, link.prev_hash or "") != link.hash:
            return Verdict(checked, expected, Break(link.id, "changed"))
        if link.prev_hash != expected:
            kind = "inserted" if link.prev_hash in seen else "deleted"
            return Verdict(checked, expected, Break(link.id, kind))
        seen.add(link.hash)
        expected = link.hash
        checked += 1
    return Verdict(checked, expected)
